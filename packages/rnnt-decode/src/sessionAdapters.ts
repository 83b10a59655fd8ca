/**
 * Adapters from contract {@link Session}s (any runtime) to the loop's step-model ports. Each
 * checks the sessions against the contract once, then reuses preallocated feed tensors (one set
 * per batch size) so a step only copies inputs in and outputs out. An adapter is synchronous when
 * all its sessions are; then no promise is ever created.
 */
import { argmaxLogits } from './argmaxLogits';
import type { Session, TensorMap, TensorDType } from './session';
import { sessionContracts, type ContractDims } from './sessionContract';
import { runner, type FeedSet, type SessionRunner } from './sessionRunner';
import type {
  FusedOutput,
  FusedStepModel,
  JointOutput,
  PredictionOutput,
  ProjectedStepModel,
  SplitStepModel,
  StatelessStepModel,
} from './stepModels';

/** Sizes an adapter needs (from model.json). */
export interface AdapterDims {
  readonly hiddenSize: number;
  readonly encoderDim: number;
  readonly vocabSize: number;
  /** Joint hidden size J (projected models; default H). */
  readonly jointDim?: number;
  /** Milliseconds per encoder frame, passed through for timestamps. */
  readonly frameMs?: number;
}

/** Adapter options. */
export interface AdapterOptions {
  /** Largest batch for sessions with a symbolic batch dim (default 256; fixed-batch sessions get 1). */
  readonly maxBatch?: number;
  /**
   * Pass preallocated output tensors to `Session.run` (default true) so the runtime can write into
   * them; set false for a runtime that cannot.
   */
  readonly preallocateOutputs?: boolean;
}

/** Default `maxBatch` of batch-capable sessions. */
export const defaultAdapterMaxBatch = 256;

function contractDims(dims: AdapterDims): ContractDims {
  for (const field of ['hiddenSize', 'encoderDim', 'vocabSize'] as const) {
    if (!Number.isInteger(dims[field]) || dims[field] < 1) {
      throw new RangeError(`dims.${field} must be a positive integer, got ${String(dims[field])}`);
    }
  }
  return {
    hiddenSize: dims.hiddenSize,
    encoderDim: dims.encoderDim,
    jointDim: dims.jointDim ?? dims.hiddenSize,
    vocabSize: dims.vocabSize,
  };
}

function maxBatchOf(runners: readonly SessionRunner[], options: AdapterOptions): number {
  if (!runners.every((r) => r.check.batched)) return 1;
  const max = options.maxBatch ?? defaultAdapterMaxBatch;
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`options.maxBatch must be a positive integer, got ${max}`);
  return max;
}

function base(dims: AdapterDims, runners: readonly SessionRunner[], options: AdapterOptions) {
  return {
    hiddenSize: dims.hiddenSize,
    encoderDim: dims.encoderDim,
    vocabSize: dims.vocabSize,
    maxBatch: maxBatchOf(runners, options),
    isSync: runners.every((r) => r.sync),
    ...(dims.frameMs === undefined ? {} : { frameMs: dims.frameMs }),
  };
}

const stateInputShapes = (H: number) => ({
  targets: { dtype: 'int32' as const, dims: (b: number) => [b, 1] },
  h_in: { dtype: 'float32' as const, dims: (b: number) => [1, b, H] },
  c_in: { dtype: 'float32' as const, dims: (b: number) => [1, b, H] },
  target_length: { dtype: 'int32' as const, dims: (b: number) => [b], fill: 1 },
});
const stateOutputShapes = (H: number) => ({
  h_out: (b: number) => [1, b, H],
  c_out: (b: number) => [1, b, H],
});
const decisionOutputShapes = { token_id: (b: number) => [b, 1, 1], token_prob: (b: number) => [b, 1, 1] };

/** Prediction-net runner shared by the split and projected adapters. */
function predictWith(r: SessionRunner, H: number, decoderName: string, width: number) {
  const fill = (tokens: Int32Array, h: Float32Array, c: Float32Array): FeedSet => {
    const set = r.feedsFor(tokens.length);
    (set.input['targets'] as Int32Array).set(tokens);
    (set.input['h_in'] as Float32Array).set(h);
    (set.input['c_in'] as Float32Array).set(c);
    return set;
  };
  const read = (map: TensorMap, rows: number, out: PredictionOutput): void => {
    r.readFloat(map, decoderName, out.decoder, rows * width);
    r.readFloat(map, 'h_out', out.h, rows * H);
    r.readFloat(map, 'c_out', out.c, rows * H);
  };
  if (r.sync) {
    return (tokens: Int32Array, h: Float32Array, c: Float32Array, out: PredictionOutput): void =>
      read(r.runSync(fill(tokens, h, c)), tokens.length, out);
  }
  return (tokens: Int32Array, h: Float32Array, c: Float32Array, out: PredictionOutput): Promise<void> =>
    r.runAsync(
      () => fill(tokens, h, c),
      (map) => read(map, tokens.length, out),
    );
}

