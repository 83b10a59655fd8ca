/**
 * The package's one error class, for runtime failures: a model that breaks its contract, a bad
 * model directory, vocabulary or `.npy` file. Caller mistakes (wrong argument types or sizes)
 * are `TypeError`/`RangeError` naming the argument instead.
 */

/** Error codes, stable for scripts that branch on them. */
export type RnntDecodeErrorCode =
  | 'E_TOKEN_RANGE'
  | 'E_MODEL_CONFIG'
  | 'E_VOCAB'
  | 'E_NPY'
  | 'E_CONTRACT'
  | 'E_MISSING_FILE'
  | 'E_BUSY'
  | 'E_NOT_SYNC'
  | 'E_VARIANT';

/** Where an error was found; every field optional. */
export interface RnntDecodeErrorContext {
  /** File the problem is in (model.json, decoder.onnx, frames.npy, ...). */
  readonly file?: string;
  /** Field or tensor name. */
  readonly field?: string;
}

/** A runtime failure of the decode loop or of reading a model directory. */
export class RnntDecodeError extends Error {
  override readonly name = 'RnntDecodeError';
  readonly code: RnntDecodeErrorCode;
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(code: RnntDecodeErrorCode, message: string, context: RnntDecodeErrorContext = {}) {
    super(message);
    this.code = code;
    this.file = context.file;
    this.field = context.field;
  }
}

/**
 * Called with a non-undefined return value of a synchronous model's method: throws `E_NOT_SYNC`
 * when it is a promise (the model is asynchronous after all), ignores anything else.
 */
export function notSync(method: string, returned: unknown): void {
  if (typeof (returned as { then?: unknown } | null)?.then !== 'function') return;
  throw new RnntDecodeError(
    'E_NOT_SYNC',
    `model.isSync is true but model.${method}() returned a promise; set isSync: false`,
    { field: method },
  );
}
