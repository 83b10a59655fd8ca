import type { Tensor, TensorMap } from '@eou/rnnt-decode';
import { openOnnxSession } from '@eou/onnx-runtime';
import { describe, expect, it } from 'vitest';
import { readOnnx, writeOnnx } from '@eou/graph';
import { referenceDecoderStep, referenceJointStep } from '../reference/referenceModel';
import { Random } from '../synth/random';
import { buildDecoderModel, buildJointDecisionModel } from './canonicalModels';
import type { DecoderWeights, JointWeights } from './weights';
import { roundDecoderWeightsToFp16, roundJointWeightsToFp16 } from './weights';

const V = 13;
const H = 8;
const E = 6;
const J = 10;

function weights(seed: number): { dec: DecoderWeights; joint: JointWeights } {
  const r = new Random(seed);
  const dec = roundDecoderWeightsToFp16({
    vocabSize: V,
    hiddenSize: H,
    embed: r.uniformArray(V * H, 1),
    W: r.uniformArray(4 * H * H, 0.6),
    R: r.uniformArray(4 * H * H, 0.6),
    B: r.uniformArray(8 * H, 0.3),
  });
  const joint = roundJointWeightsToFp16({
    vocabSize: V,
    hiddenSize: H,
    encoderDim: E,
    jointDim: J,
    encWeight: r.uniformArray(J * E, 0.5),
    encBias: r.uniformArray(J, 0.1),
    predWeight: r.uniformArray(J * H, 0.5),
    predBias: r.uniformArray(J, 0.1),
    outWeight: r.uniformArray(V * J, 0.8),
    outBias: r.uniformArray(V, 0.1),
  });
  return { dec, joint };
}

const session = (bytes: Uint8Array, name: string) => openOnnxSession({ bytes, name });
const f32 = (data: Float32Array, dims: number[]): Tensor => ({ dtype: 'float32', dims, data });
const i32 = (data: Int32Array, dims: number[]): Tensor => ({ dtype: 'int32', dims, data });
const run = async (s: Awaited<ReturnType<typeof session>>, feeds: TensorMap) => s.run(feeds);