/** Joint runner shared by the split and projected adapters. */
function jointWith(r: SessionRunner, encName: string, encWidth: number, decName: string) {
  const fill = (enc: Float32Array, dec: Float32Array): FeedSet => {
    const set = r.feedsFor(enc.length / encWidth);
    (set.input[encName] as Float32Array).set(enc);
    (set.input[decName] as Float32Array).set(dec);
    return set;
  };
  const read = (map: TensorMap, rows: number, out: JointOutput): void => {
    r.readInt(map, 'token_id', out.tokens, rows);
    r.readFloat(map, 'token_prob', out.probs, rows);
  };
  if (r.sync) {
    return (enc: Float32Array, dec: Float32Array, out: JointOutput): void =>
      read(r.runSync(fill(enc, dec)), out.tokens.length, out);
  }
  return (enc: Float32Array, dec: Float32Array, out: JointOutput): Promise<void> =>
    r.runAsync(
      () => fill(enc, dec),
      (map) => read(map, out.tokens.length, out),
    );
}

/**
 * A split step model over a `decoder` session and a `joint_decision` session (the `ref` and
 * `cached` variants).
 * @throws RnntDecodeError `E_CONTRACT` when a session's declared inputs/outputs break the contract
 */
export function splitModelFromSessions(
  decoder: Session,
  joint: Session,
  dims: AdapterDims,
  options: AdapterOptions = {},
): SplitStepModel {
  const d = contractDims(dims);
  const H = d.hiddenSize;
  const E = d.encoderDim;
  const pre = options.preallocateOutputs ?? true;
  const dec = runner(decoder, sessionContracts.decoder(d), pre, stateInputShapes(H), {
    decoder: (b) => [b, H, 1],
    ...stateOutputShapes(H),
  });
  const jnt = runner(
    joint,
    sessionContracts.joint(d),
    pre,
    {
      encoder_step: { dtype: 'float32', dims: (b) => [b, E, 1] },
      decoder_step: { dtype: 'float32', dims: (b) => [b, H, 1] },
    },
    decisionOutputShapes,
  );
  return {
    kind: 'split',
    ...base(dims, [dec, jnt], options),
    predict: predictWith(dec, H, 'decoder', H),
    joint: jointWith(jnt, 'encoder_step', E, 'decoder_step'),
  };
}

/**
 * A fused step model over one session taking `targets`, `h_in`, `c_in`, `encoder_step` (and
 * `target_length` when declared) and returning `token_id`, `token_prob`, `h_out`, `c_out`
 * (`pipeline`, `lean`, `lean-topk`). `h_out`/`c_out` may be float16.
 * @throws RnntDecodeError `E_CONTRACT` when the session breaks the contract
 */
export function fusedModelFromSession(
  session: Session,
  dims: AdapterDims,
  options: AdapterOptions = {},
): FusedStepModel {
  const d = contractDims(dims);
  const H = d.hiddenSize;
  const E = d.encoderDim;
  const r = runner(
    session,
    sessionContracts.fused(d),
    options.preallocateOutputs ?? true,
    { ...stateInputShapes(H), encoder_step: { dtype: 'float32', dims: (b) => [b, E, 1] } },
    { ...decisionOutputShapes, ...stateOutputShapes(H) },
  );
  const fill = (tokens: Int32Array, h: Float32Array, c: Float32Array, enc: Float32Array): FeedSet => {
    const set = r.feedsFor(tokens.length);
    (set.input['targets'] as Int32Array).set(tokens);
    (set.input['h_in'] as Float32Array).set(h);
    (set.input['c_in'] as Float32Array).set(c);
    (set.input['encoder_step'] as Float32Array).set(enc);
    return set;
  };
  const read = (map: TensorMap, rows: number, out: FusedOutput): void => {
    r.readInt(map, 'token_id', out.tokens, rows);
    r.readFloat(map, 'token_prob', out.probs, rows);
    r.readFloat(map, 'h_out', out.h, rows * H);
    r.readFloat(map, 'c_out', out.c, rows * H);
  };
  const step = r.sync
    ? (tokens: Int32Array, h: Float32Array, c: Float32Array, enc: Float32Array, out: FusedOutput): void =>
        read(r.runSync(fill(tokens, h, c, enc)), tokens.length, out)
    : (
        tokens: Int32Array,
        h: Float32Array,
        c: Float32Array,
        enc: Float32Array,
        out: FusedOutput,
      ): Promise<void> =>
        r.runAsync(
          () => fill(tokens, h, c, enc),
          (map) => read(map, tokens.length, out),
        );
  return { kind: 'fused', ...base(dims, [r], options), step };
}

