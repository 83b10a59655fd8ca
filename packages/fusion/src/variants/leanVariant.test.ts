import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractDecoderJointWeights } from './decoderJointWeights';
import { buildLeanGraph, leanVariant } from './leanVariant';
import { leanTopkVariant } from './leanTopkVariant';
import type { TinyPair } from './tinyPair.fixture';
import { referenceStep, session, stepInputs, tensor, tinyPair } from './tinyPair.fixture';

const files = { decoder: 'decoder.onnx', joint: 'joint_decision.onnx' };
const sources = {
  decoder: { file: files.decoder, sha256: 'd'.repeat(64) },
  joint: { file: files.joint, sha256: 'j'.repeat(64) },
};
const input = (p: TinyPair) => ({
  decoder: p.decoder,
  joint: p.joint,
  weights: extractDecoderJointWeights(p.decoder, p.joint, files),
  sources,
});

/** Top-1 minus top-2 logit of the reference: decisions are compared only where this is not a tie. */
const margin = (logits: Float32Array) => {
  const s = Array.from(logits).sort((a, b) => b - a);
  return s[0]! - s[1]!;
};

describe(buildLeanGraph, () => {
  it('computes the reference step (token, prob, h, c) on ONNX Runtime', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), async (seed) => {
        const p = tinyPair({ V: 13, H: 8, E: 6, J: 10, K: 5 }, seed);
        const [model] = leanVariant.build(input(p));
        const run = await session(model!.model);
        const x = stepInputs(p, seed);
        const out = await run({
          targets: tensor.i32([x.token], [1, 1]),
          h_in: tensor.f32(x.h, [1, 1, 8]),
          c_in: tensor.f32(x.c, [1, 1, 8]),
          encoder_step: tensor.f32(x.enc, [1, 6, 1]),
        });
        const ref = referenceStep(p, x.token, x.h, x.c, x.enc);
        expect(Object.keys(out).sort()).toEqual(['c_out', 'h_out', 'token_id', 'token_prob']);
        for (let k = 0; k < 8; k++) {
          expect(out.h_out!.data[k] as number).toBeCloseTo(ref.h[k]!, 2);
          expect(out.c_out!.data[k] as number).toBeCloseTo(ref.c[k]!, 2);
        }
        if (margin(ref.logits) > 0.05) expect(out.token_id!.data[0]).toBe(ref.tokenId);
        expect(Math.abs((out.token_prob!.data[0] as number) - ref.prob)).toBeLessThan(5e-3);
      }),
      { numRuns: 8 },
    );
  });

  it('decodes B rows at once when the pair has a symbolic batch dim', async () => {
    const p = tinyPair({ V: 9, H: 4, E: 3, J: 5, K: 3 }, 5, { batch: true });
    const w = extractDecoderJointWeights(p.decoder, p.joint, files);
    expect(w.batch).toBe('B');
    const run = await session({ ...p.decoder, graph: buildLeanGraph(w) });
    const rows = [0, 1, 2].map((r) => stepInputs(p, r));
    const out = await run({
      targets: tensor.i32(
        rows.map((x) => x.token),
        [3, 1],
      ),
      h_in: tensor.f32(
        rows.flatMap((x) => [...x.h]),
        [1, 3, 4],
      ),
      c_in: tensor.f32(
        rows.flatMap((x) => [...x.c]),
        [1, 3, 4],
      ),
      encoder_step: tensor.f32(
        rows.flatMap((x) => [...x.enc]),
        [3, 3, 1],
      ),
    });
    expect(out.token_id!.dims).toEqual([3, 1, 1]);
    rows.forEach((x, r) => {
      const ref = referenceStep(p, x.token, x.h, x.c, x.enc);
      if (margin(ref.logits) > 0.05) expect(out.token_id!.data[r]).toBe(ref.tokenId);
      for (let k = 0; k < 4; k++) expect(out.h_out!.data[r * 4 + k] as number).toBeCloseTo(ref.h[k]!, 2);
    });
  });

  it('has no target_length, no top-k and no boundary transposes', () => {
    const p = tinyPair({ V: 9, H: 4, E: 3, J: 5, K: 3 }, 1);
    const g = buildLeanGraph(extractDecoderJointWeights(p.decoder, p.joint, files));
    expect(g.inputs.map((v) => v.name)).toEqual(['targets', 'h_in', 'c_in', 'encoder_step']);
    const ops = g.nodes.map((n) => n.opType);
    expect(ops).not.toContain('Transpose');
    expect(ops).not.toContain('TopK');
    expect(ops).not.toContain('Squeeze');
  });
});

describe('leanTopkVariant', () => {
  it('outputs the reference top-k ids (sorted by logit) and logits', async () => {
    const p = tinyPair({ V: 17, H: 6, E: 5, J: 8, K: 6 }, 11);
    const [model] = leanTopkVariant.build(input(p));
    expect(model!.fileName).toBe('decoder_joint_decision_fused_topk.onnx');
    const run = await session(model!.model);
    for (let seed = 0; seed < 6; seed++) {
      const x = stepInputs(p, seed);
      const out = await run({
        targets: tensor.i32([x.token], [1, 1]),
        h_in: tensor.f32(x.h, [1, 1, 6]),
        c_in: tensor.f32(x.c, [1, 1, 6]),
        encoder_step: tensor.f32(x.enc, [1, 5, 1]),
      });
      const ref = referenceStep(p, x.token, x.h, x.c, x.enc);
      expect(out.top_k_ids!.dims).toEqual([1, 1, 1, 6]);
      const ids = Array.from(out.top_k_ids!.data as Int32Array);
      const logits = Array.from(out.top_k_logits!.data as Float32Array);
      for (let k = 1; k < 6; k++) expect(logits[k]!).toBeLessThanOrEqual(logits[k - 1]!);
      logits.forEach((v, k) => expect(v).toBeCloseTo(ref.logits[ids[k]!]!, 1));
      const gaps = ref.topKIds.slice(0, 5).map((id, k) => ref.logits[id]! - ref.logits[ref.topKIds[k + 1]!]!);
      if (Math.min(...gaps) > 0.05) expect(ids).toEqual(ref.topKIds);
    }
  });

  it('EXPECTED FAILURE - refuses a joint without a TopK head', () => {
    const p = tinyPair({ V: 9, H: 4, E: 3, J: 5, K: 3 }, 1);
    const w = { ...extractDecoderJointWeights(p.decoder, p.joint, files), topK: 0 };
    expect(() => leanTopkVariant.build({ ...input(p), weights: w })).toThrow(
      "joint_decision.onnx: no TopK head to keep (lean-topk copies the joint's K); build `lean` instead",
    );
  });
});
