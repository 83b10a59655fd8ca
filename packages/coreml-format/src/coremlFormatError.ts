/**
 * The one error class of `@eou/coreml-format`: one line that names the file and the position
 * (byte offset, line:col, op) and says what was expected. It extends `@eou/graph`'s
 * {@link GraphError}, so one `instanceof GraphError` also catches the ONNX errors a conversion
 * can raise.
 */
import { GraphError } from '@eou/graph';

/** Stable codes of CoreML format errors. */
export type CoreMLFormatErrorCode =
  | 'E_BLOB' // weight.bin: header, sentinel, dtype, size or offset wrong
  | 'E_MIL_SYNTAX' // model.mil does not parse
  | 'E_MIL_TYPE' // a value does not match its declared type
  | 'E_MANIFEST' // Manifest.json missing or malformed
  | 'E_PROTO' // model.mlmodel / coremldata.bin not decodable or not an ML Program
  | 'E_METADATA' // metadata.json malformed
  | 'E_UNSUPPORTED_OP' // MIL -> ONNX: an op with no conversion
  | 'E_CONVERT' // MIL -> ONNX: an op's operands are not what the conversion handles
  | 'E_FORMAT'; // not a recognised model path

/** A malformed or unsupported CoreML artefact. `field` holds the position, when there is one. */
export class CoreMLFormatError extends GraphError {
  override readonly name: string = 'CoreMLFormatError';
  declare readonly code: CoreMLFormatErrorCode;
  constructor(
    message: string,
    code: CoreMLFormatErrorCode,
    context: { file?: string; field?: string; cause?: unknown } = {},
  ) {
    super(message, code, context);
  }
}

/** One printable line: newlines collapse to a space, other control characters are escaped. */
function oneLine(s: string): string {
  return s.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').replace(/./gu, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  });
}

/** Makes the error for a malformed CoreML artefact at `file` (`position` optional). */
export function coremlError(
  code: CoreMLFormatErrorCode,
  file: string,
  position: string | undefined,
  message: string,
): CoreMLFormatError {
  const pos = position === undefined ? undefined : oneLine(position);
  const where = pos === undefined ? file : /^\d+:\d+$/.test(pos) ? `${file}:${pos}` : `${file} (${pos})`;
  // JSON.parse and decoded protobuf strings can carry newlines and control characters
  return new CoreMLFormatError(
    `${where}: ${oneLine(message)}`,
    code,
    pos === undefined ? { file } : { file, field: pos },
  );
}