/**
 * A projected step model over `projected_encoder`, `projected_decoder` and `projected_joint`
 * sessions (the `projected` variant).
 * @throws RnntDecodeError `E_CONTRACT` when a session breaks the contract
 */
export function projectedModelFromSessions(
  encoder: Session,
  decoder: Session,
  joint: Session,
  dims: AdapterDims,
  options: AdapterOptions = {},
): ProjectedStepModel {
  const d = contractDims(dims);
  const H = d.hiddenSize;
  const E = d.encoderDim;
  const J = d.jointDim;
  if (!Number.isInteger(J) || J < 1)
    throw new RangeError(`dims.jointDim must be a positive integer, got ${J}`);
  const pre = options.preallocateOutputs ?? true;
  const enc = runner(
    encoder,
    sessionContracts.projectedEncoder(d),
    pre,
    { encoder_frames: { dtype: 'float32', dims: (t) => [t, E] } },
    { encoder_projected: (t) => [t, J] },
  );
  const dec = runner(decoder, sessionContracts.projectedDecoder(d), pre, stateInputShapes(H), {
    decoder_projected: (b) => [b, J],
    ...stateOutputShapes(H),
  });
  const jnt = runner(
    joint,
    sessionContracts.projectedJoint(d),
    pre,
    {
      encoder_projected: { dtype: 'float32', dims: (b) => [b, J] },
      decoder_projected: { dtype: 'float32', dims: (b) => [b, J] },
    },
    decisionOutputShapes,
  );
  const fillFrames = (frames: Float32Array, frameCount: number): FeedSet => {
    if (frames.length !== frameCount * E) {
      throw new RangeError(
        `frames.length must be frameCount*encoderDim = ${frameCount * E}, got ${frames.length}`,
      );
    }
    const set = enc.feedsFor(frameCount);
    (set.input['encoder_frames'] as Float32Array).set(frames);
    return set;
  };
  const projectEncoder = enc.sync
    ? (frames: Float32Array, frameCount: number, out: Float32Array): void =>
        enc.readFloat(enc.runSync(fillFrames(frames, frameCount)), 'encoder_projected', out, frameCount * J)
    : (frames: Float32Array, frameCount: number, out: Float32Array): Promise<void> =>
        enc.runAsync(
          () => fillFrames(frames, frameCount),
          (map) => enc.readFloat(map, 'encoder_projected', out, frameCount * J),
        );
  return {
    kind: 'projected',
    ...base(dims, [dec, jnt], options),
    isSync: enc.sync && dec.sync && jnt.sync,
    jointDim: J,
    projectEncoder,
    predict: predictWith(dec, H, 'decoder_projected', J),
    jointProjected: jointWith(jnt, 'encoder_projected', J, 'decoder_projected'),
  };
}

/** Sizes of a stateless model (sherpa-onnx / icefall layout; from the ONNX metadata or model.json). */
export interface StatelessAdapterDims {
  /** Tokens of context K (`context_size` in the decoder's metadata; 2 for the zipformer zoo). */
  readonly contextSize: number;
  /** Width D of `decoder_out` (the joiner dim). */
  readonly decoderDim: number;
  /** Width E of the encoder frames the joiner takes (`encoder_out`, also the joiner dim there). */
  readonly encoderDim: number;
  /** V: the width of `logit` (`vocab_size` in the decoder's metadata). */
  readonly vocabSize: number;
  /** Milliseconds per encoder frame, passed through for timestamps. */
  readonly frameMs?: number;
}

/** Little-endian platforms (all that Node and browsers run on in practice) write int64 ids as two int32s. */
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Writes int32 ids into an int64 tensor without a BigInt per id: the low word is the id, the high
 * word its sign (-1 pads the start context). `words` is an int32 view of `target`'s buffer.
 */
function writeInt64(target: BigInt64Array, words: Int32Array | null, ids: Int32Array): void {
  if (words === null) {
    for (let i = 0; i < ids.length; i++) target[i] = BigInt(ids[i]!);
    return;
  }
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    words[2 * i] = id;
    words[2 * i + 1] = id < 0 ? -1 : 0;
  }
}

