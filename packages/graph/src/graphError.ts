/**
 * The one error class of `@eou/graph`, and the base class of the errors of the packages built on
 * it (`CoreMLFormatError` of `@eou/coreml-format`, `FusionError` of `@eou/fusion`): a caller that
 * reads, converts or fuses models catches `instanceof GraphError` once for any of them.
 */

/** Stable codes of `@eou/graph` errors (subclasses add their own). */
export type GraphErrorCode =
  | 'E_ONNX_READ' // the file cannot be read
  | 'E_ONNX_DECODE' // the bytes are not an ONNX ModelProto
  | 'E_ONNX_TYPE' // a value's type is not a tensor type the IR holds
  | 'E_ONNX_TENSOR' // a tensor's payload does not match its dims or dtype
  | 'E_ONNX_ATTRIBUTE' // an attribute of a kind the IR does not hold
  | 'E_EXTERNAL_DATA' // weights stored outside the file
  | 'E_DTYPE'; // an element type the IR does not hold (bfloat16, complex, ...) or a float64 weight

/**
 * A malformed or unsupported model. `code` is stable for scripts and tests; `file` and `field` say
 * where the problem is (a model file, a tensor, a protobuf field) when known.
 */
export class GraphError extends Error {
  override readonly name: string = 'GraphError';
  /** Stable code, e.g. `E_ONNX_DECODE`, `E_EXTERNAL_DATA`, `E_DTYPE`. */
  readonly code: string;
  /** The file involved, when there is one. */
  readonly file: string | undefined;
  /** The tensor, node or field involved, when there is one. */
  readonly field: string | undefined;
  constructor(
    message: string,
    code: GraphErrorCode | (string & {}),
    context: { file?: string; field?: string; cause?: unknown } = {},
  ) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.file = context.file;
    this.field = context.field;
  }
}
