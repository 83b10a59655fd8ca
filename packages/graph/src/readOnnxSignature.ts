/**
 * Reads only an ONNX model's signature: graph inputs and outputs (name, dtype, shape) and its
 * `metadata_props`. As in `readOnnxMetadata`, a schema subset makes protobufjs skip nodes and
 * tensor data, so a model directory can be described from its graphs without decoding weights.
 */
import protobuf from 'protobufjs';
import type { ValueInfo } from './graph';
import { decodeOnnxProto } from './decodeOnnxProto';
import { GraphError } from './graphError';
import { dtypeOfOnnxDataType, onnxDataTypeName } from './onnxDType';

const SIGNATURE_PROTO = `
syntax = "proto2";
package onnxsig;
message Entry { optional string key = 1; optional string value = 2; }
message Dim { optional int64 dim_value = 1; optional string dim_param = 2; }
message Shape { repeated Dim dim = 1; }
message TensorType { optional int32 elem_type = 1; optional Shape shape = 2; }
message Type { optional TensorType tensor_type = 1; }
message ValueInfo { optional string name = 1; optional Type type = 2; }
message Initializer { optional string name = 8; }
message Graph { repeated Initializer initializer = 5; repeated ValueInfo input = 11; repeated ValueInfo output = 12; }
message ModelSignature { optional Graph graph = 7; repeated Entry metadata_props = 14; }
`;

/** What {@link readOnnxSignature} returns. */
export interface OnnxSignature {
  /** Graph inputs that are not initializers (older exports list weights as inputs too). */
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly metadata: Readonly<Record<string, string>>;
}

interface PbValueInfo {
  name?: string;
  type?: {
    tensor_type?: {
      elem_type?: number;
      shape?: { dim?: { dim_value?: number | { toNumber(): number }; dim_param?: string }[] };
    };
  };
}

let signatureType: protobuf.Type | undefined;

/**
 * The inputs, outputs and metadata of ONNX model bytes. A dim with neither value nor name is `'?'`.
 * @param file name used in error messages
 * @throws GraphError `E_ONNX_DECODE` when the bytes are not a protobuf message, or an input or
 *   output is not a tensor of a known dtype
 */
export function readOnnxSignature(bytes: Uint8Array, file = '<onnx bytes>'): OnnxSignature {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('readOnnxSignature: `bytes` must be a Uint8Array');
  signatureType ??= protobuf
    .parse(SIGNATURE_PROTO, { keepCase: true })
    .root.lookupType('onnxsig.ModelSignature');
  const decoded = decodeOnnxProto<{
    graph?: { initializer?: { name?: string }[]; input?: PbValueInfo[]; output?: PbValueInfo[] };
    metadata_props?: { key?: string; value?: string }[];
  }>(signatureType, bytes, file);
  const weights = new Set((decoded.graph?.initializer ?? []).map((t) => t.name ?? ''));
  const info = (v: PbValueInfo, where: string): ValueInfo => {
    const name = v.name ?? '';
    const t = v.type?.tensor_type;
    const dtype = t?.elem_type === undefined ? undefined : dtypeOfOnnxDataType(t.elem_type);
    if (dtype === undefined)
      throw new GraphError(
        `${file}: graph ${where} \`${name}\` is not a tensor of a supported dtype (${t?.elem_type === undefined ? 'no tensor type' : onnxDataTypeName(t.elem_type)})`,
        'E_ONNX_DECODE',
        { file },
      );
    const shape = (t!.shape?.dim ?? []).map((d) => {
      // Decoded messages carry proto2 defaults on their prototype: only own fields were set.
      if (Object.hasOwn(d, 'dim_value') && d.dim_value !== undefined)
        return typeof d.dim_value === 'number' ? d.dim_value : d.dim_value.toNumber();
      return Object.hasOwn(d, 'dim_param') && d.dim_param !== '' ? d.dim_param! : '?';
    });
    return { name, dtype, shape };
  };
  return {
    inputs: (decoded.graph?.input ?? [])
      .filter((v) => !weights.has(v.name ?? ''))
      .map((v) => info(v, 'input')),
    outputs: (decoded.graph?.output ?? []).map((v) => info(v, 'output')),
    metadata: Object.fromEntries((decoded.metadata_props ?? []).map((e) => [e.key ?? '', e.value ?? ''])),
  };
}
