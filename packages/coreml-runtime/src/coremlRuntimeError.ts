/** The one error class of `@eou/coreml-runtime`: runtime failures that are not caller mistakes. */

/** Stable codes scripts can branch on. */
export type CoreMLRuntimeErrorCode =
  /** CoreML exists only on macOS; the portable layer works everywhere. */
  | 'E_UNSUPPORTED_PLATFORM'
  /** The compiled addon (`build/Release/*.node` or a prebuild) was not found or did not load. */
  | 'E_NATIVE_MISSING'
  /** The addon loaded but lacks functions this version needs (an old build). */
  | 'E_NATIVE_STALE'
  /** CoreML refused to compile or load the model. */
  | 'E_LOAD'
  /** A prediction failed inside CoreML. */
  | 'E_RUN'
  /** `run` was called after `close`. */
  | 'E_SESSION_CLOSED';

/** Context carried by a {@link CoreMLRuntimeError}. */
export interface CoreMLRuntimeErrorContext {
  /** The model (or package directory) the error is about. */
  path?: string;
  /** `process.platform` when the error is platform-related. */
  platform?: string;
  cause?: unknown;
}

/** Error with a string `code` and context fields; `message` is one line naming the file. */
export class CoreMLRuntimeError extends Error {
  override readonly name = 'CoreMLRuntimeError';
  readonly code: CoreMLRuntimeErrorCode;
  readonly path: string | undefined;
  readonly platform: string | undefined;

  constructor(code: CoreMLRuntimeErrorCode, message: string, context: CoreMLRuntimeErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.path = context.path;
    this.platform = context.platform;
  }
}
