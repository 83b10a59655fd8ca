/**
 * Reference decoder and joint steps: the same math as the canonical graphs
 * (docs/onnx-layout.md), including the fp16 round trips the shipped graphs make (LSTM outputs and
 * logits), so a graph and this code agree to within float32 kernel differences.
 */
import type { DecoderWeights, JointWeights } from '../canonical/weights';
import { fp16RoundInPlace } from './fp16';
import { argmaxFirst, linear, lstmStep, relu, softmaxProb, topK } from './math';

/** Output of {@link referenceDecoderStep}. */
export interface ReferenceDecoderOutput {
  /** [H] prediction-net output (equals `h`). */
  readonly decoder: Float32Array;
  readonly h: Float32Array;
  readonly c: Float32Array;
}

/** Output of {@link referenceJointStep}. */
export interface ReferenceJointOutput {
  readonly tokenId: number;
  readonly prob: number;
  /** [V] logits after the fp16 round trip. */
  readonly logits: Float32Array;
  /** [K] top-k ids, descending. */
  readonly topKIds: number[];
}

/** One prediction-net step for one row: embed `token`, run the LSTM from (h, c). */
export function referenceDecoderStep(
  w: DecoderWeights,
  token: number,
  h: ArrayLike<number>,
  c: ArrayLike<number>,
): ReferenceDecoderOutput {
  const H = w.hiddenSize;
  const x = w.embed.subarray(token * H, token * H + H);
  const next = lstmStep(x, h, c, w.W, w.R, w.B, H, H);
  fp16RoundInPlace(next.h);
  fp16RoundInPlace(next.c);
  return { decoder: next.h.slice(), h: next.h, c: next.c };
}

/** Joint hidden pre-activation parts: f = enc projection, g = pred projection. */
export function referenceJointHidden(
  w: JointWeights,
  enc: ArrayLike<number>,
  dec: ArrayLike<number>,
): Float32Array {
  const f = linear(enc, w.encWeight, w.encBias, w.jointDim, w.encoderDim);
  const g = linear(dec, w.predWeight, w.predBias, w.jointDim, w.hiddenSize);
  for (let j = 0; j < f.length; j++) f[j] = f[j]! + g[j]!;
  return relu(f);
}

/** One joint step for one row. `k` is the top-k width (default min(64, V)). */
export function referenceJointStep(
  w: JointWeights,
  enc: ArrayLike<number>,
  dec: ArrayLike<number>,
  k = Math.min(64, w.vocabSize),
): ReferenceJointOutput {
  const hidden = referenceJointHidden(w, enc, dec);
  const logits = fp16RoundInPlace(linear(hidden, w.outWeight, w.outBias, w.vocabSize, w.jointDim));
  const tokenId = argmaxFirst(logits);
  return { tokenId, prob: softmaxProb(logits, tokenId), logits, topKIds: topK(logits, k) };
}
