import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E, H, hashModel, ids, makeFrames, type HashParams, type Kind } from '../test/models';
import { hashSessions, statelessSessions } from '../test/sessions';
import { decodeBatch, decodeBatchSync } from './decodeBatch';
import { decodeUtterance } from './decodeUtterance';
import {
  fusedModelFromSession,
  projectedModelFromSessions,
  splitModelFromSessions,
  statelessModelFromSessions,
} from './sessionAdapters';
import type { StepModel } from './stepModels';

const caseArb = fc.record({
  params: fc.record({
    textVocab: fc.integer({ min: 2, max: 30 }),
    blankRate: fc.integer({ min: 0, max: 1000 }),
    eouRate: fc.integer({ min: 0, max: 300 }),
    eobRate: fc.integer({ min: 0, max: 100 }),
    a: fc.integer({ min: 1, max: 60 }),
    b: fc.integer({ min: 1, max: 60 }),
  }),
  lengths: fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 7 }),
  seed: fc.nat(),
  maxBatch: fc.integer({ min: 1, max: 4 }),
  maxSymbolsPerFrame: fc.integer({ min: 1, max: 3 }),
  chunkFrames: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  eouPolicy: fc.constantFrom('stop-chunk' as const, 'reset' as const),
  predictionPolicy: fc.constantFrom('recompute' as const, 'cache' as const),
  kind: fc.constantFrom<Kind>('split', 'fused', 'projected'),
  sync: fc.boolean(),
  viaSessions: fc.boolean(),
});

function modelFor(
  p: HashParams,
  kind: Kind,
  sync: boolean,
  maxBatch: number,
  viaSessions: boolean,
): StepModel {
  if (!viaSessions) return hashModel(p, { kind, sync, maxBatch });
  const s = hashSessions(p, { sync, batched: true });
  const dims = { hiddenSize: H, encoderDim: E, vocabSize: ids(p).vocabSize };
  const options = { maxBatch };
  if (kind === 'split') return splitModelFromSessions(s.decoder, s.joint, dims, options);
  if (kind === 'fused') return fusedModelFromSession(s.fused, dims, options);
  return projectedModelFromSessions(s.projectedEncoder, s.projectedDecoder, s.projectedJoint, dims, options);
}

