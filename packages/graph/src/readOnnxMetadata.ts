/**
 * Reads only an ONNX model's `metadata_props`: a two-message schema makes protobufjs skip the
 * graph (field 7) without decoding its tensors, so checking a large model's provenance is cheap.
 */
import protobuf from 'protobufjs';
import { decodeOnnxProto } from './decodeOnnxProto';

const METADATA_PROTO = `
syntax = "proto2";
package onnxmeta;
message Entry { optional string key = 1; optional string value = 2; }
message ModelMetadata { repeated Entry metadata_props = 14; }
`;

let metadataType: protobuf.Type | undefined;

/**
 * The `metadata_props` of ONNX model bytes, key -> value (a later duplicate key wins).
 * @param file name used in error messages
 * @throws GraphError `E_ONNX_DECODE` when the bytes are not a protobuf message
 */
export function readOnnxMetadata(bytes: Uint8Array, file = '<onnx bytes>'): Record<string, string> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('readOnnxMetadata: `bytes` must be a Uint8Array');
  metadataType ??= protobuf
    .parse(METADATA_PROTO, { keepCase: true })
    .root.lookupType('onnxmeta.ModelMetadata');
  const decoded = decodeOnnxProto<{ metadata_props?: { key?: string; value?: string }[] }>(
    metadataType,
    bytes,
    file,
  );
  // As in readOnnx: fromEntries defines own properties, so a key such as `__proto__` stays a key
  // (plain assignment would set the prototype instead).
  return Object.fromEntries((decoded.metadata_props ?? []).map((e) => [e.key ?? '', e.value ?? '']));
}
