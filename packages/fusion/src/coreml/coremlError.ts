/**
 * The error every CoreML format reader, writer and converter throws for bad input: one line that
 * names the file and the position (byte offset, line:col, op) and says what was expected.
 */

/** Stable codes of {@link CoreMLError}. */
export type CoreMLErrorCode =
  | 'E_BLOB' // weight.bin: header, sentinel, dtype, size or offset wrong
  | 'E_MIL_SYNTAX' // model.mil does not parse
  | 'E_MIL_TYPE' // a value does not match its declared type
  | 'E_MANIFEST' // Manifest.json missing or malformed
  | 'E_PROTO' // model.mlmodel / coremldata.bin not decodable or not an ML Program
  | 'E_METADATA' // metadata.json malformed
  | 'E_UNSUPPORTED_OP' // MIL -> ONNX: an op with no conversion
  | 'E_CONVERT' // MIL -> ONNX: an op's operands are not what the conversion handles
  | 'E_FORMAT'; // not a recognised model path

/** A CoreML artefact is malformed or holds something this toolkit does not handle. */
export class CoreMLError extends Error {
  override readonly name = 'CoreMLError';
  readonly code: CoreMLErrorCode;
  /** The file the problem is in. */
  readonly file: string;
  /** Where in the file: `byte 1234`, `3:17`, `op lstm_0`, ... */
  readonly position: string | undefined;

  constructor(code: CoreMLErrorCode, file: string, position: string | undefined, message: string) {
    super(`${file}${position === undefined ? '' : ` (${position})`}: ${message}`);
    this.code = code;
    this.file = file;
    this.position = position;
  }
}
