/**
 * Plain TypeScript reference math for the decoder and joint, written for clarity, used to check
 * ONNX graphs and to drive the synthetic-corpus generator. float32 storage, float64 accumulation.
 */

/** Logistic sigmoid. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** `out[o] = b[o] + sum_i W[o*inDim+i] * x[i]` (PyTorch Linear layout [out,in]). */
export function linear(
  x: ArrayLike<number>,
  weight: ArrayLike<number>,
  bias: ArrayLike<number> | undefined,
  outDim: number,
  inDim: number,
  out: Float32Array = new Float32Array(outDim),
): Float32Array {
  for (let o = 0; o < outDim; o++) {
    let acc = bias ? bias[o]! : 0;
    const row = o * inDim;
    for (let i = 0; i < inDim; i++) acc += weight[row + i]! * x[i]!;
    out[o] = acc;
  }
  return out;
}

/** In-place ReLU. */
export function relu(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) if (!(x[i]! > 0)) x[i] = 0;
  return x;
}

/** Index of the first maximum (ONNX ArgMax with select_last_index 0). */
export function argmaxFirst(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

/** Softmax probability of element `index`. */
export function softmaxProb(x: ArrayLike<number>, index: number): number {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i]! > max) max = x[i]!;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.exp(x[i]! - max);
  return Math.exp(x[index]! - max) / sum;
}

/** Indices of the `k` largest values, sorted descending, ties by lower index (ONNX TopK). */
export function topK(x: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: x.length }, (_, i) => i);
  idx.sort((a, b) => x[b]! - x[a]! || a - b);
  return idx.slice(0, k);
}

/**
 * One step of a single-layer ONNX LSTM (no peepholes, default activations) for one row.
 * Gate blocks in ONNX order **i, o, f, c**: `W` [4H,I], `R` [4H,H], `B` [8H] = Wb then Rb.
 * Returns new (h, c).
 */
export function lstmStep(
  x: ArrayLike<number>,
  h: ArrayLike<number>,
  c: ArrayLike<number>,
  W: ArrayLike<number>,
  R: ArrayLike<number>,
  B: ArrayLike<number>,
  hiddenSize: number,
  inputSize: number,
): { h: Float32Array; c: Float32Array } {
  const H = hiddenSize;
  const gates = new Float64Array(4 * H);
  for (let g = 0; g < 4 * H; g++) {
    let acc = B[g]! + B[4 * H + g]!;
    const wr = g * inputSize;
    for (let i = 0; i < inputSize; i++) acc += W[wr + i]! * x[i]!;
    const rr = g * H;
    for (let j = 0; j < H; j++) acc += R[rr + j]! * h[j]!;
    gates[g] = acc;
  }
  const hOut = new Float32Array(H);
  const cOut = new Float32Array(H);
  for (let j = 0; j < H; j++) {
    const i = sigmoid(gates[j]!);
    const o = sigmoid(gates[H + j]!);
    const f = sigmoid(gates[2 * H + j]!);
    const g = Math.tanh(gates[3 * H + j]!);
    const cn = f * c[j]! + i * g;
    cOut[j] = cn;
    hOut[j] = o * Math.tanh(cn);
  }
  return { h: hOut, c: cOut };
}
