/**
 * LSTM weight layouts of the three formats a prediction net travels through, and exact conversions
 * between them. A layout is a gate order (which block of 4H rows holds which gate) plus a bias form:
 *
 * | format | gate order of the 4H rows | bias |
 * |---|---|---|
 * | ONNX `LSTM` | i, o, f, c | `B` [8H] = input bias (Wb) then recurrent bias (Rb) |
 * | PyTorch `nn.LSTM` | i, f, g, o | `bias_ih` [4H] and `bias_hh` [4H] |
 * | CoreML MIL `lstm` | i, f, o, g | one [4H] vector (b_ih + b_hh) |
 *
 * `c` (ONNX) and `g` (PyTorch, MIL) name the same gate: the cell candidate, tanh of its pre-activation.
 * Reordering moves whole H-row blocks, so it is exact for any element type (fp16 bits included).
 * Combining two biases is an addition, done in fp64 and rounded once to fp32.
 */

/** One LSTM gate: input, forget, output, cell candidate (ONNX `c`, PyTorch/MIL `g`). */
export type LstmGate = 'i' | 'f' | 'o' | 'c';

/** The formats whose gate order this module knows. */
export type LstmGateOrder = 'onnx' | 'pytorch' | 'coreml';

/** Gate order of the 4H rows of W, R and each bias, per format. */
export const lstmGateOrders: Readonly<
  Record<LstmGateOrder, readonly [LstmGate, LstmGate, LstmGate, LstmGate]>
> = {
  onnx: ['i', 'o', 'f', 'c'],
  pytorch: ['i', 'f', 'c', 'o'],
  coreml: ['i', 'f', 'o', 'c'],
};

/** Bias form: ONNX/PyTorch keep the input and recurrent biases apart; MIL stores their sum. */
export type LstmBias =
  | { readonly kind: 'split'; readonly input: Float32Array; readonly recurrent: Float32Array }
  | { readonly kind: 'combined'; readonly sum: Float32Array };

/** Weights of a one-layer, one-direction LSTM in one format's gate order (fp32). */
export interface LstmWeights {
  readonly order: LstmGateOrder;
  readonly hiddenSize: number;
  readonly inputSize: number;
  /** Input weights [4H, inputSize], gate blocks in `order`. */
  readonly w: Float32Array;
  /** Recurrent weights [4H, H], gate blocks in `order`. */
  readonly r: Float32Array;
  /** Biases [4H] each, gate blocks in `order`. */
  readonly bias: LstmBias;
}

type Rows = Float32Array | Uint16Array;

/**
 * Moves the four gate blocks of `data` ([4H, cols] or [4H]) from one gate order to another.
 * @param data rows of all four gates, `hiddenSize` rows per gate.
 * @returns a new array of the same type; `data` is not modified.
 * @throws RangeError when `data.length` is not a multiple of 4·hiddenSize.
 */
export function reorderGates<T extends Rows>(
  data: T,
  hiddenSize: number,
  from: LstmGateOrder,
  to: LstmGateOrder,
): T {
  if (!Number.isInteger(hiddenSize) || hiddenSize <= 0) {
    throw new RangeError(`reorderGates: hiddenSize must be a positive integer, got ${hiddenSize}`);
  }
  if (data.length % (4 * hiddenSize) !== 0) {
    throw new RangeError(
      `reorderGates: data length ${data.length} is not a multiple of 4*hiddenSize (${4 * hiddenSize})`,
    );
  }
  const block = data.length / 4;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const src = lstmGateOrders[from];
  const dst = lstmGateOrders[to];
  for (let d = 0; d < 4; d++) {
    const s = src.indexOf(dst[d]!);
    out.set(data.subarray(s * block, (s + 1) * block), d * block);
  }
  return out;
}

/** Sum of the input and recurrent biases, the single vector a MIL `lstm` takes. */
export function combineLstmBiases(input: Float32Array, recurrent: Float32Array): Float32Array {
  if (input.length !== recurrent.length) {
    throw new RangeError(
      `combineLstmBiases: bias lengths differ (input ${input.length}, recurrent ${recurrent.length})`,
    );
  }
  const out = new Float32Array(input.length);
  for (let k = 0; k < out.length; k++) out[k] = input[k]! + recurrent[k]!;
  return out;
}

/** Splits an ONNX `B` [8H] into its input (Wb) and recurrent (Rb) halves. */
export function splitOnnxBias(b: Float32Array): { input: Float32Array; recurrent: Float32Array } {
  if (b.length % 8 !== 0) throw new RangeError(`splitOnnxBias: B length ${b.length} is not a multiple of 8`);
  const half = b.length / 2;
  return { input: b.slice(0, half), recurrent: b.slice(half) };
}

/** ONNX `B` [8H] from a bias: split biases concatenate; a combined sum goes in Wb with Rb zero. */
export function onnxBias(bias: LstmBias): Float32Array {
  const input = bias.kind === 'split' ? bias.input : bias.sum;
  const out = new Float32Array(input.length * 2);
  out.set(input, 0);
  if (bias.kind === 'split') out.set(bias.recurrent, input.length);
  return out;
}

/**
 * Converts LSTM weights to another format's gate order and bias form.
 * @param bias `'split'` keeps (or cannot recover, see below) separate biases; `'combined'` sums them.
 * @throws RangeError when asked to split a combined bias: the two halves cannot be recovered, so the
 *   caller must decide (`onnxBias` puts the sum in Wb, which is exact for inference).
 */
export function convertLstmWeights(
  weights: LstmWeights,
  to: LstmGateOrder,
  bias: LstmBias['kind'],
): LstmWeights {
  const { order, hiddenSize } = weights;
  const move = (x: Float32Array) => reorderGates(x, hiddenSize, order, to);
  let nextBias: LstmBias;
  if (bias === 'combined') {
    const sum =
      weights.bias.kind === 'combined'
        ? weights.bias.sum
        : combineLstmBiases(weights.bias.input, weights.bias.recurrent);
    nextBias = { kind: 'combined', sum: move(sum) };
  } else {
    if (weights.bias.kind === 'combined') {
      throw new RangeError(
        'convertLstmWeights: a combined bias cannot be split into input and recurrent parts',
      );
    }
    nextBias = { kind: 'split', input: move(weights.bias.input), recurrent: move(weights.bias.recurrent) };
  }
  return {
    order: to,
    hiddenSize,
    inputSize: weights.inputSize,
    w: move(weights.w),
    r: move(weights.r),
    bias: nextBias,
  };
}
