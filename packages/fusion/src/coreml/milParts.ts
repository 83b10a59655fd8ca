/**
 * The parts the lean CoreML programs are made of, in the seed's op order (seed §3.1): embedding,
 * state in, LSTM, state out, the joint's two projections, the joint itself, the decision and the
 * optional top-k head. Plays the role `graphParts.ts` plays for the ONNX variants: a variant
 * file composes them. Every tensor is fp16 inside; inputs and outputs are fp32/int32.
 */
import type { MilBuilder } from './milBuilder';
import type { MilDecoderJointWeights } from './milDecoderJointWeights';

/** `targets` [1,1] -> embedding rows in the LSTM's sequence-major layout [U=1, B=1, H]. */
export function embedTargets(b: MilBuilder, w: MilDecoderJointWeights): string {
  const H = w.hiddenSize;
  const embed = b.weight('embed_weight_to_fp16', w.embed);
  const tgt16 = b.one(
    'cast',
    { dtype: b.str('targets_to_int16_dtype', 'int16'), x: 'targets' },
    'targets_to_int16',
    'int16',
    [1, 1],
  );
  const emb = b.one(
    'gather',
    {
      axis: b.ints('embed_axis', [0], true),
      batch_dims: b.ints('embed_batch_dims', [0], true),
      indices: tgt16,
      validate_indices: b.bool('embed_validate_indices', false),
      x: embed,
    },
    'embedded',
    'fp16',
    [1, 1, H],
  );
  return b.one('transpose', { perm: b.ints('lstm_x_perm', [1, 0, 2]), x: emb }, 'lstm_x', 'fp16', [1, 1, H]);
}

/** A state input (`h_in`, `c_in`) [1,1,H] fp32 -> [1,H] fp16. */
export function stateIn(b: MilBuilder, input: 'h_in' | 'c_in', H: number): string {
  const c16 = b.one(
    'cast',
    { dtype: b.str(`${input}_to_fp16_dtype`, 'fp16'), x: input },
    `${input}_to_fp16`,
    'fp16',
    [1, 1, H],
  );
  return b.one(
    'squeeze',
    { axes: b.ints(`${input}_squeeze_axes`, [0]), x: c16 },
    `${input}_squeezed`,
    'fp16',
    [1, H],
  );
}

/** The one-step LSTM (MIL gate rows i, f, o, g; one combined bias): [output, h, c]. */
export function lstm(
  b: MilBuilder,
  w: MilDecoderJointWeights,
  x: string,
  h0: string,
  c0: string,
): [output: string, h: string, c: string] {
  const H = w.hiddenSize;
  return b.op(
    'lstm',
    {
      activation: b.str('lstm_activation', 'tanh'),
      bias: b.weight('lstm_bias_to_fp16', w.bias),
      cell_activation: b.str('lstm_cell_activation', 'tanh'),
      direction: b.str('lstm_direction', 'forward'),
      initial_c: c0,
      initial_h: h0,
      output_sequence: b.bool('lstm_output_sequence', true),
      recurrent_activation: b.str('lstm_recurrent_activation', 'sigmoid'),
      weight_hh: b.weight('lstm_weight_hh_to_fp16', w.weightHh),
      weight_ih: b.weight('lstm_weight_ih_to_fp16', w.weightIh),
      x,
    },
    [
      ['lstm_out', 'fp16', [1, 1, H]],
      ['lstm_h', 'fp16', [1, H]],
      ['lstm_c', 'fp16', [1, H]],
    ],
  ) as [string, string, string];
}

/** The outputs `h_out` and `c_out` [1,1,H] fp32 from the LSTM's final state. */
export function stateOut(b: MilBuilder, h: string, c: string, H: number): void {
  for (const [src, out] of [
    [h, 'h_out'],
    [c, 'c_out'],
  ] as const) {
    const e = b.one('expand_dims', { axes: b.ints(`${out}_axes`, [0]), x: src }, `${out}_fp16`, 'fp16', [
      1,
      1,
      H,
    ]);
    b.castTo(e, out, 'fp32', [1, 1, H]);
  }
}

/** `encoder_step` [1,E,1] fp32 -> the joint's encoder projection f [1,1,J]. */
export function encoderProjection(b: MilBuilder, w: MilDecoderJointWeights): string {
  const enc16 = b.one(
    'cast',
    { dtype: b.str('encoder_step_to_fp16_dtype', 'fp16'), x: 'encoder_step' },
    'encoder_step_to_fp16',
    'fp16',
    [1, w.encoderDim, 1],
  );
  const encT = b.one(
    'transpose',
    { perm: b.ints('encoder_perm', [0, 2, 1]), x: enc16 },
    'encoder_t',
    'fp16',
    [1, 1, w.encoderDim],
  );
  return b.one(
    'linear',
    {
      bias: b.weight('joint_enc_bias_to_fp16', w.encBias),
      weight: b.weight('joint_enc_weight_to_fp16', w.encWeight),
      x: encT,
    },
    'joint_f',
    'fp16',
    [1, 1, w.jointDim],
  );
}

