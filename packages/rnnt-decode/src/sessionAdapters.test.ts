import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E, H, ids, makeFrames, predictContextRow, type HashParams } from '../test/models';
import { referenceDecode } from '../test/reference';
import { fakeSession, hashLogits, hashSessions, softmaxAtMax, statelessSessions } from '../test/sessions';
import { decodeUtterance } from './decodeUtterance';
import type { TensorInfo } from './session';
import {
  fusedModelFromSession,
  projectedModelFromSessions,
  splitModelFromSessions,
  statelessModelFromSessions,
} from './sessionAdapters';
import type { StepModel } from './stepModels';

const params: HashParams = { textVocab: 11, blankRate: 450, eouRate: 60, eobRate: 30, a: 7, b: 3 };
const dims = { hiddenSize: H, encoderDim: E, vocabSize: ids(params).vocabSize, jointDim: H };

describe('session adapters', () => {
  it('decode exactly like the reference loop through split, fused and projected sessions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          kind: fc.constantFrom('split', 'fused', 'projected'),
          sync: fc.boolean(),
          batched: fc.boolean(),
          targetLength: fc.boolean(),
          honourOutputs: fc.boolean(),
          preallocateOutputs: fc.boolean(),
          frames: fc.integer({ min: 0, max: 12 }),
          chunkFrames: fc.integer({ min: 1, max: 5 }),
          seed: fc.nat(),
          eouPolicy: fc.constantFrom('stop-chunk' as const, 'reset' as const),
          predictionPolicy: fc.constantFrom('recompute' as const, 'cache' as const),
        }),
        async (c) => {
          const s = hashSessions(params, c);
          const options = { preallocateOutputs: c.preallocateOutputs };
          const model: StepModel =
            c.kind === 'split'
              ? splitModelFromSessions(s.decoder, s.joint, dims, options)
              : c.kind === 'fused'
                ? fusedModelFromSession(s.fused, dims, options)
                : projectedModelFromSessions(
                    s.projectedEncoder,
                    s.projectedDecoder,
                    s.projectedJoint,
                    dims,
                    options,
                  );
          expect(model.isSync).toBe(c.sync);
          expect(model.maxBatch).toBe(c.batched ? 256 : 1);
          const frames = makeFrames(c.frames, c.seed);
          const { blankId, eouId } = ids(params);
          const config = { blankId, eouId, eouPolicy: c.eouPolicy, predictionPolicy: c.predictionPolicy };
          const result = await decodeUtterance(model, frames, c.frames, config, {
            chunkFrames: c.chunkFrames,
          });
          const chunks = Array.from({ length: Math.ceil(c.frames / c.chunkFrames) }, (_, i) => ({
            count: Math.min(c.chunkFrames, c.frames - i * c.chunkFrames),
          }));
          const ref = referenceDecode(params, frames, chunks, {
            maxSymbolsPerFrame: 2,
            eouPolicy: c.eouPolicy,
          });
          expect(Array.from(result.tokens)).toEqual(ref.tokens);
          expect(Array.from(result.frames)).toEqual(ref.frames);
          expect(Array.from(result.probs)).toEqual(ref.probs);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('serialises concurrent calls on one asynchronous adapter, whose feeds are shared', async () => {
    for (const kind of ['split', 'fused', 'projected'] as const) {
      const s = hashSessions(params, { sync: false });
      const model: StepModel =
        kind === 'split'
          ? splitModelFromSessions(s.decoder, s.joint, dims)
          : kind === 'fused'
            ? fusedModelFromSession(s.fused, dims)
            : projectedModelFromSessions(s.projectedEncoder, s.projectedDecoder, s.projectedJoint, dims);
      const { blankId, eouId } = ids(params);
      const config = { blankId, eouId, eouPolicy: 'reset' as const };
      const inputs = [0, 1, 2, 3].map((i) => makeFrames(9 + i, 100 + i));
      const alone: number[][] = [];
      for (const f of inputs)
        alone.push(Array.from((await decodeUtterance(model, f, f.length / E, config)).tokens));
      const together = await Promise.all(
        inputs.map(async (f) => decodeUtterance(model, f, f.length / E, config)),
      );
      expect(together.map((r) => Array.from(r.tokens))).toEqual(alone);
    }
  });

  it('feeds target_length to a fused graph only when the graph declares it', () => {
    for (const targetLength of [false, true]) {
      const s = hashSessions(params, { sync: true, targetLength });
      const model = fusedModelFromSession(s.fused, dims);
      if (model.kind !== 'fused') throw new Error('kind');
      const out = {
        tokens: new Int32Array(1),
        probs: new Float32Array(1),
        h: new Float32Array(H),
        c: new Float32Array(H),
      };
      void model.step(
        new Int32Array([ids(params).blankId]),
        new Float32Array(H),
        new Float32Array(H),
        new Float32Array(E),
        out,
      );
      expect(s.fused.lastFed.includes('target_length')).toBe(targetLength);
    }
  });

  it('accepts h_out and c_out as float16 bits', () => {
    const f16 = (name: string): TensorInfo => ({ name, dtype: 'float16', shape: [1, 1, 2] });
    const session = fakeSession(
      'fused.onnx',
      [
        { name: 'targets', dtype: 'int32', shape: [1, 1] },
        { name: 'h_in', dtype: 'float32', shape: [1, 1, 2] },
        { name: 'c_in', dtype: 'float32', shape: [1, 1, 2] },
        { name: 'encoder_step', dtype: 'float32', shape: [1, 2, 1] },
      ],
      [
        { name: 'token_id', dtype: 'int32', shape: [1, 1, 1] },
        { name: 'token_prob', dtype: 'float32', shape: [1, 1, 1] },
        f16('h_out'),
        f16('c_out'),
      ],
      () => ({ token_id: [3], token_prob: [0.25], h_out: [0x3e00, 0xc000], c_out: [0x7c00, 0x0001] }),
      { sync: true, honourOutputs: false },
    );
    // the fake writes the raw numbers into a Float32Array; give it Uint16 storage like a runtime would
    const run = session.run.bind(session);
    session.run = (feeds, outputs) => {
      const r = run(feeds, outputs) as Record<string, { dtype: string; dims: number[]; data: Float32Array }>;
      for (const name of ['h_out', 'c_out'])
        r[name] = { dtype: 'float16', dims: [1, 1, 2], data: Uint16Array.from(r[name]!.data) as never };
      return r as never;
    };
    const model = fusedModelFromSession(session, { hiddenSize: 2, encoderDim: 2, vocabSize: 5 });
    const out = {
      tokens: new Int32Array(1),
      probs: new Float32Array(1),
      h: new Float32Array(2),
      c: new Float32Array(2),
    };
    void model.step(new Int32Array([4]), new Float32Array(2), new Float32Array(2), new Float32Array(2), out);
    expect(Array.from(out.h)).toEqual([1.5, -2]);
    expect(Array.from(out.c)).toEqual([Infinity, 2 ** -24]);
    expect(out.tokens[0]).toBe(3);
  });

  it('is synchronous only when every session is', () => {
    const sync = hashSessions(params, { sync: true });
    const async = hashSessions(params, { sync: false });
    expect(splitModelFromSessions(sync.decoder, async.joint, dims).isSync).toBe(false);
    expect(
      projectedModelFromSessions(async.projectedEncoder, sync.projectedDecoder, sync.projectedJoint, dims)
        .isSync,
    ).toBe(false);
    expect(splitModelFromSessions(sync.decoder, sync.joint, dims).isSync).toBe(true);
  });

  it('EXPECTED FAILURE - a session declaring the wrong state shape is named with expected vs actual', () => {
    const s = hashSessions(params, { sync: true });
    const bad = {
      ...s.decoder,
      inputs: s.decoder.inputs.map((i) => (i.name === 'h_in' ? { ...i, shape: [1, 1, 320] } : i)),
    };
    expect(() => splitModelFromSessions(bad, s.joint, dims)).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_CONTRACT',
        file: 'decoder.onnx',
        field: 'h_in',
        message: 'decoder.onnx: input `h_in` expected float32 [1,B,2], got float32 [1,1,320]',
      }),
    );
  });

  it('EXPECTED FAILURE - a session missing an output or declaring a wrong dtype is refused', () => {
    const s = hashSessions(params, { sync: true });
    const noProb = { ...s.joint, outputs: s.joint.outputs.filter((o) => o.name !== 'token_prob') };
    expect(() => splitModelFromSessions(s.decoder, noProb, dims)).toThrow(
      expect.objectContaining({
        code: 'E_CONTRACT',
        message:
          'joint_decision.onnx: missing output `token_prob` (expected float32 [B,1,1]); declared: token_id',
      }),
    );
    const int64 = {
      ...s.fused,
      outputs: s.fused.outputs.map((o) => (o.name === 'token_id' ? { ...o, dtype: 'int64' as const } : o)),
    };
    expect(() => fusedModelFromSession(int64, dims)).toThrow(
      expect.objectContaining({
        code: 'E_CONTRACT',
        message:
          'decoder_joint_decision_fused.onnx: output `token_id` expected int32 [B,1,1], got int64 [1,1,1]',
      }),
    );
    const extra = {
      ...s.joint,
      inputs: [...s.joint.inputs, { name: 'mask', dtype: 'int32' as const, shape: [1] }],
    };
    expect(() => splitModelFromSessions(s.decoder, extra, dims)).toThrow(
      expect.objectContaining({
        code: 'E_CONTRACT',
        message:
          'joint_decision.onnx: input `mask` is not in the contract (expected encoder_step, decoder_step)',
      }),
    );
  });

  it('EXPECTED FAILURE - a run returning the wrong number of elements is reported', () => {
    const s = hashSessions(params, { sync: true, honourOutputs: false });
    const run = s.joint.run.bind(s.joint);
    s.joint.run = (feeds) => ({
      ...(run(feeds) as object),
      token_prob: { dtype: 'float32', dims: [2], data: new Float32Array(2) },
    });
    const model = splitModelFromSessions(s.decoder, s.joint, dims, { preallocateOutputs: false });
    if (model.kind !== 'split') throw new Error('kind');
    expect(() =>
      model.joint(new Float32Array(E), new Float32Array(H), {
        tokens: new Int32Array(1),
        probs: new Float32Array(1),
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'E_CONTRACT',
        message: 'joint_decision.onnx: output `token_prob` has 2 elements [2], expected 1',
      }),
    );
  });
});

