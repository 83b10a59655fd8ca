/**
 * Test fixture: a tiny decoder / joint_decision pair made by the canonical builders
 * (docs/onnx-layout.md) from seeded fp16 weights, the reference math of one step, and a way to
 * run a built graph on ONNX Runtime.
 */
import { openOnnxSession } from '@eou/onnx-runtime';
import type { Tensor, TensorMap } from '@eou/rnnt-decode';
import type { Model } from '@eou/graph';
import { writeOnnx } from '@eou/graph';
import { buildDecoderModel, buildJointDecisionModel } from '../canonical/canonicalModels';
import type { DecoderWeights, JointWeights } from '../canonical/weights';
import { roundDecoderWeightsToFp16, roundJointWeightsToFp16 } from '../canonical/weights';
import { referenceDecoderStep, referenceJointStep } from '../reference/referenceModel';
import { Random } from '../synth/random';

export interface TinyDims {
  V: number;
  H: number;
  E: number;
  J: number;
  K: number;
}

export interface TinyPair {
  dims: TinyDims;
  dw: DecoderWeights;
  jw: JointWeights;
  decoder: Model;
  joint: Model;
}

export function tinyPair(dims: TinyDims, seed: number, options: { batch?: boolean } = {}): TinyPair {
  const rnd = new Random(seed);
  const arr = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => rnd.uniform(-scale, scale));
  const { V, H, E, J, K } = dims;
  const dw = roundDecoderWeightsToFp16({
    vocabSize: V,
    hiddenSize: H,
    embed: arr(V * H, 1),
    W: arr(4 * H * H, 0.8),
    R: arr(4 * H * H, 0.8),
    B: arr(8 * H, 0.3),
  });
  const jw = roundJointWeightsToFp16({
    vocabSize: V,
    hiddenSize: H,
    encoderDim: E,
    jointDim: J,
    encWeight: arr(J * E, 0.8),
    encBias: arr(J, 0.3),
    predWeight: arr(J * H, 0.8),
    predBias: arr(J, 0.3),
    outWeight: arr(V * J, 1.5),
    outBias: arr(V, 0.3),
  });
  const batch = options.batch === true;
  return {
    dims,
    dw,
    jw,
    decoder: buildDecoderModel(dw, { batch }),
    joint: buildJointDecisionModel(jw, { batch, topK: K }),
  };
}

/** Reference step: decoder then joint, with the graphs' fp16 rounding points. */
export function referenceStep(
  p: TinyPair,
  token: number,
  h: ArrayLike<number>,
  c: ArrayLike<number>,
  enc: ArrayLike<number>,
) {
  const d = referenceDecoderStep(p.dw, token, h, c);
  const j = referenceJointStep(p.jw, enc, d.decoder, p.dims.K);
  return { ...d, ...j };
}

export type Feeds = TensorMap;

/** Opens `model` on ONNX Runtime (one thread) and returns its run function. */
export async function session(model: Model): Promise<(feeds: Feeds) => Promise<TensorMap>> {
  const s = await openOnnxSession({ bytes: writeOnnx(model), name: model.graph.name });
  return async (feeds) => s.run(feeds);
}

export const tensor = {
  i32: (data: number[], dims: number[]): Tensor => ({ dtype: 'int32', dims, data: Int32Array.from(data) }),
  f32: (data: ArrayLike<number>, dims: number[]): Tensor => ({
    dtype: 'float32',
    dims,
    data: Float32Array.from(data),
  }),
};

/** Deterministic step inputs: a token, a state and an encoder frame. */
export function stepInputs(p: TinyPair, seed: number) {
  const rnd = new Random(seed + 1000);
  const { V, H, E } = p.dims;
  return {
    token: rnd.int(V),
    h: Float32Array.from({ length: H }, () => rnd.uniform(-0.5, 0.5)),
    c: Float32Array.from({ length: H }, () => rnd.uniform(-0.5, 0.5)),
    enc: Float32Array.from({ length: E }, () => rnd.uniform(-2, 2)),
  };
}