describe('canonical decoder and joint_decision builders', () => {
  it('declare exactly the contract inputs and outputs of docs/onnx-layout.md, with fp16 initializers', () => {
    const { dec, joint } = weights(1);
    const d = readOnnx(writeOnnx(buildDecoderModel(dec)));
    expect(d.graph.inputs.map((v) => [v.name, v.dtype, v.shape])).toEqual([
      ['targets', 'int32', [1, 1]],
      ['target_length', 'int32', [1]],
      ['h_in', 'float32', [1, 1, H]],
      ['c_in', 'float32', [1, 1, H]],
    ]);
    expect(d.graph.outputs.map((v) => [v.name, v.dtype, v.shape])).toEqual([
      ['decoder', 'float32', [1, H, 1]],
      ['h_out', 'float32', [1, 1, H]],
      ['c_out', 'float32', [1, 1, H]],
    ]);
    expect(
      [...d.graph.initializers]
        .filter(([n]) => !/^(shape|axes|topk)/.test(n))
        .map(([n, t]) => [n, t.dtype, t.dims]),
    ).toEqual([
      ['embed.weight', 'float16', [V, H]],
      ['lstm.W', 'float16', [1, 4 * H, H]],
      ['lstm.R', 'float16', [1, 4 * H, H]],
      ['lstm.B', 'float16', [1, 8 * H]],
    ]);
    expect(d.metadata['eou.kind']).toBe('decoder');
    expect(d.opsetImports).toEqual([{ domain: '', version: 17 }]);
    expect(d.irVersion).toBe(8);
    const j = buildJointDecisionModel(joint, { batch: true });
    expect(j.graph.inputs.map((v) => [v.name, v.shape])).toEqual([
      ['encoder_step', ['B', E, 1]],
      ['decoder_step', ['B', H, 1]],
    ]);
    expect(j.graph.outputs.map((v) => [v.name, v.dtype, v.shape])).toEqual([
      ['token_id', 'int32', ['B', 1, 1]],
      ['token_prob', 'float32', ['B', 1, 1]],
      ['top_k_ids', 'int32', ['B', 1, 1, V]],
      ['top_k_logits', 'float32', ['B', 1, 1, V]],
    ]);
  });

  it('run in ONNX Runtime and match the reference math (LSTM gate order i,o,f,c, joint, argmax, softmax prob, top-k) within fp16 tolerance', async () => {
    const { dec, joint } = weights(7);
    const ds = await session(writeOnnx(buildDecoderModel(dec)), 'decoder.onnx');
    const js = await session(writeOnnx(buildJointDecisionModel(joint, { topK: 5 })), 'joint_decision.onnx');
    const r = new Random(99);
    let h = new Float32Array(H);
    let c = new Float32Array(H);
    let token = V - 1;
    let emitted = 0;
    let agree = 0;
    for (let step = 0; step < 40; step++) {
      const out = await run(ds, {
        targets: i32(Int32Array.of(token), [1, 1]),
        target_length: i32(Int32Array.of(1), [1]),
        h_in: f32(h, [1, 1, H]),
        c_in: f32(c, [1, 1, H]),
      });
      const ref = referenceDecoderStep(dec, token, h, c);
      const got = {
        decoder: out.decoder!.data as Float32Array,
        h: out.h_out!.data as Float32Array,
        c: out.c_out!.data as Float32Array,
      };
      expect(out.decoder!.dims).toEqual([1, H, 1]);
      for (const k of ['decoder', 'h', 'c'] as const) {
        for (let i = 0; i < H; i++) {
          const diff = Math.abs(got[k][i]! - ref[k][i]!);
          // One fp16 ulp at |x| < 2 is <= 2^-10; kernels differ only in float32 rounding.
          expect(diff).toBeLessThanOrEqual(2 ** -10 * Math.max(1, Math.abs(ref[k][i]!)) + 1e-6);
        }
      }
      const enc = r.uniformArray(E, 2);
      const jo = await run(js, {
        encoder_step: f32(enc, [1, E, 1]),
        decoder_step: f32(got.decoder, [1, H, 1]),
      });
      const jref = referenceJointStep(joint, enc, got.decoder, 5);
      const id = (jo.token_id!.data as Int32Array)[0]!;
      const sorted = [...jref.logits].sort((a, b) => b - a);
      if (sorted[0]! - sorted[1]! > 2 ** -8 * Math.abs(sorted[0]!) + 1e-3) {
        expect(id).toBe(jref.tokenId);
        expect(Array.from(jo.top_k_ids!.data as Int32Array)).toEqual(jref.topKIds);
        agree++;
      }
      expect((jo.token_prob!.data as Float32Array)[0]).toBeCloseTo(jref.prob, 2);
      expect(Array.from(jo.top_k_logits!.data as Float32Array)).toEqual(
        Array.from(jo.top_k_ids!.data as Int32Array, (i) => expect.closeTo(jref.logits[i]!, 2)),
      );
      expect(jo.top_k_logits!.dims).toEqual([1, 1, 1, 5]);
      // Advance like a greedy decoder on a non-blank.
      if (id !== V - 1) {
        token = id;
        emitted++;
        h = got.h.slice();
        c = got.c.slice();
      }
    }
    expect(agree).toBeGreaterThan(30);
    expect(emitted).toBeGreaterThan(3); // the state really moved through the LSTM
    await ds.close();
    await js.close();
  });

  it('batch models take several rows at once and give each row its single-row result', async () => {
    const { dec, joint } = weights(3);
    const ds = await session(
      writeOnnx(buildDecoderModel(dec, { batch: true, weightDType: 'float32' })),
      'decoder.onnx',
    );
    const js = await session(
      writeOnnx(buildJointDecisionModel(joint, { batch: 'N' })),
      'joint_decision.onnx',
    );
    const r = new Random(5);
    const h = r.uniformArray(3 * H, 0.5);
    const c = r.uniformArray(3 * H, 0.5);
    const out = await run(ds, {
      targets: i32(Int32Array.of(0, 4, V - 1), [3, 1]),
      target_length: i32(Int32Array.of(1, 1, 1), [3]),
      h_in: f32(h, [1, 3, H]),
      c_in: f32(c, [1, 3, H]),
    });
    expect(out.decoder!.dims).toEqual([3, H, 1]);
    [0, 4, V - 1].forEach((t, row) => {
      const ref = referenceDecoderStep(
        dec,
        t,
        h.subarray(row * H, row * H + H),
        c.subarray(row * H, row * H + H),
      );
      const got = (out.h_out!.data as Float32Array).subarray(row * H, row * H + H);
      for (let i = 0; i < H; i++) expect(got[i]).toBeCloseTo(ref.h[i]!, 2);
    });
    const enc = r.uniformArray(3 * E, 2);
    const jo = await run(js, {
      encoder_step: f32(enc, [3, E, 1]),
      decoder_step: f32(out.decoder!.data as Float32Array, [3, H, 1]),
    });
    expect(jo.token_id!.dims).toEqual([3, 1, 1]);
    expect(jo.top_k_ids!.dims).toEqual([3, 1, 1, V]);
    await ds.close();
    await js.close();
  });

  it('BAD CALL - wrong-sized weights are refused naming the field', () => {
    const { dec, joint } = weights(1);
    expect(() => buildDecoderModel({ ...dec, R: new Float32Array(3) })).toThrowError(
      new RangeError(`weights.R has 3 values, expected ${4 * H * H}`),
    );
    expect(() => buildJointDecisionModel({ ...joint, outBias: new Float32Array(1) })).toThrowError(
      RangeError,
    );
    expect(() => buildJointDecisionModel(joint, { topK: V + 1 })).toThrowError(
      `options.topK must be an integer in [1, ${V}], got ${V + 1}`,
    );
  });
});
