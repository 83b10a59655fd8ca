/**
 * The package's one error class, for runtime failures: unreadable audio, a sample rate the model
 * does not take, non-finite samples, a `model.json` that describes features or an encoder badly,
 * an encoder whose state inputs do not pair with its outputs. Caller mistakes (wrong argument
 * types or sizes) are `TypeError`/`RangeError` naming the argument instead.
 */

/** Error codes, stable for scripts that branch on them. */
export type FrontendErrorCode =
  /** The file is missing or cannot be read. */
  | 'E_MISSING_FILE'
  /** A valid file in a format or encoding this package does not decode (e.g. ADPCM WAV). */
  | 'E_AUDIO_FORMAT'
  /** A corrupt or truncated audio file. */
  | 'E_AUDIO_CORRUPT'
  /** NaN or ±Infinity among the samples. */
  | 'E_NON_FINITE'
  /** The audio's sample rate is not the model's and resampling was not allowed. */
  | 'E_SAMPLE_RATE'
  /** `model.json` (its `encoder`, `features` or `streaming` block) is missing a field or has a bad one. */
  | 'E_MODEL_CONFIG'
  /** An encoder session whose inputs/outputs break the declared streaming contract (state pairing, shapes, dtypes). */
  | 'E_ENCODER_CONTRACT'
  /** A second `process()` before the previous one settled. */
  | 'E_BUSY';

/** Where an error was found; every field optional. */
export interface FrontendErrorContext {
  /** File the problem is in (an audio file, model.json, encoder.onnx, ...). */
  readonly file?: string;
  /** Field or tensor name. */
  readonly field?: string;
  readonly cause?: unknown;
}

/** A runtime failure of the front end. Messages are one line and name the file. */
export class FrontendError extends Error {
  override readonly name = 'FrontendError';
  readonly code: FrontendErrorCode;
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(code: FrontendErrorCode, message: string, context: FrontendErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.file = context.file;
    this.field = context.field;
  }
}

/** `String(value)` for messages, with strings quoted and long values cut. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value.constructor?.name && value.constructor.name !== 'Object'
    ? `a ${value.constructor.name}`
    : 'an object';
}
