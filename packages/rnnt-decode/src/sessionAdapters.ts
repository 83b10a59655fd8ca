/**
 * Adapters from contract {@link Session}s (any runtime) to the loop's step-model ports. Each
 * checks the sessions against the contract once, then reuses preallocated feed tensors (one set
 * per batch size) so a step only copies inputs in and outputs out. An adapter is synchronous when
 * all its sessions are; then no promise is ever created.
 */
import { copyFloat16 } from './float16';
import { RnntDecodeError } from './rnntDecodeError';
import type { Session, Tensor, TensorDataMap, TensorDType, TensorMap } from './session';
import { checkSession, sessionContracts, type ContractDims, type SessionCheck } from './sessionContract';
import type {
  FusedOutput,
  FusedStepModel,
  JointOutput,
  PredictionOutput,
  ProjectedStepModel,
  SplitStepModel,
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

type AnyData = TensorDataMap[TensorDType];

function tensor<T extends TensorDType>(dtype: T, dims: number[]): Tensor<T> {
  const size = dims.reduce((a, b) => a * b, 1);
  const data = (
    dtype === 'float32'
      ? new Float32Array(size)
      : dtype === 'float16'
        ? new Uint16Array(size)
        : dtype === 'int32'
          ? new Int32Array(size)
          : new BigInt64Array(size)
  ) as TensorDataMap[T];
  return { dtype, dims, data };
}

function isThenable(value: unknown): value is PromiseLike<TensorMap> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** One session's feeds and outputs for one batch size. */
interface FeedSet {
  readonly feeds: TensorMap;
  readonly outputs: TensorMap | undefined;
  /** Input data by name. */
  readonly input: Record<string, AnyData>;
}

/**
 * Wraps one session: builds and caches feed sets per batch size, runs, and reads outputs with
 * size and dtype checks.
 */
class SessionRunner {
  readonly sync: boolean;
  readonly check: SessionCheck;
  private readonly sets = new Map<number, FeedSet>();
  private lastRows = -1;
  private last: FeedSet | undefined;

  constructor(
    readonly session: Session,
    check: SessionCheck,
    private readonly inputShapes: Record<
      string,
      { dtype: TensorDType; dims: (rows: number) => number[]; fill?: number }
    >,
    private readonly outputShapes: Record<string, (rows: number) => number[]>,
    private readonly preallocate: boolean,
  ) {
    this.sync = session.isSync;
    this.check = check;
  }

  /** Feed set for `rows` rows (or frames, for the encoder projection). */
  feedsFor(rows: number): FeedSet {
    if (rows === this.lastRows) return this.last!;
    let set = this.sets.get(rows);
    if (set === undefined) {
      const feeds: TensorMap = {};
      const input: Record<string, AnyData> = {};
      for (const [name, spec] of Object.entries(this.inputShapes)) {
        if (!this.check.inputNames.has(name)) continue; // optional input the graph does not declare
        const t = tensor(spec.dtype, spec.dims(rows));
        if (spec.fill !== undefined) (t.data as Int32Array).fill(spec.fill);
        feeds[name] = t;
        input[name] = t.data;
      }
      let outputs: TensorMap | undefined;
      if (this.preallocate) {
        outputs = {};
        for (const [name, dims] of Object.entries(this.outputShapes)) {
          outputs[name] = tensor(this.check.outputDTypes.get(name) ?? 'float32', dims(rows));
        }
      }
      set = { feeds, outputs, input };
      if (this.sets.size > 16) this.sets.clear(); // bounded: chunk sizes vary little
      this.sets.set(rows, set);
    }
    this.lastRows = rows;
    this.last = set;
    return set;
  }

  runSync(set: FeedSet): TensorMap {
    const result = this.session.run(set.feeds, set.outputs);
    if (isThenable(result)) {
      throw new RnntDecodeError(
        'E_CONTRACT',
        `${this.session.path}: isSync is true but run() returned a promise`,
        {
          file: this.session.path,
        },
      );
    }
    return result;
  }

  /**
   * Fills the feeds and runs asynchronously, one call at a time: the feed and output tensors are
   * shared by every caller of this adapter, so a call waits for the previous one to finish.
   */
  runAsync<T>(fill: () => FeedSet, read: (map: TensorMap) => T): Promise<T> {
    const task = (): Promise<T> => {
      const set = fill();
      return Promise.resolve(this.session.run(set.feeds, set.outputs)).then(read);
    };
    const result = this.queue === null ? task() : this.queue.then(task);
    const tail: Promise<void> = result.then(
      () => this.settle(tail),
      () => this.settle(tail),
    );
    this.queue = tail;
    return result;
  }

  private queue: Promise<void> | null = null;

  private settle(tail: Promise<void>): void {
    if (this.queue === tail) this.queue = null;
  }

  private output(map: TensorMap, name: string, count: number): Tensor {
    const t = map[name];
    if (t === undefined) {
      throw new RnntDecodeError('E_CONTRACT', `${this.session.path}: run() returned no \`${name}\``, {
        file: this.session.path,
        field: name,
      });
    }
    if (t.data.length !== count) {
      throw new RnntDecodeError(
        'E_CONTRACT',
        `${this.session.path}: output \`${name}\` has ${t.data.length} elements [${t.dims.join(',')}], expected ${count}`,
        { file: this.session.path, field: name },
      );
    }
    return t;
  }

  /** Copies float output `name` (float32 or float16 bits) into `target[0..count)`. */
  readFloat(map: TensorMap, name: string, target: Float32Array, count: number): void {
    const t = this.output(map, name, count);
    if (t.dtype === 'float32') target.set(t.data as Float32Array);
    else if (t.dtype === 'float16') copyFloat16(t.data as Uint16Array, target, count);
    else this.badDType(name, t.dtype, 'float32 or float16');
  }

  /** Copies int output `name` into `target[0..count)`. */
  readInt(map: TensorMap, name: string, target: Int32Array, count: number): void {
    const t = this.output(map, name, count);
    if (t.dtype === 'int32') target.set(t.data as Int32Array);
    else if (t.dtype === 'int64') {
      const data = t.data as BigInt64Array;
      for (let i = 0; i < count; i++) target[i] = Number(data[i]!);
    } else this.badDType(name, t.dtype, 'int32');
  }

  private badDType(name: string, got: string, expected: string): never {
    throw new RnntDecodeError(
      'E_CONTRACT',
      `${this.session.path}: output \`${name}\` expected ${expected}, got ${got}`,
      {
        file: this.session.path,
        field: name,
      },
    );
  }
}

function runner(
  session: Session,
  contract: ReturnType<(typeof sessionContracts)[keyof typeof sessionContracts]>,
  preallocate: boolean,
  inputs: ConstructorParameters<typeof SessionRunner>[2],
  outputs: ConstructorParameters<typeof SessionRunner>[3],
): SessionRunner {
  if (typeof session !== 'object' || session === null || typeof session.run !== 'function') {
    throw new TypeError('session must be a contract Session (with run, inputs, outputs, isSync, path)');
  }
  return new SessionRunner(session, checkSession(session, contract), inputs, outputs, preallocate);
}

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
