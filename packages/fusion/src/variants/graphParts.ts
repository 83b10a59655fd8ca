/**
 * The pieces the rebuilt variants (lean, lean-topk, projected) are made of, written once so that
 * every variant computes each piece with the same ops, the same kernels and the same fp16
 * rounding points as the shipped decoder / joint_decision (docs/onnx-layout.md):
 * weights stored as they were and cast to f32 in the graph, LSTM states rounded through fp16 when
 * the decoder rounds them, logits rounded through fp16 when the joint does, and the three linears
 * as `Gemm(x, W, b, transB 1)`, so that ONNX Runtime picks the kernels the reference uses.
 */
import type { ValueInfo } from '@eou/graph';
import type { DecoderJointWeights } from './decoderJointWeights';
import type { GraphDraft } from './graphDraft';
import { attr, value } from './graphDraft';

/** Rounds `x` through fp16 (`Cast f16 -> Cast f32`) when `round`, naming the result `output`. */
export function roundHalf(g: GraphDraft, x: string, round: boolean, output?: string): string {
  if (!round) return output === undefined ? x : g.op('Identity', [x], {}, output);
  return g.cast(g.cast(x, 'float16'), 'float32', output);
}

/** Graph inputs of the prediction net: `targets` [b,1], `h_in`, `c_in` [1,b,H]. */
export function predictionInputs(w: DecoderJointWeights): ValueInfo[] {
  return [
    value('targets', 'int32', [w.batch, 1]),
    value('h_in', 'float32', [1, w.batch, w.hiddenSize]),
    value('c_in', 'float32', [1, w.batch, w.hiddenSize]),
  ];
}

/** Graph outputs `h_out`, `c_out` [1,b,H]. */
export function stateOutputs(w: DecoderJointWeights): ValueInfo[] {
  return [
    value('h_out', 'float32', [1, w.batch, w.hiddenSize]),
    value('c_out', 'float32', [1, w.batch, w.hiddenSize]),
  ];
}

/**
 * Embedding gather + LSTM step, writing `h_out` and `c_out`. Returns the prediction-net output as
 * rows [b,H]: for one time step the LSTM's `Y` equals `Y_h`, so the rounded `h_out` is reused
 * when `Y` and `Y_h` are rounded alike (they are in the shipped decoder) and no boundary
 * transposes are needed.
 */
export function predictionNet(g: GraphDraft, w: DecoderJointWeights): string {
  const H = w.hiddenSize;
  const r = w.rounding;
  const embed = g.weight('embed.weight', w.embedding);
  let x = g.op('Gather', [embed, 'targets'], { axis: attr.int(0) }); // [b,1,D]
  // Rounding fp16-stored rows through fp16 is the identity: only fp32 tables need it.
  if (r.x && w.embedding.dtype !== 'float16') x = roundHalf(g, x, true);
  // [b,1,D] -> [1,b,D] (T = 1): a relabelling, needed only when b is not statically 1.
  if (w.batch !== 1) x = g.reshape(x, [1, -1, w.embedDim]);
  const W = g.weight('lstm.W', w.lstm.w);
  const R = g.weight('lstm.R', w.lstm.r);
  const B = w.lstm.b ? g.weight('lstm.B', w.lstm.b) : '';
  const hIn = roundHalf(g, 'h_in', r.hIn);
  const cIn = roundHalf(g, 'c_in', r.cIn);
  const [y, yH, yC] = g.node(
    'LSTM',
    [x, W, R, B, '', hIn, cIn],
    { hidden_size: attr.int(H), direction: attr.string('forward') },
    3,
  );
  const hOut = roundHalf(g, yH!, r.h, 'h_out');
  roundHalf(g, yC!, r.c, 'c_out');
  let seq = r.y === r.h ? hOut : roundHalf(g, y!, r.y);
  // The joint's own rounding of `decoder_step` is the identity when the decoder already rounded it.
  if (r.dec && !r.y) seq = roundHalf(g, seq, true);
  return g.reshape(seq, [-1, H]);
}

/** `Gemm(x, W, b, transB 1)`: one joint linear in PyTorch layout, its output rounded when `round`. */
export function linear(
  g: GraphDraft,
  x: string,
  prefix: string,
  weights: DecoderJointWeights['enc'],
  round = false,
  output?: string,
): string {
  const W = g.weight(`${prefix}.weight`, weights.weight);
  const b = g.weight(`${prefix}.bias`, weights.bias);
  if (!round) return g.op('Gemm', [x, W, b], { transB: attr.int(1) }, output);
  return roundHalf(g, g.op('Gemm', [x, W, b], { transB: attr.int(1) }), true, output);
}

/** The encoder projection f of `encoder_step` rows [b,E] (input and output rounded as the joint does). */
export function encoderProjection(
  g: GraphDraft,
  w: DecoderJointWeights,
  enc: string,
  output?: string,
): string {
  return linear(g, roundHalf(g, enc, w.rounding.enc), 'joint.enc', w.enc, w.rounding.f, output);
}

/** The prediction projection g of prediction-net rows [b,H]. */
export function predictionProjection(
  g: GraphDraft,
  w: DecoderJointWeights,
  pred: string,
  output?: string,
): string {
  return linear(g, pred, 'joint.pred', w.pred, w.rounding.g, output);
}

/** `logits = out(Relu(f + g))` with the joint's rounding points. Returns [b,V]. */
export function jointLogits(g: GraphDraft, w: DecoderJointWeights, f: string, p: string): string {
  const r = w.rounding;
  const hidden = roundHalf(g, g.op('Relu', [roundHalf(g, g.op('Add', [f, p]), r.sum)]), r.hidden);
  return linear(g, hidden, 'joint.out', w.out, r.logits);
}

/** Decision outputs: `token_id` (argmax, first maximal index), `token_prob` (softmax at it). */
export function decision(g: GraphDraft, logits: string, roundProbs = false): void {
  const argmax = g.op('ArgMax', [logits], {
    axis: attr.int(-1),
    keepdims: attr.int(1),
    select_last_index: attr.int(0),
  }); // int64 [b,1]
  g.reshape(g.cast(argmax, 'int32'), [-1, 1, 1], 'token_id');
  const probs = roundHalf(g, g.op('Softmax', [logits], { axis: attr.int(-1) }), roundProbs);
  g.reshape(g.op('GatherElements', [probs, argmax], { axis: attr.int(1) }), [-1, 1, 1], 'token_prob');
}

/** The K-way head of joint_decision: `top_k_logits` (sorted descending) and `top_k_ids`. */
export function topKHead(g: GraphDraft, logits: string, K: number): void {
  const [values, indices] = g.node(
    'TopK',
    [logits, g.int64([K])],
    { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) },
    2,
  );
  g.reshape(values!, [-1, 1, 1, K], 'top_k_logits');
  g.reshape(g.cast(indices!, 'int32'), [-1, 1, 1, K], 'top_k_ids');
}

/** Graph outputs `token_id`, `token_prob` [b,1,1]. */
export function decisionOutputs(w: DecoderJointWeights): ValueInfo[] {
  return [value('token_id', 'int32', [w.batch, 1, 1]), value('token_prob', 'float32', [w.batch, 1, 1])];
}

/** Graph outputs `top_k_ids`, `top_k_logits` [b,1,1,K]. */
export function topKOutputs(w: DecoderJointWeights, K: number): ValueInfo[] {
  return [
    value('top_k_ids', 'int32', [w.batch, 1, 1, K]),
    value('top_k_logits', 'float32', [w.batch, 1, 1, K]),
  ];
}
