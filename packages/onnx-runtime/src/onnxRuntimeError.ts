/**
 * The one error class of `@eou/onnx-runtime`. Messages are one line and name the model file and
 * the tensor, with expected vs actual where there is one.
 */

/** Stable codes of {@link OnnxRuntimeError}. */
export type OnnxRuntimeErrorCode =
  | 'E_LOAD' // the model file could not be read or ONNX Runtime refused it
  | 'E_OPTIONS' // session options not usable here (e.g. CoreML EP off macOS)
  | 'E_DTYPE' // a tensor's element type differs from the declared one, or is outside the contract
  | 'E_SHAPE' // a tensor's dims differ from the declared shape, or data length from dims
  | 'E_MISSING' // a declared input was not fed, or an expected input/output is absent
  | 'E_UNKNOWN' // a fed or expected name the model does not declare
  | 'E_RUN' // ONNX Runtime failed while running
  | 'E_CLOSED'; // the session was closed

/** Context carried by an {@link OnnxRuntimeError}. */
export interface OnnxRuntimeErrorContext {
  readonly file?: string;
  readonly tensor?: string;
  /** The graph node ONNX Runtime failed in (`E_RUN`). */
  readonly node?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly cause?: unknown;
}

/** Everything that goes wrong in a session: load, contract mismatch, run. */
export class OnnxRuntimeError extends Error {
  override readonly name = 'OnnxRuntimeError';
  readonly code: OnnxRuntimeErrorCode;
  /** The model file. */
  readonly file: string | undefined;
  /** The input or output involved. */
  readonly tensor: string | undefined;
  /** The graph node ONNX Runtime failed in (`E_RUN`, when its message names one). */
  readonly node: string | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;

  constructor(code: OnnxRuntimeErrorCode, message: string, context: OnnxRuntimeErrorContext = {}) {
    super(oneLine(message), context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.file = context.file;
    this.tensor = context.tensor;
    this.node = context.node;
    this.expected = context.expected;
    this.actual = context.actual;
  }
}

/** Collapses ONNX Runtime's multi-line messages into one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
