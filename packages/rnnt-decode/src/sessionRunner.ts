/**
 * One contract {@link Session} behind the step-model adapters: feed tensors built once per batch
 * size and reused, preallocated outputs, and output reads with size and dtype checks (one line
 * naming the file and tensor when a session breaks the contract).
 */
import { copyFloat16 } from './float16';
import { RnntDecodeError } from './rnntDecodeError';
import type { Session, Tensor, TensorDataMap, TensorDType, TensorMap } from './session';
import { checkSession, type SessionCheck, type SessionContract } from './sessionContract';

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
export interface FeedSet {
  readonly feeds: TensorMap;
  readonly outputs: TensorMap | undefined;
  /** Input data by name. */
  readonly input: Record<string, AnyData>;
}

/**
 * Wraps one session: builds and caches feed sets per batch size, runs, and reads outputs with
 * size and dtype checks.
 */
export class SessionRunner {
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

  /**
   * Float output `name` as float32 values: the output's own data when it is float32 (no copy),
   * else converted into `scratch` (grown when too small).
   */
  floats(map: TensorMap, name: string, count: number, scratch: { data: Float32Array }): Float32Array {
    const t = this.output(map, name, count);
    if (t.dtype === 'float32') return t.data as Float32Array;
    if (t.dtype !== 'float16') this.badDType(name, t.dtype, 'float32 or float16');
    if (scratch.data.length < count) scratch.data = new Float32Array(count);
    copyFloat16(t.data as Uint16Array, scratch.data, count);
    return scratch.data;
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

export function runner(
  session: Session,
  contract: SessionContract,
  preallocate: boolean,
  inputs: ConstructorParameters<typeof SessionRunner>[2],
  outputs: ConstructorParameters<typeof SessionRunner>[3],
): SessionRunner {
  if (typeof session !== 'object' || session === null || typeof session.run !== 'function') {
    throw new TypeError('session must be a contract Session (with run, inputs, outputs, isSync, path)');
  }
  return new SessionRunner(session, checkSession(session, contract), inputs, outputs, preallocate);
}
