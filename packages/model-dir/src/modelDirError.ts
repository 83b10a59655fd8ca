/**
 * The package's one error class: a directory that is no model directory, or one whose layout is
 * recognised but that lacks a file or a field needed to describe it. Messages are one line, name
 * the file (and field) and say what to run or add.
 */

/** Error codes, stable for scripts that branch on them. */
export type ModelDirErrorCode =
  /** Not a directory, or no layout recognised (no model.json, sherpa-onnx or FluidAudio files). */
  | 'E_NOT_A_MODEL_DIR'
  /** A layout is recognised but a file it needs is absent. */
  | 'E_MISSING_FILE'
  /** A graph or vocabulary lacks a field (metadata key, tensor) the description needs. */
  | 'E_MISSING_FIELD'
  /** Several files could play one role (two encoders): the caller must name one. */
  | 'E_AMBIGUOUS'
  /** model.json and a graph disagree (a declared vocabSize the joint does not score). */
  | 'E_MISMATCH'
  /** Writing the model.json failed. */
  | 'E_WRITE';

/** Where an error was found. */
export interface ModelDirErrorContext {
  readonly file?: string;
  readonly field?: string;
  readonly cause?: unknown;
}

/** A model directory that cannot be read or described. */
export class ModelDirError extends Error {
  override readonly name = 'ModelDirError';
  readonly code: ModelDirErrorCode;
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(code: ModelDirErrorCode, message: string, context: ModelDirErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.file = context.file;
    this.field = context.field;
  }
}
