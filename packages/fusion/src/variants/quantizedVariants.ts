/**
 * Quantised candidates built from the shipped weights, so the gate can say how many transcripts
 * narrower weights change and what they buy:
 *
 * - `int8`: `lean` with the LSTM's W and R and the joint's three linears stored as int8 (symmetric,
 *   one scale per output channel) and run as ONNX `DynamicQuantizeLinear` + `MatMulInteger` (the
 *   activation quantised to uint8 per call, int32 accumulation, then the two scales and the bias in
 *   float): the ops ONNX Runtime's dynamic quantiser emits and its CPU provider runs. A one-step
 *   LSTM is its cell (gates i, o, f, c as the ONNX LSTM orders them), so the cell is written out
 *   around the two quantised products. The embedding stays as stored: a step reads one of its rows.
 * - `fp16`: `lean` with every float weight stored as float16 and cast to float32 in the graph. ONNX
 *   Runtime's CPU provider has no fp16 LSTM or Gemm kernels on x86, so it folds the casts at load
 *   and runs fp32: the file halves for fp32-shipped weights, the bytes read per step do not (for
 *   fp16-shipped weights it equals `lean`).
 *
 * Both keep `lean`'s inputs, outputs and fp16 rounding points, so they load as fused step models.
 */
import { decodeVariants, variantFileName } from '@eou/rnnt-decode';
import type { Graph, TensorValue } from '@eou/graph';
import { fromFloat16Array, toFloat16Array } from '../reference/fp16';
import type { DecoderJointWeights, LinearWeights } from './decoderJointWeights';
import { attr, GraphDraft, value } from './graphDraft';
import { decision, decisionOutputs, predictionInputs, roundHalf, stateOutputs } from './graphParts';
import { buildLeanGraph } from './leanVariant';
import type { BuildableVariant } from './variantBase';
import { VariantKind } from './variantKind';
import { variantModel } from './variantModel';

/** File names of the quantised variants in a model directory. */
export const int8FileName = variantFileName(decodeVariants.int8, 'fused', 'onnx');
export const fp16FileName = variantFileName(decodeVariants.fp16, 'fused', 'onnx');

/** First opset with `DynamicQuantizeLinear` and `MatMulInteger`. */
const QUANT_OPSET = 11;

function floats(t: TensorValue): Float32Array {
  if (t.dtype === 'float16') return fromFloat16Array(t.data as Uint16Array);
  if (t.dtype === 'float32') return t.data as Float32Array;
  throw new RangeError(`quantised variants need float weights, got ${t.dtype}`);
}

/** Per output row n of `w` [N,K]: int8 of w/scale_n, stored transposed [K,N] for MatMulInteger, and the scales. */
export function quantizeRows(w: Float32Array, N: number, K: number): { q: Int8Array; scale: Float32Array } {
  const q = new Int8Array(N * K);
  const scale = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    let max = 0;
    for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(w[n * K + k]!));
    const s = max > 0 ? max / 127 : 1;
    scale[n] = s;
    for (let k = 0; k < K; k++) q[k * N + n] = Math.max(-127, Math.min(127, Math.round(w[n * K + k]! / s)));
  }
  return { q, scale };
}

/** `x` [M,K] times int8 `w` [N,K] (PyTorch layout) plus `bias` [N] (optional), in float. */
function int8Linear(
  g: GraphDraft,
  x: string,
  prefix: string,
  w: Float32Array,
  N: number,
  K: number,
  bias: Float32Array | undefined,
  output?: string,
): string {
  const { q, scale } = quantizeRows(w, N, K);
  const Wq = g.init(`${prefix}.weight_int8`, { dtype: 'int8', dims: [K, N], data: q });
  const Ws = g.init(`${prefix}.weight_scale`, { dtype: 'float32', dims: [N], data: scale });
  const Wz = g.init(`${prefix}.weight_zero_point`, { dtype: 'int8', dims: [], data: new Int8Array(1) });
  const [xq, xs, xz] = g.node('DynamicQuantizeLinear', [x], {}, 3);
  const acc = g.op('MatMulInteger', [xq!, Wq, xz!, Wz]); // int32 [M,N]
  const scaled = g.op('Mul', [g.cast(acc, 'float32'), g.op('Mul', [xs!, Ws])]);
  if (bias === undefined) return output === undefined ? scaled : g.op('Identity', [scaled], {}, output);
  const b = g.init(`${prefix}.bias`, { dtype: 'float32', dims: [N], data: bias });
  return g.op('Add', [scaled, b], {}, output);
}

function linearOf(g: GraphDraft, x: string, prefix: string, l: LinearWeights, round: boolean): string {
  const [N, K] = l.weight.dims as [number, number];
  const y = int8Linear(g, x, prefix, floats(l.weight), N, K, floats(l.bias));
  return roundHalf(g, y, round);
}

/** Gate `k` (0 i, 1 o, 2 f, 3 c) of `gates` [b,4H]. */
function gate(g: GraphDraft, gates: string, k: number, H: number): string {
  return g.op('Slice', [gates, g.int64([k * H]), g.int64([(k + 1) * H]), g.int64([1])]);
}