/**
 * A stateless step model over a sherpa-onnx / icefall transducer's `decoder` session (`y` [B,K]
 * int64 -> `decoder_out` [B,D]) and `joiner` session (`encoder_out` [B,E], `decoder_out` [B,D] ->
 * `logit` [B,V]). The argmax and its softmax probability are taken on the host
 * ({@link argmaxLogits}). Batch-capable when both graphs have a symbolic batch dim.
 * @throws RnntDecodeError `E_CONTRACT` when a session's declared inputs/outputs break the contract
 * @throws RangeError for a bad size in `dims`
 */
export function statelessModelFromSessions(
  decoder: Session,
  joiner: Session,
  dims: StatelessAdapterDims,
  options: AdapterOptions = {},
): StatelessStepModel {
  for (const field of ['contextSize', 'decoderDim', 'encoderDim', 'vocabSize'] as const) {
    if (!Number.isInteger(dims[field]) || dims[field] < 1) {
      throw new RangeError(`dims.${field} must be a positive integer, got ${String(dims[field])}`);
    }
  }
  const K = dims.contextSize;
  const D = dims.decoderDim;
  const E = dims.encoderDim;
  const V = dims.vocabSize;
  const d: ContractDims = { hiddenSize: D, encoderDim: E, jointDim: D, vocabSize: V, contextSize: K };
  const pre = options.preallocateOutputs ?? true;
  // Feed `y` as the graph declares it (icefall exports int64; int32 graphs exist).
  const yType: TensorDType =
    (decoder as Session | null)?.inputs?.find((i) => i.name === 'y')?.dtype === 'int32' ? 'int32' : 'int64';
  const dec = runner(
    decoder,
    sessionContracts.statelessDecoder(d),
    pre,
    { y: { dtype: yType, dims: (b) => [b, K] } },
    { decoder_out: (b) => [b, D] },
  );
  const jnt = runner(
    joiner,
    sessionContracts.statelessJoint(d),
    pre,
    {
      encoder_out: { dtype: 'float32', dims: (b) => [b, E] },
      decoder_out: { dtype: 'float32', dims: (b) => [b, D] },
    },
    { logit: (b) => [b, V] },
  );
  let words: { of: unknown; view: Int32Array | null } = { of: null, view: null };
  const fillY = (contexts: Int32Array): FeedSet => {
    const set = dec.feedsFor(contexts.length / K);
    const y = set.input['y']!;
    if (y instanceof Int32Array) y.set(contexts);
    else {
      const target = y as BigInt64Array;
      if (words.of !== target) {
        words = {
          of: target,
          view: littleEndian ? new Int32Array(target.buffer, target.byteOffset, target.length * 2) : null,
        };
      }
      writeInt64(target, words.view, contexts);
    }
    return set;
  };
  const readDecoder = (map: TensorMap, contexts: Int32Array, out: Float32Array): void =>
    dec.readFloat(map, 'decoder_out', out, (contexts.length / K) * D);
  const predict = dec.sync
    ? (contexts: Int32Array, out: Float32Array): void =>
        readDecoder(dec.runSync(fillY(contexts)), contexts, out)
    : (contexts: Int32Array, out: Float32Array): Promise<void> =>
        dec.runAsync(
          () => fillY(contexts),
          (map) => readDecoder(map, contexts, out),
        );
  const scratch = { data: new Float32Array(0) };
  const fillJoint = (enc: Float32Array, decoded: Float32Array): FeedSet => {
    const set = jnt.feedsFor(enc.length / E);
    (set.input['encoder_out'] as Float32Array).set(enc);
    (set.input['decoder_out'] as Float32Array).set(decoded);
    return set;
  };
  const decide = (map: TensorMap, out: JointOutput): void => {
    const rows = out.tokens.length;
    argmaxLogits(jnt.floats(map, 'logit', rows * V, scratch), rows, V, out, joiner.path);
  };
  const joint = jnt.sync
    ? (enc: Float32Array, decoded: Float32Array, out: JointOutput): void =>
        decide(jnt.runSync(fillJoint(enc, decoded)), out)
    : (enc: Float32Array, decoded: Float32Array, out: JointOutput): Promise<void> =>
        jnt.runAsync(
          () => fillJoint(enc, decoded),
          (map) => decide(map, out),
        );
  return {
    kind: 'stateless',
    hiddenSize: D,
    encoderDim: E,
    vocabSize: V,
    contextSize: K,
    maxBatch: maxBatchOf([dec, jnt], options),
    isSync: dec.sync && jnt.sync,
    ...(dims.frameMs === undefined ? {} : { frameMs: dims.frameMs }),
    predict,
    joint,
  };
}