describe(statelessModelFromSessions, () => {
  const K = 2;
  const V = ids(params).vocabSize;
  const statelessDims = { contextSize: K, decoderDim: H, encoderDim: E, vocabSize: V };

  it('decodes exactly like the reference loop through decoder and joiner sessions (argmax and softmax on the host)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          sync: fc.boolean(),
          batched: fc.boolean(),
          honourOutputs: fc.boolean(),
          preallocateOutputs: fc.boolean(),
          yType: fc.constantFrom('int64' as const, 'int32' as const),
          contextSize: fc.integer({ min: 1, max: 3 }),
          frames: fc.integer({ min: 0, max: 12 }),
          chunkFrames: fc.integer({ min: 1, max: 5 }),
          seed: fc.nat(),
          eouPolicy: fc.constantFrom('stop-chunk' as const, 'reset' as const),
          predictionPolicy: fc.constantFrom('recompute' as const, 'cache' as const),
        }),
        async (c) => {
          const s = statelessSessions(params, c);
          const model = statelessModelFromSessions(
            s.decoder,
            s.joiner,
            { ...statelessDims, contextSize: c.contextSize },
            { preallocateOutputs: c.preallocateOutputs },
          );
          expect(model.isSync).toBe(c.sync);
          expect(model.maxBatch).toBe(c.batched ? 256 : 1);
          const frames = makeFrames(c.frames, c.seed);
          const { blankId, eouId } = ids(params);
          const config = { blankId, eouId, eouPolicy: c.eouPolicy, predictionPolicy: c.predictionPolicy };
          const result = await decodeUtterance(model, frames, c.frames, config, {
            chunkFrames: c.chunkFrames,
          });
          const chunks = Array.from({ length: Math.ceil(c.frames / c.chunkFrames) }, (_, i) => ({
            count: Math.min(c.chunkFrames, c.frames - i * c.chunkFrames),
          }));
          const ref = referenceDecode(params, frames, chunks, {
            maxSymbolsPerFrame: 1,
            eouPolicy: c.eouPolicy,
            kind: 'stateless',
            contextSize: c.contextSize,
          });
          expect(Array.from(result.tokens)).toEqual(ref.tokens);
          expect(Array.from(result.frames)).toEqual(ref.frames);
          // The host's softmax at the argmax of the fake joiner's logits for that frame.
          const probs = ref.tokens.map((token, i) => {
            const t = ref.frames[i]!;
            return softmaxAtMax(hashLogits(token, V, frames[t * E]! + frames[t * E + 1]!));
          });
          expect(Array.from(result.probs)).toEqual(probs);
          const calls = s.decoder.calls;
          expect(calls).toBe(c.predictionPolicy === 'cache' ? ref.cachedPredicts : ref.steps);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('feeds -1 in the start context as int64 and the shifted ids after emissions', () => {
    const s = statelessSessions(params, { sync: true });
    const model = statelessModelFromSessions(s.decoder, s.joiner, statelessDims);
    const out = new Float32Array(H);
    void model.predict(Int32Array.of(-1, 5), out);
    expect(Array.from(out)).toEqual(predictContextRow(params, [-1, 5]));
    void model.predict(Int32Array.of(2147483647, -2147483648), out);
    expect(Array.from(out)).toEqual(predictContextRow(params, [2147483647, -2147483648]));
  });

  it('EXPECTED FAILURE - a joiner whose logits are not vocabSize wide is named with the tensor', () => {
    const s = statelessSessions(params, { sync: true });
    const joiner = {
      ...s.joiner,
      outputs: [{ name: 'logit', dtype: 'float32' as const, shape: [1, V + 1] }],
    };
    expect(() => statelessModelFromSessions(s.decoder, joiner, statelessDims)).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_CONTRACT',
        message: `joiner.onnx: output \`logit\` expected float32 or float16 [B,${V}], got float32 [1,${V + 1}]`,
      }),
    );
  });

  it('EXPECTED FAILURE - a decoder with a different context size is named with the tensor', () => {
    const s = statelessSessions(params, { sync: true, contextSize: 3 });
    expect(() => statelessModelFromSessions(s.decoder, s.joiner, statelessDims)).toThrow(
      expect.objectContaining({
        code: 'E_CONTRACT',
        message: 'decoder.onnx: input `y` expected int64 or int32 [B,2], got int64 [1,3]',
      }),
    );
  });

  it('BAD CALL - rejects a non-positive context size naming dims.contextSize', () => {
    const s = statelessSessions(params, { sync: true });
    expect(() =>
      statelessModelFromSessions(s.decoder, s.joiner, { ...statelessDims, contextSize: 0 }),
    ).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'dims.contextSize must be a positive integer, got 0',
      }),
    );
  });
});
