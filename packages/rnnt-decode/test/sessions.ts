/**
 * Fake contract sessions that compute the hash model (test/models.ts) from tensors, declaring the
 * inputs and outputs of docs/onnx-layout.md. They are strict: every declared input must be fed
 * with the declared dtype and a matching size, and nothing undeclared may be fed.
 */
import type { Session, Tensor, TensorDType, TensorInfo, TensorMap } from '../src/session';
import {
  decideRow,
  E,
  H,
  J,
  jointProjectedRow,
  predictContextRow,
  predictRow,
  projectRow,
  type HashParams,
} from './models';

export interface FakeOptions {
  sync: boolean;
  /** Symbolic batch dim `B` instead of 1. */
  batched?: boolean;
  /** Declare (and require) `target_length` on fused / projected decoder graphs. */
  targetLength?: boolean;
  /** Write into the `outputs` tensors when given (default true). */
  honourOutputs?: boolean;
}

type Compute = (feeds: TensorMap, rows: number) => Record<string, number[]>;

export interface FakeSession extends Session {
  calls: number;
  closed: boolean;
  /** Names fed on the last call. */
  lastFed: string[];
}

export function fakeSession(
  path: string,
  inputs: TensorInfo[],
  outputs: TensorInfo[],
  compute: Compute,
  options: FakeOptions,
): FakeSession {
  const session: FakeSession = {
    path,
    inputs,
    outputs,
    isSync: options.sync,
    calls: 0,
    closed: false,
    lastFed: [],
    run(feeds: TensorMap, given?: TensorMap) {
      session.calls++;
      session.lastFed = Object.keys(feeds);
      for (const name of Object.keys(feeds)) {
        if (!inputs.some((i) => i.name === name)) throw new Error(`${path}: fed undeclared input ${name}`);
      }
      let rows = -1;
      for (const info of inputs) {
        const t = feeds[info.name];
        if (t === undefined) throw new Error(`${path}: input ${info.name} not fed`);
        if (t.dtype !== info.dtype) throw new Error(`${path}: input ${info.name} fed ${t.dtype}`);
        const size = t.dims.reduce((a, b) => a * b, 1);
        if (size !== t.data.length) throw new Error(`${path}: input ${info.name} dims do not match data`);
        if (info.shape.length !== t.dims.length) throw new Error(`${path}: input ${info.name} rank`);
        info.shape.forEach((d, i) => {
          if (typeof d === 'number' && d !== t.dims[i])
            throw new Error(`${path}: input ${info.name} dim ${i}`);
        });
        if (info.name === 'target_length' && Array.from(t.data as Int32Array).some((v) => v !== 1)) {
          throw new Error(`${path}: target_length must be 1`);
        }
        rows = Math.max(rows, t.dims[info.name === 'h_in' || info.name === 'c_in' ? 1 : 0]!);
      }
      // An async session reads its feeds and writes its outputs later, as ONNX Runtime's async path does.
      const exec = (): TensorMap => {
        const values = compute(feeds, rows);
        const result: TensorMap = {};
        for (const info of outputs) {
          const v = values[info.name]!;
          const preset = options.honourOutputs === false ? undefined : given?.[info.name];
          const dims = info.shape.map((d) =>
            typeof d === 'number' ? d : info.name === 'encoder_projected' ? v.length / J : rows,
          );
          const t: Tensor =
            preset ??
            ({
              dtype: info.dtype,
              dims,
              data: info.dtype === 'int32' ? new Int32Array(v.length) : new Float32Array(v.length),
            });
          (t.data as Float32Array | Int32Array).set(v);
          result[info.name] = t;
        }
        return result;
      };
      return options.sync ? exec() : Promise.resolve().then(exec);
    },
    close() {
      session.closed = true;
    },
  };
  return session;
}

const info = (name: string, dtype: TensorDType, shape: (number | string)[]): TensorInfo => ({
  name,
  dtype,
  shape,
});

function rowsOf(t: Tensor, r: number, w: number): number[] {
  return Array.from((t.data as Float32Array).subarray(r * w, (r + 1) * w));
}

function predictAll(p: HashParams, feeds: TensorMap, rows: number) {
  const dec: number[] = [];
  const h: number[] = [];
  const c: number[] = [];
  for (let r = 0; r < rows; r++) {
    const [d, h2, c2] = predictRow(
      p,
      (feeds['targets']!.data as Int32Array)[r]!,
      rowsOf(feeds['h_in']!, r, H),
      rowsOf(feeds['c_in']!, r, H),
    );
    dec.push(...d!);
    h.push(...h2!);
    c.push(...c2!);
  }
  return { dec, h, c };
}

