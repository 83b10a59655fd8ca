/**
 * `openOnnxSession`: a {@link Session} on onnxruntime-node. The run path is chosen once at open:
 * the synchronous native call when available (no event-loop hop per step), else the public async
 * API. Feeds are checked against the declared inputs so a mistake is one clear line, not an ONNX
 * Runtime stack.
 */
import { existsSync } from 'node:fs';
import type { Session, Tensor, TensorInfo, TensorMap } from '@eou/rnnt-decode';
import * as ort from 'onnxruntime-node';
import type { NativeSession, NativeTensor, NativeValueMetadata } from './ortBinding';
import { createNativeSession } from './ortBinding';
import { OnnxRuntimeError, oneLine } from './onnxRuntimeError';
import { PreparedCall, allocateOutputs } from './preparedCall';
import type { OnnxSessionOptions, OrtSessionOptions } from './sessionOptions';
import { toOrtSessionOptions } from './sessionOptions';
import {
  arrayTypeName,
  dataMatchesDType,
  dimsFit,
  dtypeOfCode,
  elementCount,
  formatShape,
  shapeOfMetadata,
  typeNameOfCode,
} from './tensorInfo';

/** A session on ONNX Runtime; `callPath` says which run path it took. */
export interface OnnxSession extends Session {
  /** 'sync': native synchronous run, `run` returns a TensorMap; 'async': public API, a promise. */
  readonly callPath: 'sync' | 'async';
  /** The options ONNX Runtime was given (defaults filled in). */
  readonly options: Readonly<OrtSessionOptions>;
  /**
   * A call whose feeds and fetches are built (and checked) once. Every output is preallocated:
   * `outputs` given here, the rest allocated from their declared shapes (a dynamic one must be
   * given). Overwrite `feeds[name].data` in place, call `run()`, read `outputs`.
   * @throws OnnxRuntimeError on feeds or outputs that break the model's contract; RangeError for a dynamic output not given.
   */
  prepare(feeds: TensorMap, outputs?: TensorMap): PreparedRun;
}

/** See {@link OnnxSession.prepare}. */
export interface PreparedRun {
  readonly feeds: TensorMap;
  /** Every output of the model, written in place by each `run()`. */
  readonly outputs: TensorMap;
  /** Runs the model on the current contents of `feeds`; resolves (or returns) `outputs`. */
  run(): TensorMap | Promise<TensorMap>;
}

/** Model source: a file path, or bytes plus a name for messages. */
export type ModelSource = string | { readonly bytes: Uint8Array; readonly name: string };

function describe(source: ModelSource): string {
  return typeof source === 'string' ? source : source.name;
}

/**
 * Opens a model. Rejects with {@link OnnxRuntimeError} (`E_LOAD`, `E_DTYPE`, `E_OPTIONS`) naming
 * the file; `callPath: 'sync'` rejects when the native synchronous path is unavailable.
 */
export async function openOnnxSession(
  source: ModelSource,
  options: OnnxSessionOptions = {},
): Promise<OnnxSession> {
  if (typeof source !== 'string' && !(source?.bytes instanceof Uint8Array)) {
    throw new TypeError(
      'openOnnxSession: `source` must be a file path or { bytes: Uint8Array, name: string }',
    );
  }
  const file = describe(source);
  const ortOptions = toOrtSessionOptions(options);
  const callPath = options.callPath ?? 'auto';
  if (!['auto', 'sync', 'async'].includes(callPath))
    throw new RangeError(`options.callPath must be auto|sync|async, got ${String(callPath)}`);
  if (typeof source === 'string' && !existsSync(source)) {
    throw new OnnxRuntimeError('E_LOAD', `${file}: model file not found`, { file });
  }
  const validate = options.validateFeeds ?? true;
  if (callPath !== 'async') {
    const native = await createNativeSession();
    if (native) {
      try {
        if (typeof source === 'string') native.loadModel(source, ortOptions);
        else
          (native.loadModel as unknown as (b: ArrayBufferLike, o: number, l: number, opts: object) => void)(
            source.bytes.buffer,
            source.bytes.byteOffset,
            source.bytes.byteLength,
            ortOptions,
          );
      } catch (cause) {
        throw loadError(file, cause);
      }
      return new NativeOnnxSession(file, native, ortOptions, validate);
    }
    if (callPath === 'sync') {
      throw new OnnxRuntimeError(
        'E_OPTIONS',
        `${file}: callPath 'sync' requested, but this onnxruntime-node does not expose its synchronous binding`,
        { file },
      );
    }
  }
  let session: ort.InferenceSession;
  try {
    const opts = ortOptions as ort.InferenceSession.SessionOptions;
    session =
      typeof source === 'string'
        ? await ort.InferenceSession.create(source, opts)
        : await ort.InferenceSession.create(source.bytes, opts);
  } catch (cause) {
    throw loadError(file, cause);
  }
  return new PublicOnnxSession(file, session, ortOptions, validate);
}

