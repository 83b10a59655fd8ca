import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E, hashModel, ids, makeFrames, scriptModel, type HashParams, type Kind } from '../test/models';
import { referenceDecode, type RefChunk } from '../test/reference';
import { createDecodeState } from './decodeState';
import { addStats, emptyStats } from './decodeStats';
import type { EouPolicy, PredictionPolicy } from './policies';
import { RnntDecodeError } from './rnntDecodeError';
import { createStreamingDecoder, type ChunkResult } from './streamingDecoder';
import { frameMsFor } from './timestamps';

const paramsArb: fc.Arbitrary<HashParams> = fc.record({
  textVocab: fc.integer({ min: 2, max: 40 }),
  blankRate: fc.integer({ min: 0, max: 1000 }),
  eouRate: fc.integer({ min: 0, max: 300 }),
  eobRate: fc.integer({ min: 0, max: 100 }),
  a: fc.integer({ min: 1, max: 60 }),
  b: fc.integer({ min: 1, max: 60 }),
});

const chunkArb: fc.Arbitrary<RefChunk> = fc.record(
  {
    count: fc.integer({ min: 0, max: 9 }),
    validOutLen: fc.integer({ min: 0, max: 10 }),
    skipFrames: fc.integer({ min: 0, max: 3 }),
  },
  { requiredKeys: ['count'] },
);

