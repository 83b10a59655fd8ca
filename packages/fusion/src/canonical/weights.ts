/**
 * Weights of the canonical decoder and joint (docs/onnx-layout.md), as float32 values. When a
 * model stores fp16, round them first ({@link roundDecoderWeightsToFp16}) so that the values the
 * reference math sees are exactly the stored ones.
 */
import { fp16RoundInPlace } from '../reference/fp16';

/** Prediction net: embedding + one-layer LSTM. Gate blocks in ONNX order **i, o, f, c**. */
export interface DecoderWeights {
  /** V, blank = V-1. */
  readonly vocabSize: number;
  /** H = embedding size = LSTM hidden size. */
  readonly hiddenSize: number;
  /** [V,H] embedding rows. */
  readonly embed: Float32Array;
  /** [4H,H] input weights, gate blocks i,o,f,c. */
  readonly W: Float32Array;
  /** [4H,H] recurrent weights, gate blocks i,o,f,c. */
  readonly R: Float32Array;
  /** [8H] input biases (4H, i,o,f,c) then recurrent biases (4H). */
  readonly B: Float32Array;
}

/** Joint network, PyTorch `Linear` layout [out,in]. */
export interface JointWeights {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly encoderDim: number;
  readonly jointDim: number;
  /** [J,E] */
  readonly encWeight: Float32Array;
  /** [J] */
  readonly encBias: Float32Array;
  /** [J,H] */
  readonly predWeight: Float32Array;
  /** [J] */
  readonly predBias: Float32Array;
  /** [V,J] */
  readonly outWeight: Float32Array;
  /** [V] */
  readonly outBias: Float32Array;
}

function check(name: string, a: Float32Array, expected: number): void {
  if (!(a instanceof Float32Array)) throw new TypeError(`weights.${name} must be a Float32Array`);
  if (a.length !== expected)
    throw new RangeError(`weights.${name} has ${a.length} values, expected ${expected}`);
}

/** Throws a TypeError/RangeError naming the field when a decoder weight has the wrong size. */
export function checkDecoderWeights(w: DecoderWeights): void {
  const { vocabSize: V, hiddenSize: H } = w;
  if (!Number.isInteger(V) || V < 2)
    throw new RangeError(`weights.vocabSize must be an integer >= 2, got ${V}`);
  if (!Number.isInteger(H) || H < 1)
    throw new RangeError(`weights.hiddenSize must be a positive integer, got ${H}`);
  check('embed', w.embed, V * H);
  check('W', w.W, 4 * H * H);
  check('R', w.R, 4 * H * H);
  check('B', w.B, 8 * H);
}

/** Throws a TypeError/RangeError naming the field when a joint weight has the wrong size. */
export function checkJointWeights(w: JointWeights): void {
  const { vocabSize: V, hiddenSize: H, encoderDim: E, jointDim: J } = w;
  for (const [k, v] of Object.entries({ vocabSize: V, hiddenSize: H, encoderDim: E, jointDim: J })) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`weights.${k} must be a positive integer, got ${v}`);
  }
  check('encWeight', w.encWeight, J * E);
  check('encBias', w.encBias, J);
  check('predWeight', w.predWeight, J * H);
  check('predBias', w.predBias, J);
  check('outWeight', w.outWeight, V * J);
  check('outBias', w.outBias, V);
}

/** Rounds every decoder weight to fp16 in place. */
export function roundDecoderWeightsToFp16<T extends DecoderWeights>(w: T): T {
  for (const a of [w.embed, w.W, w.R, w.B]) fp16RoundInPlace(a);
  return w;
}

/** Rounds every joint weight to fp16 in place. */
export function roundJointWeightsToFp16<T extends JointWeights>(w: T): T {
  for (const a of [w.encWeight, w.encBias, w.predWeight, w.predBias, w.outWeight, w.outBias])
    fp16RoundInPlace(a);
  return w;
}