describe(decodeBatch, () => {
  it('gives every utterance the same result as decoding it alone', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const model = modelFor(c.params, c.kind, c.sync, c.maxBatch, c.viaSessions);
        const { blankId, eouId, eobId } = ids(c.params);
        const { maxSymbolsPerFrame, eouPolicy, predictionPolicy } = c;
        const config = { blankId, eouId, eobId, maxSymbolsPerFrame, eouPolicy, predictionPolicy };
        const utterances = c.lengths.map((n, i) => ({ frames: makeFrames(n, c.seed + i), frameCount: n }));
        const options = c.chunkFrames === undefined ? {} : { chunkFrames: c.chunkFrames };
        const batch = await decodeBatch(model, utterances, config, options);
        expect(batch.utterances).toHaveLength(utterances.length);
        expect(batch.groups).toBe(Math.ceil(utterances.length / c.maxBatch));
        for (const [i, u] of utterances.entries()) {
          const single = await decodeUtterance(model, u.frames, u.frameCount, config, options);
          const got = batch.utterances[i]!;
          expect(Array.from(got.tokens)).toEqual(Array.from(single.tokens));
          expect(Array.from(got.frames)).toEqual(Array.from(single.frames));
          expect(Array.from(got.probs)).toEqual(Array.from(single.probs));
          expect(Array.from(got.eouFrames)).toEqual(Array.from(single.eouFrames));
          expect(Array.from(got.timestampsMs)).toEqual(Array.from(single.timestampsMs));
          expect(got.steps).toBe(single.stats.steps);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('needs fewer model calls than single decodes when rows share steps', () => {
    const p: HashParams = { textVocab: 9, blankRate: 500, eouRate: 20, eobRate: 0, a: 3, b: 5 };
    const model = hashModel(p, { kind: 'split', sync: true, maxBatch: 4 });
    const { blankId, eouId } = ids(p);
    const utterances = [0, 1, 2, 3].map((i) => ({ frames: makeFrames(30, i), frameCount: 30 }));
    const batch = decodeBatchSync(model, utterances, { blankId, eouId, eouPolicy: 'reset' });
    const stepsAlone = batch.utterances.reduce((n, u) => n + u.steps, 0);
    expect(batch.stats.steps).toBe(stepsAlone);
    expect(batch.stats.jointCalls).toBeLessThan(stepsAlone);
  });

  it('BAD CALL - names the utterance whose frames have the wrong size', () => {
    const model = hashModel(
      { textVocab: 3, blankRate: 0, eouRate: 0, eobRate: 0, a: 1, b: 1 },
      { kind: 'fused', sync: true },
    );
    const utterances = [
      { frames: new Float32Array(4), frameCount: 2 },
      { frames: new Float32Array(5), frameCount: 2 },
    ];
    expect(() => decodeBatchSync(model, utterances, { blankId: 5, eouId: 3 })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'utterances[1].frames.length must be frameCount*encoderDim = 4, got 5',
      }),
    );
  });

  it('BAD CALL - decodeBatchSync refuses an asynchronous model', () => {
    const model = hashModel(
      { textVocab: 3, blankRate: 0, eouRate: 0, eobRate: 0, a: 1, b: 1 },
      { kind: 'fused', sync: false },
    );
    expect(() => decodeBatchSync(model, [], { blankId: 5, eouId: 3 })).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'decodeBatchSync needs a synchronous model (model.isSync is false); use decodeBatch',
      }),
    );
  });

  it('EXPECTED FAILURE - an out-of-range token names the batch row and frame', () => {
    const p = { textVocab: 3, blankRate: 0, eouRate: 0, eobRate: 0, a: 1, b: 1 };
    const model = hashModel(p, { kind: 'split', sync: true, maxBatch: 2, corruptToken: -1 });
    const utterances = [0, 1].map((i) => ({ frames: makeFrames(2, i), frameCount: 2 }));
    expect(() => decodeBatchSync(model, utterances, { blankId: 5, eouId: 3 })).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_TOKEN_RANGE',
        message: 'model returned token_id -1 for batch row 0 at frame 0, expected 0..5 (vocabSize 6)',
      }),
    );
  });
});

describe('decodeBatch with a stateless prediction net', () => {
  it('gives every utterance the same result as decoding it alone, through models and sessions', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArb,
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        async (c, contextSize, noEou) => {
          const sessions = statelessSessions(c.params, { sync: c.sync, batched: true, contextSize });
          const dims = { contextSize, decoderDim: H, encoderDim: E, vocabSize: ids(c.params).vocabSize };
          const model = c.viaSessions
            ? statelessModelFromSessions(sessions.decoder, sessions.joiner, dims, { maxBatch: c.maxBatch })
            : hashModel(c.params, { kind: 'stateless', sync: c.sync, maxBatch: c.maxBatch, contextSize });
          const { blankId, eouId } = ids(c.params);
          const { maxSymbolsPerFrame, eouPolicy, predictionPolicy } = c;
          const config = {
            blankId,
            ...(noEou ? {} : { eouId }),
            maxSymbolsPerFrame,
            eouPolicy,
            predictionPolicy,
          };
          const utterances = c.lengths.map((n, i) => ({ frames: makeFrames(n, c.seed + i), frameCount: n }));
          const options = c.chunkFrames === undefined ? {} : { chunkFrames: c.chunkFrames };
          const batch = await decodeBatch(model, utterances, config, options);
          expect(batch.groups).toBe(Math.ceil(utterances.length / c.maxBatch));
          for (const [i, u] of utterances.entries()) {
            const single = await decodeUtterance(model, u.frames, u.frameCount, config, options);
            const got = batch.utterances[i]!;
            expect(Array.from(got.tokens)).toEqual(Array.from(single.tokens));
            expect(Array.from(got.frames)).toEqual(Array.from(single.frames));
            expect(Array.from(got.probs)).toEqual(Array.from(single.probs));
            expect(Array.from(got.eouFrames)).toEqual(Array.from(single.eouFrames));
            expect(got.steps).toBe(single.stats.steps);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
