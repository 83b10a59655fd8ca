/**
 * CoreML sessions implementing the `@eou/rnnt-decode` session contract. Loading and running are
 * synchronous native calls (`isSync` is true); on any OS but macOS opening fails with
 * `E_UNSUPPORTED_PLATFORM` after the arguments are checked, so option typos surface everywhere.
 */
import type { Session, TensorInfo, TensorMap } from '@eou/rnnt-decode';
import { type Binding, type ComputeUnits, loadBinding, type NativeCoreMLSession } from './binding';
import { CoreMLRuntimeError } from './coremlRuntimeError';

/** Options for {@link openCoreMLSession}; unknown keys are refused. */
export interface CoreMLSessionOptions {
  /** Where CoreML may run the model. Default `'all'`. `'cpuAndNeuralEngine'` needs macOS 13. */
  computeUnits?: ComputeUnits;
  /** MLModelConfiguration.allowLowPrecisionAccumulationOnGPU. Default false. */
  allowLowPrecisionAccumulationOnGPU?: boolean;
  /** Hand `run(feeds, outputs)` tensors to CoreML as output backings (else copy). Default true. */
  useOutputBackings?: boolean;
  /** Function of a multi-function model (macOS 15). */
  functionName?: string;
}

const unsupportedPlatformMessage =
  'CoreML runs only on macOS; use @eou/onnx-runtime (convert with `eou convert MODEL --to onnx`)';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// The constructor stays private; this module's functions reach it through this hook.
let construct: (path: string, native: NativeCoreMLSession) => CoreMLSession;

/** A loaded CoreML model. Create with {@link openCoreMLSession}. */
export class CoreMLSession implements Session {
  readonly path: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly isSync = true;
  #native: NativeCoreMLSession | undefined;

  private constructor(path: string, native: NativeCoreMLSession) {
    this.path = path;
    this.#native = native;
    const copy = (info: TensorInfo): TensorInfo =>
      Object.freeze({ ...info, shape: Object.freeze([...info.shape]) });
    this.inputs = Object.freeze(native.inputs.map(copy));
    this.outputs = Object.freeze(native.outputs.map(copy));
  }

  static {
    construct = (path, native) => new CoreMLSession(path, native);
  }

  /**
   * [sync] Runs one prediction. Feeds must name every declared input with its declared dtype;
   * dims must equal the fixed declared dims. With `outputs`, exactly those tensors are filled
   * in place and returned; without, every declared output comes back in new typed arrays.
   * @throws TypeError/RangeError naming `feeds.<name>`/`outputs.<name>` for caller mistakes;
   * CoreMLRuntimeError `E_RUN` when CoreML fails, `E_SESSION_CLOSED` after {@link close}.
   */
  run(feeds: TensorMap, outputs?: TensorMap): TensorMap {
    const native = this.#native;
    if (native === undefined) {
      throw new CoreMLRuntimeError(
        'E_SESSION_CLOSED',
        `${this.path}: run() after close(); open a new session with openCoreMLSession`,
        { path: this.path },
      );
    }
    try {
      return native.run(feeds, outputs);
    } catch (cause) {
      if (cause instanceof TypeError || cause instanceof RangeError) throw cause;
      throw new CoreMLRuntimeError('E_RUN', `${this.path}: ${(cause as Error).message}`, {
        path: this.path,
        cause,
      });
    }
  }

  /** Releases the model (and a temporary compiled `.mlmodelc`). Idempotent. */
  close(): void {
    this.#native?.close();
    this.#native = undefined;
  }
}

/**
 * Opens a CoreML model: a compiled `.mlmodelc`, or an `.mlpackage`/`.mlmodel` that is compiled
 * to a temporary `.mlmodelc` first (removed on close). The load itself is synchronous.
 * @param path Model path.
 * @param options See {@link CoreMLSessionOptions}.
 * @returns A promise of the session (rejections below).
 * @throws TypeError/RangeError naming `path` or `options.<key>`; CoreMLRuntimeError
 * `E_UNSUPPORTED_PLATFORM` off macOS, `E_LOAD` when CoreML refuses the model,
 * `E_NATIVE_MISSING` when the addon is not built.
 */
export function openCoreMLSession(path: string, options: CoreMLSessionOptions = {}): Promise<CoreMLSession> {
  return new Promise((resolve) =>
    resolve(openCoreMLSessionWith(() => loadBinding(), process.platform, path, options)),
  );
}

/**
 * The platform-independent body of {@link openCoreMLSession} with the binding and platform passed
 * in; not part of the public API (tests drive it with a scripted native session).
 */
export function openCoreMLSessionWith(
  getBinding: () => Binding,
  platform: string,
  path: string,
  options: CoreMLSessionOptions = {},
): CoreMLSession {
  if (typeof path !== 'string')
    throw new TypeError(`openCoreMLSession: path must be a string, got ${describe(path)}`);
  if (path === '') throw new RangeError('openCoreMLSession: path must not be empty');
  const unsupported = () =>
    new CoreMLRuntimeError('E_UNSUPPORTED_PLATFORM', unsupportedPlatformMessage, { path, platform });
  let binding: Binding;
  try {
    binding = getBinding();
  } catch (cause) {
    // Off macOS the platform is the real answer, even when the addon is missing too.
    if (platform !== 'darwin') throw unsupported();
    throw cause;
  }
  binding.parseSessionOptions(options);
  const Native = binding.CoreMLSession;
  if (platform !== 'darwin' || Native === undefined) throw unsupported();
  try {
    return construct(path, new Native(path, options));
  } catch (cause) {
    if (cause instanceof TypeError || cause instanceof RangeError) throw cause;
    throw new CoreMLRuntimeError('E_LOAD', `${path}: ${(cause as Error).message}`, { path, cause });
  }
}