const caseArb = fc.record({
  params: paramsArb,
  chunks: fc.array(chunkArb, { maxLength: 6 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  maxSymbolsPerFrame: fc.integer({ min: 1, max: 4 }),
  eouPolicy: fc.constantFrom<EouPolicy>('stop-chunk', 'reset'),
  predictionPolicy: fc.constantFrom<PredictionPolicy>('recompute', 'cache'),
  kind: fc.constantFrom<Kind>('split', 'fused', 'projected'),
  sync: fc.boolean(),
  // A text id the hash model emits, decoded as blank (sherpa-onnx's `<unk>`), or none.
  unkId: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

async function runStreaming(c: Case): Promise<{ results: ChunkResult[]; frames: Float32Array }> {
  const total = c.chunks.reduce((n, ch) => n + ch.count, 0);
  const frames = makeFrames(total, c.seed);
  const model = hashModel(c.params, { kind: c.kind, sync: c.sync });
  const { blankId, eouId, eobId } = ids(c.params);
  const decoder = createStreamingDecoder(model, {
    blankId,
    eouId,
    eobId,
    ...(c.unkId === undefined ? {} : { unkId: c.unkId }),
    maxSymbolsPerFrame: c.maxSymbolsPerFrame,
    eouPolicy: c.eouPolicy,
    predictionPolicy: c.predictionPolicy,
  });
  const results: ChunkResult[] = [];
  let first = 0;
  for (const ch of c.chunks) {
    const result = decoder.decodeChunk(frames.subarray(first * E, (first + ch.count) * E), ch.count, ch);
    expect(result instanceof Promise).toBe(!c.sync);
    results.push(await result);
    first += ch.count;
  }
  return { results, frames };
}

const flat = (
  results: ChunkResult[],
  key: 'tokens' | 'globalFrames' | 'probs' | 'eouGlobalFrames',
): number[] => results.flatMap((r) => Array.from(r[key]));

describe(createStreamingDecoder, () => {
  it('matches the reference loop for every model kind, policy, cap, chunking and unkId', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { results, frames } = await runStreaming(c);
        const ref = referenceDecode(c.params, frames, c.chunks, c);
        expect(flat(results, 'tokens')).toEqual(ref.tokens);
        expect(flat(results, 'globalFrames')).toEqual(ref.frames);
        expect(flat(results, 'probs')).toEqual(ref.probs);
        expect(flat(results, 'eouGlobalFrames')).toEqual(ref.eouFrames);
        const stats = results.reduce((s, r) => addStats(s, r.stats), emptyStats());
        expect(stats.steps).toBe(ref.steps);
        if (c.kind === 'fused') {
          expect(stats.stepCalls).toBe(ref.steps);
          expect(stats.predictCalls + stats.jointCalls).toBe(0);
        } else {
          expect(stats.jointCalls).toBe(ref.steps);
          expect(stats.predictCalls).toBe(c.predictionPolicy === 'cache' ? ref.cachedPredicts : ref.steps);
        }
        const projected = c.chunks.filter(
          (ch) => Math.min(ch.validOutLen ?? ch.count, ch.count) > (ch.skipFrames ?? 0),
        ).length;
        expect(stats.projectCalls).toBe(c.kind === 'projected' ? projected : 0);
      }),
      { numRuns: 300 },
    );
  });

  it('gives identical tokens under cache and recompute, with fewer prediction calls', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const recompute = await runStreaming({ ...c, kind: 'split', predictionPolicy: 'recompute' });
        const cache = await runStreaming({ ...c, kind: 'split', predictionPolicy: 'cache' });
        expect(flat(cache.results, 'tokens')).toEqual(flat(recompute.results, 'tokens'));
        expect(flat(cache.results, 'globalFrames')).toEqual(flat(recompute.results, 'globalFrames'));
        const calls = (rs: ChunkResult[]): number => rs.reduce((n, r) => n + r.stats.predictCalls, 0);
        expect(calls(cache.results)).toBeLessThanOrEqual(calls(recompute.results));
      }),
      { numRuns: 150 },
    );
  });

  const V = 10;
  const BLANK = 9;
  const EOU = 7;
  const config = { blankId: BLANK, eouId: EOU, maxSymbolsPerFrame: 2 } as const;

  it('decodes an empty chunk to nothing without calling the model', () => {
    const model = scriptModel([1, 2], V, BLANK);
    const decoder = createStreamingDecoder(model, config);
    const r = decoder.decodeChunkSync(new Float32Array(0), 0);
    expect(Array.from(r.tokens)).toEqual([]);
    expect(r.stats).toEqual(emptyStats());
    expect(model.fedTokens).toEqual([]);
  });

  it('advances through all-blank frames without touching the state', () => {
    for (const kind of ['split', 'fused', 'projected'] as const) {
      const model = scriptModel([], V, BLANK, kind);
      const decoder = createStreamingDecoder(model, { ...config, predictionPolicy: 'recompute' });
      const r = decoder.decodeChunkSync(makeFrames(5, 1), 5);
      expect(Array.from(r.tokens)).toEqual([]);
      expect(r.stats.steps).toBe(5);
      expect(r.stats.frames).toBe(5);
      expect(model.fedTokens).toEqual([BLANK, BLANK, BLANK, BLANK, BLANK]);
      expect(Array.from(decoder.state.h)).toEqual([0, 0]);
      expect(decoder.state.lastToken[0]).toBe(BLANK);
    }
  });

  it('stops the chunk at an EOU on the first frame and keeps the state for the next chunk', () => {
    const model = scriptModel([3, EOU, 4], V, BLANK);
    const decoder = createStreamingDecoder(model, { ...config, eouPolicy: 'stop-chunk' });
    const r = decoder.decodeChunkSync(makeFrames(4, 1), 4);
    expect(Array.from(r.tokens)).toEqual([3]);
    expect(Array.from(r.eouFrames)).toEqual([0]);
    expect(r.eouDetected).toBe(true);
    expect(r.stats.steps).toBe(2); // frames 1..3 skipped
    expect(decoder.state.lastToken[0]).toBe(3);
    const next = decoder.decodeChunkSync(makeFrames(1, 2), 1);
    expect(Array.from(next.tokens)).toEqual([4]);
    expect(next.eouDetected).toBe(false);
    expect(model.fedTokens).toEqual([BLANK, 3, 3, 4]); // predict after EOU starts from the pre-EOU state
  });

  it('records an EOU on the last frame under reset and starts the next frame from the zero state', () => {
    const model = scriptModel([BLANK, BLANK, 5, EOU], V, BLANK);
    const decoder = createStreamingDecoder(model, { ...config, eouPolicy: 'reset' });
    const r = decoder.decodeChunkSync(makeFrames(3, 1), 3);
    expect(Array.from(r.tokens)).toEqual([5, EOU]);
    expect(Array.from(r.frames)).toEqual([2, 2]);
    expect(Array.from(r.eouFrames)).toEqual([2]);
    expect(decoder.state.lastToken[0]).toBe(BLANK);
    expect(Array.from(decoder.state.h)).toEqual([0, 0]);
    expect(Array.from(decoder.state.c)).toEqual([0, 0]);
  });

  it('records an EOU on the first frame under reset and decodes the same frame range on', () => {
    const model = scriptModel([EOU, 4, BLANK], V, BLANK);
    const decoder = createStreamingDecoder(model, { ...config, eouPolicy: 'reset' });
    const r = decoder.decodeChunkSync(makeFrames(2, 1), 2);
    expect(Array.from(r.tokens)).toEqual([EOU, 4]);
    expect(Array.from(r.frames)).toEqual([0, 1]);
    expect(Array.from(r.eouFrames)).toEqual([0]);
    expect(model.fedTokens).toEqual([BLANK, BLANK, 4]); // frame 1 starts from the reset state
  });

  it('stops at an EOU on the last frame of a chunk and keeps the state for the next chunk', () => {
    const model = scriptModel([BLANK, 5, EOU, BLANK], V, BLANK);
    const decoder = createStreamingDecoder(model, { ...config, eouPolicy: 'stop-chunk' });
    const r = decoder.decodeChunkSync(makeFrames(2, 1), 2);
    expect(Array.from(r.tokens)).toEqual([5]);
    expect(Array.from(r.eouFrames)).toEqual([1]);
    const h = Array.from(decoder.state.h);
    expect(decoder.state.lastToken[0]).toBe(5);
    const next = decoder.decodeChunkSync(makeFrames(1, 1), 1);
    expect(next.eouDetected).toBe(false);
    expect(Array.from(next.tokens)).toEqual([]);
    expect(Array.from(decoder.state.h)).toEqual(h);
  });

  it('decodes nothing when skipFrames reaches validOutLen, and validOutLen beyond the chunk is clamped', () => {
    const model = scriptModel([1, BLANK, 2, BLANK, 3, BLANK], V, BLANK);
    const decoder = createStreamingDecoder(model, config);
    expect(decoder.decodeChunkSync(makeFrames(4, 1), 4, { validOutLen: 2, skipFrames: 5 }).stats.steps).toBe(
      0,
    );
    expect(decoder.frameOffset).toBe(2);
    const r = decoder.decodeChunkSync(makeFrames(2, 1), 2, { validOutLen: 9 });
    expect(Array.from(r.globalFrames)).toEqual([2, 3]);
    expect(decoder.frameOffset).toBe(11);
  });

  it('moves on after the symbol cap on every frame without forcing a blank', () => {
    const model = scriptModel(
      Array.from({ length: 12 }, (_, i) => i % 5),
      V,
      BLANK,
    );
    const decoder = createStreamingDecoder(model, { ...config, maxSymbolsPerFrame: 3 });
    const r = decoder.decodeChunkSync(makeFrames(4, 1), 4);
    expect(Array.from(r.tokens)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
    expect(Array.from(r.frames)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(r.stats.steps).toBe(12);
    expect(Array.from(decoder.state.h)).toEqual([12, 12]); // every emission committed
  });

  it('carries the state across chunks and reset() returns to the start state', () => {
    const model = scriptModel([2, BLANK, BLANK, 6, BLANK], V, BLANK, 'split');
    const decoder = createStreamingDecoder(model, { ...config, predictionPolicy: 'cache' });
    decoder.decodeChunkSync(makeFrames(2, 1), 2);
    const second = decoder.decodeChunkSync(makeFrames(2, 2), 2);
    expect(Array.from(second.tokens)).toEqual([6]);
    expect(second.chunkIndex).toBe(1);
    expect(Array.from(second.globalFrames)).toEqual([2]);
    // cache: predict at start, after `2`, after `6`; never again on the blank steps
    expect(model.fedTokens).toEqual([BLANK, 2, 6]);
    expect(decoder.totals.predictCalls).toBe(3);
    expect(decoder.totals.jointCalls).toBe(6);
    decoder.reset();
    expect(decoder.state.lastToken[0]).toBe(BLANK);
    expect(Array.from(decoder.state.h)).toEqual([0, 0]);
    expect(decoder.chunkIndex).toBe(0);
    expect(decoder.frameOffset).toBe(0);
    expect(decoder.totals).toEqual(emptyStats());
    decoder.decodeChunkSync(makeFrames(1, 1), 1);
    expect(model.fedTokens).toEqual([BLANK, 2, 6, BLANK]);
  });

  it("stamps tokens with the seed's (chunkIdx*validOut + t) * frameMs formula", () => {
    const model = scriptModel([BLANK, BLANK, BLANK, BLANK, BLANK, BLANK, BLANK, 1, BLANK], V, BLANK);
    const decoder = createStreamingDecoder(model, config, { frameMs: frameMsFor(1280, 2) });
    let last: ChunkResult | undefined;
    for (let chunk = 0; chunk < 4; chunk++)
      last = decoder.decodeChunkSync(makeFrames(4, chunk), 4, { validOutLen: 2 });
    expect(frameMsFor(1280, 2)).toBe(40);
    expect(Array.from(last!.frames)).toEqual([1]);
    expect(Array.from(last!.globalFrames)).toEqual([3 * 2 + 1]);
    expect(Array.from(last!.timestampsMs)).toEqual([(3 * 2 + 1) * 40]);
  });

  it('skips leading frames but keeps them in the frame index', () => {
    const model = scriptModel([4], V, BLANK);
    const decoder = createStreamingDecoder(model, config);
    const r = decoder.decodeChunkSync(makeFrames(4, 1), 4, { skipFrames: 2 });
    expect(Array.from(r.frames)).toEqual([2]);
    expect(r.stats.frames).toBe(2);
  });

  it('records every step in the trace when asked, with state copies on request', () => {
    const model = scriptModel([3, 4, BLANK], V, BLANK, 'fused');
    const decoder = createStreamingDecoder(model, config);
    const r = decoder.decodeChunkSync(makeFrames(2, 1), 2, { trace: true, traceStates: true });
    expect(r.trace!.map((s) => [s.t, s.symbol, s.token])).toEqual([
      [0, 0, 3],
      [0, 1, 4],
      [1, 0, BLANK],
    ]);
    expect(Array.from(r.trace![0]!.h!)).toEqual([1, 1]);
    expect(Array.from(r.trace![2]!.h!)).toEqual([3, 3]);
    expect(decoder.decodeChunkSync(makeFrames(1, 1), 1).trace).toBeUndefined();
  });

  it('BAD CALL - rejects frames of the wrong size naming frames.length', () => {
    const decoder = createStreamingDecoder(scriptModel([], V, BLANK), config);
    expect(() => decoder.decodeChunkSync(new Float32Array(5), 3)).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'frames.length must be frameCount*encoderDim = 3*2 = 6, got 5',
      }),
    );
    expect(() => decoder.decodeChunkSync(new Float64Array(6) as never, 3)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'frames must be a Float32Array, got a Float64Array',
      }),
    );
    expect(() => decoder.decodeChunkSync(new Float32Array(6), 3, { validOutLen: -1 })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'options.validOutLen must be a non-negative integer, got -1',
      }),
    );
  });

  it('BAD CALL - rejects a config whose ids exceed the model vocabulary', () => {
    expect(() => createStreamingDecoder(scriptModel([], V, BLANK), { blankId: 10, eouId: 7 })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: "config.blankId must be below the model's vocabSize 10, got 10",
      }),
    );
  });

  it('BAD CALL - decodeChunkSync refuses an asynchronous model', () => {
    const decoder = createStreamingDecoder(scriptModel([], V, BLANK, 'split', false), config);
    expect(() => decoder.decodeChunkSync(new Float32Array(2), 1)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'decodeChunkSync needs a synchronous model (model.isSync is false); use decodeChunk',
      }),
    );
  });

  it('BAD CALL - a second decodeChunk before the first settles is refused', async () => {
    const decoder = createStreamingDecoder(scriptModel([], V, BLANK, 'split', false), config);
    const first = decoder.decodeChunk(makeFrames(2, 1), 2);
    expect(() => decoder.decodeChunk(makeFrames(2, 1), 2)).toThrow(
      expect.objectContaining({ name: 'RnntDecodeError', code: 'E_BUSY' }),
    );
    await first;
    await decoder.decodeChunk(makeFrames(2, 1), 2);
  });

  it('BAD CALL - rejects a model without the methods of its kind', () => {
    const model = { ...scriptModel([], V, BLANK, 'split'), joint: undefined };
    expect(() => createStreamingDecoder(model as never, config)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'model.joint must be a function for a split model',
      }),
    );
  });

  it('EXPECTED FAILURE - a model claiming to be synchronous but returning promises is caught', () => {
    const model = scriptModel([], V, BLANK, 'split', false);
    const decoder = createStreamingDecoder({ ...model, isSync: true }, config);
    expect(() => decoder.decodeChunkSync(makeFrames(1, 1), 1)).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_NOT_SYNC',
        message: 'model.isSync is true but model.predict() returned a promise; set isSync: false',
      }),
    );
  });

  it('EXPECTED FAILURE - a model returning a token outside the vocabulary is reported with the frame', async () => {
    for (const sync of [true, false]) {
      const p = { textVocab: 5, blankRate: 0, eouRate: 0, eobRate: 0, a: 1, b: 1 };
      const model = hashModel(p, { kind: 'split', sync, corruptToken: 8 });
      const decoder = createStreamingDecoder(model, { blankId: 7, eouId: 5 });
      const error = await Promise.resolve()
        .then(() => decoder.decodeChunk(makeFrames(2, 1), 2))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RnntDecodeError);
      expect(error).toMatchObject({
        name: 'RnntDecodeError',
        code: 'E_TOKEN_RANGE',
        field: 'token_id',
        message: 'model returned token_id 8 at frame 0, expected 0..7 (vocabSize 8)',
      });
    }
  });
});