function loadError(file: string, cause: unknown): OnnxRuntimeError {
  const reason = oneLine(cause instanceof Error ? cause.message : String(cause));
  return new OnnxRuntimeError('E_LOAD', `${file}: ONNX Runtime cannot load the model (${reason})`, {
    file,
    cause,
  });
}

function infosOf(
  file: string,
  role: 'input' | 'output',
  metadata: readonly NativeValueMetadata[],
): TensorInfo[] {
  return metadata.map((m) => {
    const dtype = m.isTensor ? dtypeOfCode(m.type) : undefined;
    if (!dtype) {
      const actual = m.isTensor ? typeNameOfCode(m.type) : 'a non-tensor value';
      throw new OnnxRuntimeError(
        'E_DTYPE',
        `${file}: ${role} "${m.name}" is ${actual}; the session contract carries float32, float16, int32, int64`,
        {
          file,
          tensor: m.name,
          expected: 'float32|float16|int32|int64',
          actual,
        },
      );
    }
    return { name: m.name, dtype, shape: shapeOfMetadata(m) };
  });
}

/** Shared by both paths: feed checks, result assembly, close. */
abstract class BaseOnnxSession implements OnnxSession {
  abstract readonly callPath: 'sync' | 'async';
  abstract readonly isSync: boolean;
  readonly path: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly options: Readonly<OrtSessionOptions>;
  protected readonly validate: boolean;
  protected readonly outputNames: readonly string[];
  protected closed = false;

  constructor(
    path: string,
    inputs: TensorInfo[],
    outputs: TensorInfo[],
    options: OrtSessionOptions,
    validate: boolean,
  ) {
    this.path = path;
    this.inputs = inputs;
    this.outputs = outputs;
    this.options = options;
    this.validate = validate;
    this.outputNames = outputs.map((o) => o.name);
  }

  abstract run(feeds: TensorMap, outputs?: TensorMap): TensorMap | Promise<TensorMap>;
  abstract close(): void | Promise<void>;

  prepare(feeds: TensorMap, outputs?: TensorMap): PreparedRun {
    this.checkOpen();
    const missing = this.outputs.filter((o) => outputs?.[o.name] === undefined);
    const all: TensorMap = { ...outputs, ...allocateOutputs(this.path, missing) };
    this.checkFeeds(feeds, all);
    // The prepared call is cached by identity, so `run` with these maps skips the checks above.
    return { feeds, outputs: all, run: () => this.run(feeds, all) };
  }

  protected checkOpen(): void {
    if (this.closed)
      throw new OnnxRuntimeError('E_CLOSED', `${this.path}: session is closed`, { file: this.path });
  }

