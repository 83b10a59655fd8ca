/**
 * The one error class of `@eou/fusion`. `code` is stable for scripts and tests; `file` and `field`
 * say where the problem is (a model file, a tensor, a protobuf field) when known.
 */
export class FusionError extends Error {
  override readonly name = 'FusionError';
  /** Stable code, e.g. `E_ONNX_DECODE`, `E_EXTERNAL_DATA`, `E_DTYPE`. */
  readonly code: string;
  /** The file involved, when there is one. */
  readonly file: string | undefined;
  /** The tensor, node or field involved, when there is one. */
  readonly field: string | undefined;
  constructor(
    message: string,
    code: string,
    context: { file?: string; field?: string; cause?: unknown } = {},
  ) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.file = context.file;
    this.field = context.field;
  }
}