describe('createStreamingDecoder with a stateless prediction net', () => {
  const statelessCaseArb = fc.record({
    params: paramsArb,
    chunks: fc.array(chunkArb, { maxLength: 6 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    maxSymbolsPerFrame: fc.integer({ min: 1, max: 4 }),
    eouPolicy: fc.constantFrom<EouPolicy>('stop-chunk', 'reset'),
    predictionPolicy: fc.constantFrom<PredictionPolicy>('recompute', 'cache'),
    contextSize: fc.integer({ min: 1, max: 4 }),
    noEou: fc.boolean(),
    sync: fc.boolean(),
    unkId: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
  });

  it('matches the reference loop under both policies, any cap, context size, chunking and unkId', async () => {
    await fc.assert(
      fc.asyncProperty(statelessCaseArb, async (c) => {
        const total = c.chunks.reduce((n, ch) => n + ch.count, 0);
        const frames = makeFrames(total, c.seed);
        const model = hashModel(c.params, { kind: 'stateless', sync: c.sync, contextSize: c.contextSize });
        const { blankId, eouId } = ids(c.params);
        const decoder = createStreamingDecoder(model, {
          blankId,
          ...(c.noEou ? {} : { eouId }),
          ...(c.unkId === undefined ? {} : { unkId: c.unkId }),
          maxSymbolsPerFrame: c.maxSymbolsPerFrame,
          eouPolicy: c.eouPolicy,
          predictionPolicy: c.predictionPolicy,
        });
        const results: ChunkResult[] = [];
        let first = 0;
        for (const ch of c.chunks) {
          const result = decoder.decodeChunk(
            frames.subarray(first * E, (first + ch.count) * E),
            ch.count,
            ch,
          );
          expect(result instanceof Promise).toBe(!c.sync);
          results.push(await result);
          first += ch.count;
        }
        const ref = referenceDecode(c.params, frames, c.chunks, { ...c, kind: 'stateless' });
        expect(flat(results, 'tokens')).toEqual(ref.tokens);
        expect(flat(results, 'globalFrames')).toEqual(ref.frames);
        expect(flat(results, 'probs')).toEqual(ref.probs);
        expect(flat(results, 'eouGlobalFrames')).toEqual(ref.eouFrames);
        const stats = results.reduce((s, r) => addStats(s, r.stats), emptyStats());
        expect(stats.steps).toBe(ref.steps);
        expect(stats.jointCalls).toBe(ref.steps);
        expect(stats.predictCalls).toBe(c.predictionPolicy === 'cache' ? ref.cachedPredicts : ref.steps);
      }),
      { numRuns: 300 },
    );
  });

  const V = 10;
  const BLANK = 0;

  it("starts from sherpa-onnx's context [-1, blank], shifts each emission in and restores it on reset()", () => {
    const model = scriptModel([3, 4, BLANK, 5], V, BLANK, 'stateless');
    const decoder = createStreamingDecoder(model, { blankId: BLANK, maxSymbolsPerFrame: 2 });
    const r = decoder.decodeChunkSync(makeFrames(3, 1), 3);
    expect(Array.from(r.tokens)).toEqual([3, 4, 5]);
    expect(model.fedContexts).toEqual([
      [-1, BLANK],
      [BLANK, 3],
      [3, 4],
      [3, 4], // recompute: the same context on the blank step
      [4, 5],
    ]);
    expect(Array.from(decoder.state.context)).toEqual([4, 5]);
    expect(decoder.state.lastToken[0]).toBe(5);
    expect(decoder.state.h).toHaveLength(0);
    decoder.reset();
    expect(Array.from(decoder.state.context)).toEqual([-1, BLANK]);
    expect(decoder.state.lastToken[0]).toBe(BLANK);
  });

  it('runs the prediction net only when the context changes under cache', () => {
    const model = scriptModel([3, BLANK, BLANK, BLANK, 4, BLANK], V, BLANK, 'stateless');
    const decoder = createStreamingDecoder(model, { blankId: BLANK, predictionPolicy: 'cache' });
    const r = decoder.decodeChunkSync(makeFrames(6, 1), 6);
    expect(Array.from(r.tokens)).toEqual([3, 4]);
    expect(model.fedContexts).toEqual([
      [-1, BLANK],
      [BLANK, 3],
      [3, 4],
    ]);
    expect(r.stats.predictCalls).toBe(3);
    expect(r.stats.jointCalls).toBe(6);
  });

  it('emits at most one symbol per frame by default, the family default of sherpa-onnx', () => {
    const model = scriptModel([3, 4, 5, 6], V, BLANK, 'stateless');
    const decoder = createStreamingDecoder(model, { blankId: BLANK });
    expect(decoder.config.maxSymbolsPerFrame).toBe(1);
    expect(decoder.config.eouId).toBeUndefined();
    const r = decoder.decodeChunkSync(makeFrames(3, 1), 3);
    expect(Array.from(r.tokens)).toEqual([3, 4, 5]);
    expect(Array.from(r.frames)).toEqual([0, 1, 2]);
  });

  it('restores a configured start context after an EOU under reset', () => {
    const model = scriptModel([3, 7, 4], V, BLANK, 'stateless');
    const decoder = createStreamingDecoder(model, {
      blankId: BLANK,
      eouId: 7,
      eouPolicy: 'reset',
      startContext: [BLANK, BLANK],
    });
    const r = decoder.decodeChunkSync(makeFrames(3, 1), 3);
    expect(Array.from(r.tokens)).toEqual([3, 7, 4]);
    expect(model.fedContexts).toEqual([
      [BLANK, BLANK],
      [BLANK, 3],
      [BLANK, BLANK], // frame 2 starts from the reset context
    ]);
    expect(Array.from(decoder.state.context)).toEqual([BLANK, 4]);
  });

  it('BAD CALL - rejects a start context of the wrong length naming config.startContext', () => {
    const model = scriptModel([], V, BLANK, 'stateless');
    expect(() => createStreamingDecoder(model, { blankId: BLANK, startContext: [BLANK] })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: "config.startContext must hold the model's contextSize 2 ids, got 1 ([0])",
      }),
    );
  });

  it('BAD CALL - rejects a stateless model without a context size', () => {
    const model = { ...scriptModel([], V, BLANK, 'stateless'), contextSize: 0 };
    expect(() => createStreamingDecoder(model, { blankId: BLANK })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'model.contextSize must be a positive integer, got 0',
      }),
    );
  });

  it('BAD CALL - rejects a caller-owned state made for another start context', () => {
    const model = scriptModel([], V, BLANK, 'stateless');
    const state = createDecodeState(model, BLANK);
    expect(() =>
      createStreamingDecoder(model, { blankId: BLANK, startContext: [BLANK, BLANK] }, { state }),
    ).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message:
          "state.startContext [-1, 0] must equal the config's [0, 0]; create the state with createDecodeState(model, config)",
      }),
    );
  });
});
