/**
 * Builders of the canonical `decoder.onnx` and `joint_decision.onnx` of docs/onnx-layout.md, from
 * weights. Shared by `eou synth-model`, the trained tiny model's export and the fusion variants.
 */
import type { Model } from '@eou/graph';
import { GraphBuilder } from '@eou/graph';
import type { DecoderWeights, JointWeights } from './weights';
import { checkDecoderWeights, checkJointWeights } from './weights';

/** Options shared by the canonical builders. */
export interface CanonicalModelOptions {
  /** Symbolic batch dim name (e.g. 'B') instead of 1; `true` means 'B'. */
  readonly batch?: boolean | string;
  /** How weights are stored: float16 (default, like the shipped models) or float32. */
  readonly weightDType?: 'float16' | 'float32';
  /** `eou.producer` metadata and the ONNX producer name. */
  readonly producer?: string;
  /** Extra metadata_props. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Options of {@link buildJointDecisionModel}. */
export interface JointModelOptions extends CanonicalModelOptions {
  /** Top-k width K; default min(64, V). */
  readonly topK?: number;
}

function batchDim(batch: boolean | string | undefined): number | string {
  if (batch === undefined || batch === false) return 1;
  return batch === true ? 'B' : batch;
}

function meta(kind: string, options: CanonicalModelOptions): Record<string, string> {
  return { 'eou.kind': kind, 'eou.producer': options.producer ?? '@eou/fusion', ...(options.metadata ?? {}) };
}

/**
 * Adds the decoder's nodes to `b` from inputs `targets` [B,1] int32, `h_in`/`c_in` [1,B,H] and
 * returns the value names of the prediction output [B,H,1] and the next state [1,B,H] (all
 * float32, fp16-rounded like the shipped graph). Used by the canonical decoder and fused graphs.
 */
export function addDecoderNodes(
  b: GraphBuilder,
  w: DecoderWeights,
  io: { targets: string; hIn: string; cIn: string },
  storage: 'float16' | 'float32',
  out: { decoder?: string; hOut?: string; cOut?: string } = {},
): { decoder: string; hOut: string; cOut: string } {
  const H = w.hiddenSize;
  const embed = b.weight('embed.weight', w.embed, [w.vocabSize, H], storage);
  const W = b.weight('lstm.W', w.W, [1, 4 * H, H], storage);
  const R = b.weight('lstm.R', w.R, [1, 4 * H, H], storage);
  const B = b.weight('lstm.B', w.B, [1, 8 * H], storage);
  const emb = b.gather(embed, io.targets, 0); // [B,1,H]
  const x = b.transpose(emb, [1, 0, 2]); // [1,B,H]
  const [y, yh, yc] = b.lstm(x, W, R, B, H, { h: io.hIn, c: io.cIn });
  const hOut = b.roundFp16(yh, out.hOut);
  const cOut = b.roundFp16(yc, out.cOut);
  const yr = b.roundFp16(y); // [1,1,B,H]
  const decoder = b.transpose(b.squeeze(yr, [1]), [1, 2, 0], out.decoder); // [B,H,1]
  return { decoder, hOut, cOut };
}

/** The canonical `decoder.onnx`. */
export function buildDecoderModel(w: DecoderWeights, options: CanonicalModelOptions = {}): Model {
  checkDecoderWeights(w);
  const H = w.hiddenSize;
  const Bd = batchDim(options.batch);
  const b = new GraphBuilder('decoder');
  const targets = b.input('targets', 'int32', [Bd, 1]);
  b.input('target_length', 'int32', [Bd]);
  const hIn = b.input('h_in', 'float32', [1, Bd, H]);
  const cIn = b.input('c_in', 'float32', [1, Bd, H]);
  addDecoderNodes(b, w, { targets, hIn, cIn }, options.weightDType ?? 'float16', {
    decoder: 'decoder',
    hOut: 'h_out',
    cOut: 'c_out',
  });
  b.output('decoder', 'float32', [Bd, H, 1]);
  b.output('h_out', 'float32', [1, Bd, H]);
  b.output('c_out', 'float32', [1, Bd, H]);
  return b.toModel({ producerName: options.producer ?? '@eou/fusion', metadata: meta('decoder', options) });
}

/**
 * Adds the joint + decision head from `enc` [B,E] and `dec` [B,H] (float32) and returns the
 * output value names: token_id [B,1,1] int32, token_prob [B,1,1], and top-k when `k` > 0.
 */
export function addJointDecisionNodes(
  b: GraphBuilder,
  w: JointWeights,
  io: { enc: string; dec: string },
  storage: 'float16' | 'float32',
  k: number,
  out: { tokenId?: string; tokenProb?: string; topKIds?: string; topKLogits?: string } = {},
): { tokenId: string; tokenProb: string; topKIds?: string; topKLogits?: string } {
  const { vocabSize: V, hiddenSize: H, encoderDim: E, jointDim: J } = w;
  const encW = b.weight('joint.enc.weight', w.encWeight, [J, E], storage);
  const encB = b.weight('joint.enc.bias', w.encBias, [J], storage);
  const predW = b.weight('joint.pred.weight', w.predWeight, [J, H], storage);
  const predB = b.weight('joint.pred.bias', w.predBias, [J], storage);
  const outW = b.weight('joint.out.weight', w.outWeight, [V, J], storage);
  const outB = b.weight('joint.out.bias', w.outBias, [V], storage);
  const f = b.gemm(io.enc, encW, encB, { transB: true });
  const g = b.gemm(io.dec, predW, predB, { transB: true });
  const hidden = b.relu(b.add(f, g));
  const logits = b.roundFp16(b.gemm(hidden, outW, outB, { transB: true })); // [B,V]
  const am = b.argMax(logits, { axis: -1, keepdims: true }); // int64 [B,1]
  const tokenId = b.reshape(b.cast(am, 'int32'), [-1, 1, 1], out.tokenId);
  const probs = b.softmax(logits, -1);
  const tokenProb = b.reshape(b.gatherElements(probs, am, 1), [-1, 1, 1], out.tokenProb);
  if (k <= 0) return { tokenId, tokenProb };
  const [values, indices] = b.topK(logits, k, { axis: -1, largest: true, sorted: true });
  const topKLogits = b.reshape(values, [-1, 1, 1, k], out.topKLogits);
  const topKIds = b.reshape(b.cast(indices, 'int32'), [-1, 1, 1, k], out.topKIds);
  return { tokenId, tokenProb, topKIds, topKLogits };
}

/** The canonical `joint_decision.onnx`. */
export function buildJointDecisionModel(w: JointWeights, options: JointModelOptions = {}): Model {
  checkJointWeights(w);
  const { vocabSize: V, hiddenSize: H, encoderDim: E } = w;
  const K = options.topK ?? Math.min(64, V);
  if (!Number.isInteger(K) || K < 1 || K > V)
    throw new RangeError(`options.topK must be an integer in [1, ${V}], got ${K}`);
  const Bd = batchDim(options.batch);
  const b = new GraphBuilder('joint_decision');
  const encIn = b.input('encoder_step', 'float32', [Bd, E, 1]);
  const decIn = b.input('decoder_step', 'float32', [Bd, H, 1]);
  const enc = b.reshape(b.transpose(encIn, [0, 2, 1]), [-1, E]);
  const dec = b.reshape(b.transpose(decIn, [0, 2, 1]), [-1, H]);
  addJointDecisionNodes(b, w, { enc, dec }, options.weightDType ?? 'float16', K, {
    tokenId: 'token_id',
    tokenProb: 'token_prob',
    topKIds: 'top_k_ids',
    topKLogits: 'top_k_logits',
  });
  b.output('token_id', 'int32', [Bd, 1, 1]);
  b.output('token_prob', 'float32', [Bd, 1, 1]);
  b.output('top_k_ids', 'int32', [Bd, 1, 1, K]);
  b.output('top_k_logits', 'float32', [Bd, 1, 1, K]);
  return b.toModel({
    producerName: options.producer ?? '@eou/fusion',
    metadata: meta('joint_decision', options),
  });
}