/** Every session of a hash-model directory. */
export function hashSessions(p: HashParams, o: FakeOptions) {
  const B = o.batched === true ? 'B' : 1;
  const V = p.textVocab + 3;
  const stateIn = [
    info('targets', 'int32', [B, 1]),
    info('h_in', 'float32', [1, B, H]),
    info('c_in', 'float32', [1, B, H]),
  ];
  const stateOut = [info('h_out', 'float32', [1, B, H]), info('c_out', 'float32', [1, B, H])];
  const decision = [info('token_id', 'int32', [B, 1, 1]), info('token_prob', 'float32', [B, 1, 1])];
  const topK = [
    info('top_k_ids', 'int32', [B, 1, 1, Math.min(64, V)]),
    info('top_k_logits', 'float32', [B, 1, 1, Math.min(64, V)]),
  ];
  const decideAll =
    (encName: string, decName: string, encWidth: number, projected: boolean) =>
    (feeds: TensorMap, rows: number) => {
      const token_id: number[] = [];
      const token_prob: number[] = [];
      for (let r = 0; r < rows; r++) {
        const enc = rowsOf(feeds[encName]!, r, encWidth);
        const dec = rowsOf(feeds[decName]!, r, projected ? J : H);
        const [tok, prob] = projected ? jointProjectedRow(p, enc, dec) : decideRow(p, enc, dec);
        token_id.push(tok);
        token_prob.push(prob);
      }
      return { token_id, token_prob, top_k_ids: [], top_k_logits: [] };
    };
  const tl = o.targetLength === true ? [info('target_length', 'int32', [B])] : [];
  return {
    decoder: fakeSession(
      'decoder.onnx',
      [...stateIn, info('target_length', 'int32', [B])],
      [info('decoder', 'float32', [B, H, 1]), ...stateOut],
      (feeds, rows) => {
        const { dec, h, c } = predictAll(p, feeds, rows);
        return { decoder: dec, h_out: h, c_out: c };
      },
      o,
    ),
    joint: fakeSession(
      'joint_decision.onnx',
      [info('encoder_step', 'float32', [B, E, 1]), info('decoder_step', 'float32', [B, H, 1])],
      decision,
      decideAll('encoder_step', 'decoder_step', E, false),
      o,
    ),
    fused: fakeSession(
      'decoder_joint_decision_fused.onnx',
      [...stateIn, info('encoder_step', 'float32', [B, E, 1]), ...tl],
      [...decision, ...stateOut, ...(o.targetLength === true ? topK : [])],
      (feeds, rows) => {
        const { dec, h, c } = predictAll(p, feeds, rows);
        const token_id: number[] = [];
        const token_prob: number[] = [];
        for (let r = 0; r < rows; r++) {
          const [tok, prob] = decideRow(
            p,
            rowsOf(feeds['encoder_step']!, r, E),
            dec.slice(r * H, (r + 1) * H),
          );
          token_id.push(tok);
          token_prob.push(prob);
        }
        return { token_id, token_prob, h_out: h, c_out: c, top_k_ids: [], top_k_logits: [] };
      },
      o,
    ),
    projectedEncoder: fakeSession(
      'projected_encoder.onnx',
      [info('encoder_frames', 'float32', ['T', E])],
      [info('encoder_projected', 'float32', ['T', J])],
      (feeds) => {
        const frames = feeds['encoder_frames']!;
        const out: number[] = [];
        for (let t = 0; t < frames.dims[0]!; t++) out.push(...projectRow(p, rowsOf(frames, t, E)));
        return { encoder_projected: out };
      },
      o,
    ),
    projectedDecoder: fakeSession(
      'projected_decoder.onnx',
      [...stateIn, ...tl],
      [info('decoder_projected', 'float32', [B, J]), ...stateOut],
      (feeds, rows) => {
        const { dec, h, c } = predictAll(p, feeds, rows);
        return { decoder_projected: dec, h_out: h, c_out: c };
      },
      o,
    ),
    projectedJoint: fakeSession(
      'projected_joint.onnx',
      [info('encoder_projected', 'float32', [B, J]), info('decoder_projected', 'float32', [B, J])],
      decision,
      decideAll('encoder_projected', 'decoder_projected', J, true),
      o,
    ),
  };
}

/**
 * Logits of one stateless-joint row whose unique maximum is the hash decision `token`: 10 there,
 * small integers elsewhere (so the host argmax must find `token`, and its softmax is exact to compute).
 */
export function hashLogits(token: number, vocabSize: number, salt: number): number[] {
  return Array.from({ length: vocabSize }, (_, j) => (j === token ? 10 : (j * 7 + salt) % 5));
}

/** The softmax probability at the argmax of `logits`, as the host computes it (float64 sum, float32 result). */
export function softmaxAtMax(logits: readonly number[]): number {
  const max = Math.max(...logits);
  return Math.fround(1 / logits.reduce((s, l) => s + Math.exp(l - max), 0));
}

/**
 * The sherpa-onnx / icefall layout of the stateless hash model: `decoder.onnx` (`y` [B,K] int64 ->
 * `decoder_out` [B,H]) and `joiner.onnx` (`encoder_out` [B,E], `decoder_out` [B,H] -> `logit` [B,V]).
 */
export function statelessSessions(
  p: HashParams,
  o: FakeOptions & { contextSize?: number; yType?: 'int64' | 'int32' },
) {
  const B = o.batched === true ? 'B' : 1;
  const K = o.contextSize ?? 2;
  const V = p.textVocab + 3;
  return {
    decoder: fakeSession(
      'decoder.onnx',
      [info('y', o.yType ?? 'int64', [B, K])],
      [info('decoder_out', 'float32', [B, H])],
      (feeds, rows) => {
        const y = feeds['y']!.data as BigInt64Array | Int32Array;
        const out: number[] = [];
        for (let r = 0; r < rows; r++) {
          const context = Array.from({ length: K }, (_, i) => Number(y[r * K + i]!));
          out.push(...predictContextRow(p, context));
        }
        return { decoder_out: out };
      },
      o,
    ),
    joiner: fakeSession(
      'joiner.onnx',
      [info('encoder_out', 'float32', [B, E]), info('decoder_out', 'float32', [B, H])],
      [info('logit', 'float32', [B, V])],
      (feeds, rows) => {
        const logit: number[] = [];
        for (let r = 0; r < rows; r++) {
          const enc = rowsOf(feeds['encoder_out']!, r, E);
          const [token] = decideRow(p, enc, rowsOf(feeds['decoder_out']!, r, H));
          logit.push(...hashLogits(token, V, enc[0]! + enc[1]!));
        }
        return { logit };
      },
      o,
    ),
  };
}