/** The int8 step graph: `lean`'s inputs, outputs and rounding points around int8 products. */
export function buildInt8Graph(w: DecoderJointWeights): Graph {
  const g = new GraphDraft();
  const H = w.hiddenSize;
  const D = w.embedDim;
  const r = w.rounding;
  const embed = g.weight('embed.weight', w.embedding);
  let x = g.op('Gather', [embed, 'targets'], { axis: attr.int(0) }); // [b,1,D]
  if (r.x && w.embedding.dtype !== 'float16') x = roundHalf(g, x, true);
  x = g.reshape(x, [-1, D]);
  const h = g.reshape(roundHalf(g, 'h_in', r.hIn), [-1, H]);
  const c = g.reshape(roundHalf(g, 'c_in', r.cIn), [-1, H]);
  const bias = w.lstm.b ? floats(w.lstm.b) : new Float32Array(8 * H);
  const b = bias.slice(0, 4 * H).map((v, i) => v + bias[4 * H + i]!); // Wb + Rb
  const gates = g.op('Add', [
    int8Linear(g, x, 'lstm.W', floats(w.lstm.w), 4 * H, D, b),
    int8Linear(g, h, 'lstm.R', floats(w.lstm.r), 4 * H, H, undefined),
  ]);
  const i = g.op('Sigmoid', [gate(g, gates, 0, H)]);
  const o = g.op('Sigmoid', [gate(g, gates, 1, H)]);
  const f = g.op('Sigmoid', [gate(g, gates, 2, H)]);
  const cc = g.op('Tanh', [gate(g, gates, 3, H)]);
  const cNew = g.op('Add', [g.op('Mul', [f, c]), g.op('Mul', [i, cc])]);
  const hNew = g.op('Mul', [o, g.op('Tanh', [cNew])]);
  const hOut = roundHalf(g, g.reshape(hNew, [1, -1, H]), r.h, 'h_out');
  roundHalf(g, g.reshape(cNew, [1, -1, H]), r.c, 'c_out');
  let pred = r.y === r.h ? g.reshape(hOut, [-1, H]) : roundHalf(g, hNew, r.y);
  if (r.dec && !r.y) pred = roundHalf(g, pred, true);
  const enc = roundHalf(g, g.reshape('encoder_step', [-1, w.encoderDim]), r.enc);
  const fj = linearOf(g, enc, 'joint.enc', w.enc, r.f);
  const gj = linearOf(g, pred, 'joint.pred', w.pred, r.g);
  const hidden = roundHalf(g, g.op('Relu', [roundHalf(g, g.op('Add', [fj, gj]), r.sum)]), r.hidden);
  const logits = linearOf(g, hidden, 'joint.out', w.out, r.logits);
  decision(g, logits, r.probs);
  const inputs = [...predictionInputs(w), value('encoder_step', 'float32', [w.batch, w.encoderDim, 1])];
  return g.toGraph(decodeVariants.int8.stems.fused!, inputs, [...decisionOutputs(w), ...stateOutputs(w)]);
}

function half(t: TensorValue): TensorValue {
  if (t.dtype !== 'float32') return t;
  return { dtype: 'float16', dims: t.dims, data: toFloat16Array(t.data as Float32Array) };
}

const halfLinear = (l: LinearWeights): LinearWeights => ({ weight: half(l.weight), bias: half(l.bias) });

/** `w` with every float weight stored as float16. */
export function halfWeights(w: DecoderJointWeights): DecoderJointWeights {
  return {
    ...w,
    embedding: half(w.embedding),
    lstm: { w: half(w.lstm.w), r: half(w.lstm.r), b: w.lstm.b && half(w.lstm.b) },
    enc: halfLinear(w.enc),
    pred: halfLinear(w.pred),
    out: halfLinear(w.out),
  };
}

export const int8Variant: BuildableVariant = {
  kind: VariantKind.Int8,
  description: 'lean with int8 LSTM and joint weights (DynamicQuantizeLinear + MatMulInteger)',
  files: [int8FileName],
  predictionPolicy: 'recompute',
  buildable: true,
  build: (input) => [
    {
      fileName: int8FileName,
      model: variantModel(
        VariantKind.Int8,
        'fused',
        buildInt8Graph(input.weights),
        input,
        Math.max(input.weights.opset, QUANT_OPSET),
      ),
    },
  ],
};

export const fp16Variant: BuildableVariant = {
  kind: VariantKind.Fp16,
  description: 'lean with every weight stored as float16, cast to float32 at load',
  files: [fp16FileName],
  predictionPolicy: 'recompute',
  buildable: true,
  build: (input) => {
    const graph = buildLeanGraph(halfWeights(input.weights));
    return [
      {
        fileName: fp16FileName,
        model: variantModel(
          VariantKind.Fp16,
          'fused',
          { ...graph, name: decodeVariants.fp16.stems.fused! },
          input,
        ),
      },
    ];
  },
};