  protected checkFeeds(feeds: TensorMap, outputs: TensorMap | undefined): void {
    if (feeds === null || typeof feeds !== 'object')
      throw new TypeError(`${this.path}: run(feeds): feeds must be an object of tensors`);
    for (const info of this.inputs) {
      const t = feeds[info.name];
      if (t === undefined) {
        throw new OnnxRuntimeError(
          'E_MISSING',
          `${this.path}: input "${info.name}" was not fed (model inputs: ${this.inputs.map((i) => i.name).join(', ')})`,
          {
            file: this.path,
            tensor: info.name,
          },
        );
      }
      checkTensor(this.path, 'input', info, t);
    }
    if (Object.keys(feeds).length !== this.inputs.length) {
      for (const name of Object.keys(feeds)) {
        if (!this.inputs.some((i) => i.name === name)) {
          throw new OnnxRuntimeError(
            'E_UNKNOWN',
            `${this.path}: fed "${name}", which is not an input of the model (inputs: ${this.inputs.map((i) => i.name).join(', ')})`,
            {
              file: this.path,
              tensor: name,
            },
          );
        }
      }
    }
    if (outputs) {
      for (const [name, t] of Object.entries(outputs)) {
        const info = this.outputs.find((o) => o.name === name);
        if (!info) {
          throw new OnnxRuntimeError(
            'E_UNKNOWN',
            `${this.path}: preallocated "${name}" is not an output of the model (outputs: ${this.outputNames.join(', ')})`,
            {
              file: this.path,
              tensor: name,
            },
          );
        }
        checkTensor(this.path, 'output', info, t);
      }
    }
  }
}

function checkTensor(file: string, role: 'input' | 'output', info: TensorInfo, t: Tensor): void {
  if (t.dtype !== info.dtype || !dataMatchesDType(t)) {
    const actual =
      t.dtype !== info.dtype
        ? String(t.dtype)
        : `${t.dtype} with ${(t.data as object)?.constructor?.name ?? typeof t.data} storage`;
    throw new OnnxRuntimeError(
      'E_DTYPE',
      `${file}: ${role} "${info.name}" expects ${info.dtype} (${arrayTypeName(info.dtype)}), got ${actual}`,
      {
        file,
        tensor: info.name,
        expected: info.dtype,
        actual,
      },
    );
  }
  if (!dimsFit(info.shape, t.dims)) {
    throw new OnnxRuntimeError(
      'E_SHAPE',
      `${file}: ${role} "${info.name}" expects shape ${formatShape(info.shape)}, got ${formatShape(t.dims)}`,
      {
        file,
        tensor: info.name,
        expected: formatShape(info.shape),
        actual: formatShape(t.dims),
      },
    );
  }
  const n = elementCount(t.dims);
  if (t.data.length !== n) {
    throw new OnnxRuntimeError(
      'E_SHAPE',
      `${file}: ${role} "${info.name}" has ${t.data.length} values for dims ${formatShape(t.dims)} (expected ${n})`,
      {
        file,
        tensor: info.name,
        expected: String(n),
        actual: String(t.data.length),
      },
    );
  }
}

function toNativeTensor(t: Tensor): NativeTensor {
  return { type: t.dtype, dims: t.dims, data: t.data, location: 'cpu' };
}

function toOrtTensor(t: Tensor): ort.Tensor {
  return new ort.Tensor(t.dtype, t.data as Float32Array, t.dims);
}

/** ONNX Runtime's message for a kernel that failed: `... while running <Op> node. Name:'<node>' Status Message: <status>`. */
const kernelFailure =
  /Non-zero status code returned while running (\S+) node\. Name:'([^']*)' Status Message: (.*)$/;

/**
 * The status of a failed kernel without ONNX Runtime's source location and C++ signature
 * (`/onnxruntime_src/.../reshape_helper.h:91 onnxruntime::ReshapeHelper::ReshapeHelper(...)
 * input_shape_size == requested_shape_size was false. The input tensor cannot be reshaped ...`).
 */
function kernelStatus(status: string): string {
  const stripped = status
    .replace(/^\S+\.(?:h|hpp|cc|cpp):\d+\s+/, '')
    .replace(/^[\w:~]+\((?:[^()]|\([^()]*\))*\)(?:\s+const)?\s+/, '')
    .replace(/^.*? was false\.\s*/, '');
  return stripped === '' ? status : stripped;
}

function runError(file: string, cause: unknown): OnnxRuntimeError {
  const reason = oneLine(cause instanceof Error ? cause.message : String(cause));
  const kernel = kernelFailure.exec(reason);
  if (kernel !== null) {
    const [, op, node, status] = kernel;
    return new OnnxRuntimeError(
      'E_RUN',
      `${file}: ONNX Runtime failed in node \`${node!}\` (${op!}): ${kernelStatus(status!)}`,
      { file, node: node!, cause },
    );
  }
  return new OnnxRuntimeError('E_RUN', `${file}: ONNX Runtime run failed (${reason})`, { file, cause });
}