/** The joint's prediction projection g [1,1,J], straight from the LSTM output (boundary elided). */
export function predictionProjection(b: MilBuilder, w: MilDecoderJointWeights, lstmOut: string): string {
  return b.one(
    'linear',
    {
      bias: b.weight('joint_pred_bias_to_fp16', w.predBias),
      weight: b.weight('joint_pred_weight_to_fp16', w.predWeight),
      x: lstmOut,
    },
    'joint_g',
    'fp16',
    [1, 1, w.jointDim],
  );
}

/** The joint: broadcast add of f and g, ReLU, output layer -> logits [1,1,1,V]. */
export function jointLogits(b: MilBuilder, w: MilDecoderJointWeights, f: string, g: string): string {
  const J = w.jointDim;
  const f4 = b.one('expand_dims', { axes: b.ints('joint_f_axes', [2]), x: f }, 'joint_f4', 'fp16', [
    1,
    1,
    1,
    J,
  ]);
  const g4 = b.one('expand_dims', { axes: b.ints('joint_g_axes', [1]), x: g }, 'joint_g4', 'fp16', [
    1,
    1,
    1,
    J,
  ]);
  const sum = b.one('add', { x: f4, y: g4 }, 'joint_sum', 'fp16', [1, 1, 1, J]);
  const hidden = b.one('relu', { x: sum }, 'joint_hidden', 'fp16', [1, 1, 1, J]);
  return b.one(
    'linear',
    {
      bias: b.weight('joint_out_bias_to_fp16', w.outBias),
      weight: b.weight('joint_out_weight_to_fp16', w.outWeight),
      x: hidden,
    },
    'logits',
    'fp16',
    [1, 1, 1, w.vocabSize],
  );
}

/** The outputs `token_id` (argmax) and `token_prob` (softmax probability of the argmax). */
export function decision(b: MilBuilder, logits: string, V: number): void {
  b.named(
    'reduce_argmax',
    {
      axis: b.ints('argmax_axis', [-1], true),
      keep_dims: b.bool('argmax_keep_dims', false),
      output_dtype: b.str('argmax_output_dtype', 'int32'),
      x: logits,
    },
    'token_id',
    'int32',
    [1, 1, 1],
  );
  const probs = b.one(
    'softmax',
    { axis: b.ints('softmax_axis', [-1], true), x: logits },
    'token_probs_all',
    'fp16',
    [1, 1, 1, V],
  );
  const idx = b.one(
    'expand_dims',
    { axes: b.ints('token_id_axes', [-1]), x: 'token_id' },
    'token_index',
    'int32',
    [1, 1, 1, 1],
  );
  const idx16 = b.one(
    'cast',
    { dtype: b.str('token_index_dtype', 'int16'), x: idx },
    'token_index_int16',
    'int16',
    [1, 1, 1, 1],
  );
  const picked = b.one(
    'gather_along_axis',
    {
      axis: b.ints('prob_axis', [-1], true),
      indices: idx16,
      validate_indices: b.bool('prob_validate_indices', false),
      x: probs,
    },
    'token_prob_4d',
    'fp16',
    [1, 1, 1, 1],
  );
  const prob16 = b.one(
    'squeeze',
    { axes: b.ints('token_prob_axes', [-1]), x: picked },
    'token_prob_fp16',
    'fp16',
    [1, 1, 1],
  );
  b.castTo(prob16, 'token_prob', 'fp32', [1, 1, 1]);
}

/** The outputs `top_k_ids` and `top_k_logits` [1,1,1,K]: the sorted K-way head (seed §3.2). */
export function topKHead(b: MilBuilder, logits: string, K: number): void {
  const [vals, ids] = b.op(
    'topk',
    {
      ascending: b.bool('topk_ascending', false),
      axis: b.ints('topk_axis', [-1], true),
      k: b.ints('topk_k', [K], true),
      output_indices_dtype: b.str('topk_indices_dtype', 'uint16'),
      return_indices: b.bool('topk_return_indices', true),
      sort: b.bool('topk_sort', true),
      x: logits,
    },
    [
      ['topk_values', 'fp16', [1, 1, 1, K]],
      ['topk_indices', 'uint16', [1, 1, 1, K]],
    ],
  ) as [string, string];
  b.castTo(ids, 'top_k_ids', 'int32', [1, 1, 1, K]);
  b.castTo(vals, 'top_k_logits', 'fp32', [1, 1, 1, K]);
}
