/**
 * CoreML format errors are the package's {@link FusionError}: one line that names the file and
 * the position (byte offset, line:col, op) and says what was expected. `field` holds the position.
 */
import { FusionError } from '../fusionError';

/** Stable codes of CoreML format errors. */
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

/** Makes the FusionError for a malformed CoreML artefact at `file` (`position` optional). */
export function coremlError(
  code: CoreMLErrorCode,
  file: string,
  position: string | undefined,
  message: string,
): FusionError {
  const where =
    position === undefined
      ? file
      : /^\d+:\d+$/.test(position)
        ? `${file}:${position}`
        : `${file} (${position})`;
  return new FusionError(
    `${where}: ${message}`,
    code,
    position === undefined ? { file } : { file, field: position },
  );
}
