/** One way to decode ONNX protobuf bytes, shared by the full reader and the cheap partial ones. */
import type protobuf from 'protobufjs';
import { GraphError } from './graphError';

/**
 * Decodes `bytes` as `type`; a protobuf failure becomes one `E_ONNX_DECODE` line naming `file`.
 * @param hint appended to the message (the full reader adds what probably went wrong)
 */
export function decodeOnnxProto<T>(type: protobuf.Type, bytes: Uint8Array, file: string, hint = ''): T {
  try {
    return type.decode(bytes) as unknown as T;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new GraphError(
      `${file}: not a valid ONNX model (protobuf decode failed: ${reason})${hint}`,
      'E_ONNX_DECODE',
      {
        file,
        cause,
      },
    );
  }
}