/** The synchronous native path. */
class NativeOnnxSession extends BaseOnnxSession {
  readonly callPath = 'sync' as const;
  readonly isSync = true;
  readonly #native: NativeSession;
  readonly #runOptions = {};
  #call: PreparedCall<NativeTensor> | undefined;

  constructor(path: string, native: NativeSession, options: OrtSessionOptions, validate: boolean) {
    super(
      path,
      infosOf(path, 'input', native.inputMetadata),
      infosOf(path, 'output', native.outputMetadata),
      options,
      validate,
    );
    this.#native = native;
  }

  run(feeds: TensorMap, outputs?: TensorMap): TensorMap {
    this.checkOpen();
    let call = this.#call;
    if (call === undefined || !call.matches(feeds, outputs)) {
      if (this.validate) this.checkFeeds(feeds, outputs);
      call = new PreparedCall(feeds, outputs, this.outputNames, toNativeTensor);
      this.#call = call;
    }
    let res: Record<string, NativeTensor>;
    try {
      res = this.#native.run(call.nativeFeeds, call.fetches, this.#runOptions);
    } catch (cause) {
      throw runError(this.path, cause);
    }
    if (call.fixedResult) return call.fixedResult;
    const result: TensorMap = {};
    for (const name of this.outputNames) {
      const pre = outputs?.[name];
      if (pre) result[name] = pre;
      else {
        const r = res[name]!;
        result[name] = { dtype: r.type, dims: r.dims, data: r.data } as Tensor;
      }
    }
    return result;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#native.dispose();
  }
}

/** The public async path (`InferenceSession.run`, one `setImmediate` hop per call). */
class PublicOnnxSession extends BaseOnnxSession {
  readonly callPath = 'async' as const;
  readonly isSync = false;
  readonly #session: ort.InferenceSession;
  #call: PreparedCall<ort.Tensor> | undefined;

  constructor(path: string, session: ort.InferenceSession, options: OrtSessionOptions, validate: boolean) {
    const meta = (list: readonly ort.InferenceSession.ValueMetadata[]): NativeValueMetadata[] =>
      list.map((m) => {
        if (!m.isTensor) return { name: m.name, isTensor: false, symbolicDimensions: [], shape: [], type: 0 };
        const code =
          ({ float32: 1, float16: 10, int32: 6, int64: 7 } as Record<string, number>)[m.type] ?? -1;
        return {
          name: m.name,
          isTensor: true,
          type: code,
          shape: m.shape.map((d) => (typeof d === 'number' ? d : -1)),
          symbolicDimensions: m.shape.map((d) => (typeof d === 'string' ? d : '')),
        };
      });
    super(
      path,
      infosOf(path, 'input', meta(session.inputMetadata)),
      infosOf(path, 'output', meta(session.outputMetadata)),
      options,
      validate,
    );
    this.#session = session;
  }

  async run(feeds: TensorMap, outputs?: TensorMap): Promise<TensorMap> {
    this.checkOpen();
    let call = this.#call;
    if (call === undefined || !call.matches(feeds, outputs)) {
      if (this.validate) this.checkFeeds(feeds, outputs);
      call = new PreparedCall(feeds, outputs, this.outputNames, toOrtTensor);
      this.#call = call;
    }
    let res: ort.InferenceSession.OnnxValueMapType;
    try {
      res = await this.#session.run(call.nativeFeeds, call.fetches);
    } catch (cause) {
      throw runError(this.path, cause);
    }
    if (call.fixedResult) return call.fixedResult;
    const result: TensorMap = {};
    for (const name of this.outputNames) {
      const pre = outputs?.[name];
      if (pre) result[name] = pre;
      else {
        const r = res[name] as ort.Tensor;
        result[name] = { dtype: r.type, dims: r.dims, data: r.data } as Tensor;
      }
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.#session.release();
  }
}
