/**
 * ONNX protobuf bytes -> graph IR. Tensor payloads are copied out of the protobuf buffer: a
 * `raw_data` field sits at an arbitrary byte offset, so a typed view over it could be unaligned
 * (and would pin the whole file in memory).
 */
import { readFileSync } from 'node:fs';
import type Long from 'long';
import { decodeOnnxProto } from './decodeOnnxProto';
import { GraphError } from './graphError';
import type {
  AttributeValue,
  DType,
  DTypeArrayMap,
  Graph,
  GraphNode,
  Model,
  OpsetImport,
  TensorValue,
  ValueInfo,
} from './graph';
import { elementCount, typedArrayOf } from './graph';
import { dtypeByteSize, dtypeOfOnnxDataType, onnxDataTypeName } from './onnxDType';
import { OnnxAttributeType, onnxRoot } from './onnxSchema';

/** Options of {@link readOnnx}. */
export interface ReadOnnxOptions {
  /** File name used in error messages. */
  readonly path?: string;
}

type Int64 = number | Long;

interface PbEntry {
  key?: string;
  value?: string;
}
interface PbTensor {
  dims?: Int64[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  string_data?: Uint8Array[];
  int64_data?: Int64[];
  name?: string;
  raw_data?: Uint8Array;
  external_data?: PbEntry[];
  data_location?: number;
  double_data?: number[];
  uint64_data?: Int64[];
  segment?: unknown;
}
interface PbDim {
  dim_value?: Int64;
  dim_param?: string;
  value?: string;
}
interface PbValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: PbDim[] } }; value?: string };
}
interface PbAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: PbTensor;
  g?: PbGraph;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  tensors?: PbTensor[];
  graphs?: PbGraph[];
  ref_attr_name?: string;
}
interface PbNode {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: PbAttribute[];
}
interface PbGraph {
  node?: PbNode[];
  name?: string;
  initializer?: PbTensor[];
  input?: PbValueInfo[];
  output?: PbValueInfo[];
  value_info?: PbValueInfo[];
}
interface PbModel {
  ir_version?: Int64;
  opset_import?: { domain?: string; version?: Int64 }[];
  producer_name?: string;
  producer_version?: string;
  doc_string?: string;
  graph?: PbGraph;
  metadata_props?: PbEntry[];
}

const utf8 = new TextDecoder('utf-8');

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function toNumber(v: Int64 | undefined): number {
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

function toBigInt(v: Int64): bigint {
  return typeof v === 'number' ? BigInt(v) : BigInt(v.toString());
}

/** Decodes ONNX model bytes into the IR. Throws {@link GraphError} with a one-line reason. */
export function readOnnx(bytes: Uint8Array, options: ReadOnnxOptions = {}): Model {
  const file = options.path ?? '<onnx bytes>';
  if (!(bytes instanceof Uint8Array)) throw new TypeError('readOnnx: `bytes` must be a Uint8Array');
  if (bytes.length === 0)
    throw new GraphError(`${file}: empty file, expected an ONNX model`, 'E_ONNX_DECODE', { file });
  const pb = decodeOnnxProto<PbModel>(
    onnxRoot().lookupType('onnx.ModelProto'),
    bytes,
    file,
    '; truncated or not ONNX?',
  );
  if (!pb.graph || !has(pb, 'graph')) {
    throw new GraphError(
      `${file}: ONNX model has no graph (field 7); truncated or not ONNX?`,
      'E_ONNX_DECODE',
      { file, field: 'graph' },
    );
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays a key.
  const metadata: Record<string, string> = Object.fromEntries(
    (pb.metadata_props ?? []).map((e) => [e.key ?? '', e.value ?? '']),
  );
  const opsetImports: OpsetImport[] = (pb.opset_import ?? []).map((o) => ({
    domain: o.domain ?? '',
    version: toNumber(o.version),
  }));
  const model: Model = {
    graph: readGraph(pb.graph, file),
    opsetImports,
    irVersion: toNumber(pb.ir_version),
    producerName: pb.producer_name ?? '',
    producerVersion: pb.producer_version ?? '',
    metadata,
    ...(has(pb, 'doc_string') ? { docString: pb.doc_string ?? '' } : {}),
  };
  return model;
}

/** Reads and decodes an `.onnx` file. */
export function readOnnxFile(path: string): Model {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new GraphError(`${path}: cannot read ONNX model (${reason})`, 'E_ONNX_READ', {
      file: path,
      cause,
    });
  }
  return readOnnx(bytes, { path });
}

function readGraph(g: PbGraph, file: string): Graph {
  const initializers = new Map<string, TensorValue>();
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    initializers.set(name, readTensor(t, file, `initializer "${name}"`));
  }
  const valueInfo: ValueInfo[] = [];
  for (const v of g.value_info ?? []) {
    if (v.type?.tensor_type) valueInfo.push(readValueInfo(v, file, 'value_info'));
  }
  return {
    name: g.name ?? '',
    inputs: (g.input ?? []).map((v) => readValueInfo(v, file, 'input')),
    outputs: (g.output ?? []).map((v) => readValueInfo(v, file, 'output')),
    initializers,
    nodes: (g.node ?? []).map((n, i) => readNode(n, i, file)),
    ...(valueInfo.length > 0 ? { valueInfo } : {}),
  };
}

function readValueInfo(v: PbValueInfo, file: string, role: string): ValueInfo {
  const name = v.name ?? '';
  const tt = v.type?.tensor_type;
  if (!tt) {
    throw new GraphError(
      `${file}: graph ${role} "${name}" is not a tensor (only tensor values are supported)`,
      'E_ONNX_TYPE',
      {
        file,
        field: name,
      },
    );
  }
  const code = tt.elem_type ?? 0;
  const dtype = dtypeOfOnnxDataType(code);
  if (!dtype) {
    throw new GraphError(
      `${file}: graph ${role} "${name}" has unsupported element type ${onnxDataTypeName(code)}`,
      'E_DTYPE',
      {
        file,
        field: name,
      },
    );
  }
  const shape = (tt.shape?.dim ?? []).map((d): number | string => {
    if (d.value === 'dim_value' || (d.dim_value !== undefined && has(d, 'dim_value')))
      return toNumber(d.dim_value);
    if (d.value === 'dim_param' || (d.dim_param !== undefined && has(d, 'dim_param')))
      return d.dim_param ?? '';
    return -1;
  });
  return { name, dtype, shape };
}

function readNode(n: PbNode, index: number, file: string): GraphNode {
  const name = n.name ?? '';
  const attributes: Record<string, AttributeValue> = {};
  for (const a of n.attribute ?? []) {
    attributes[a.name ?? ''] = readAttribute(
      a,
      file,
      `node "${name || `#${index}`}" attribute "${a.name ?? ''}"`,
    );
  }
  return {
    name,
    opType: n.op_type ?? '',
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attributes,
  };
}

function attributeTypeOf(a: PbAttribute): number {
  if (a.type !== undefined && a.type !== OnnxAttributeType.UNDEFINED) return a.type;
  // IR < 2 models omit `type`: infer it from the field that is set.
  if (has(a, 'f')) return OnnxAttributeType.FLOAT;
  if (has(a, 'i')) return OnnxAttributeType.INT;
  if (has(a, 's')) return OnnxAttributeType.STRING;
  if (has(a, 't')) return OnnxAttributeType.TENSOR;
  if (has(a, 'g')) return OnnxAttributeType.GRAPH;
  if ((a.floats ?? []).length > 0) return OnnxAttributeType.FLOATS;
  if ((a.ints ?? []).length > 0) return OnnxAttributeType.INTS;
  if ((a.strings ?? []).length > 0) return OnnxAttributeType.STRINGS;
  return OnnxAttributeType.UNDEFINED;
}

function readAttribute(a: PbAttribute, file: string, where: string): AttributeValue {
  if (a.ref_attr_name) {
    throw new GraphError(
      `${file}: ${where} refers to a function attribute (not supported)`,
      'E_ONNX_ATTRIBUTE',
      { file, field: where },
    );
  }
  const type = attributeTypeOf(a);
  switch (type) {
    case OnnxAttributeType.FLOAT:
      return { type: 'float', value: a.f ?? 0 };
    case OnnxAttributeType.INT:
      return { type: 'int', value: toNumber(a.i) };
    case OnnxAttributeType.STRING:
      return { type: 'string', value: utf8.decode(a.s ?? new Uint8Array()) };
    case OnnxAttributeType.TENSOR:
      if (!a.t) break;
      return { type: 'tensor', value: readTensor(a.t, file, where) };
    case OnnxAttributeType.GRAPH:
      if (!a.g) break;
      return { type: 'graph', value: readGraph(a.g, file) };
    case OnnxAttributeType.FLOATS:
      return { type: 'floats', value: [...(a.floats ?? [])] };
    case OnnxAttributeType.INTS:
      return { type: 'ints', value: (a.ints ?? []).map(toNumber) };
    case OnnxAttributeType.STRINGS:
      return { type: 'strings', value: (a.strings ?? []).map((s) => utf8.decode(s)) };
    default:
      break;
  }
  throw new GraphError(
    `${file}: ${where} has unsupported or missing attribute type ${type}`,
    'E_ONNX_ATTRIBUTE',
    { file, field: where },
  );
}

function readTensor(t: PbTensor, file: string, where: string): TensorValue {
  if (t.data_location === 1 || (t.external_data ?? []).length > 0) {
    throw new GraphError(
      `${file}: ${where} stores its data in an external file; external data is not supported (save the model with all tensors inside it)`,
      'E_EXTERNAL_DATA',
      { file, field: where },
    );
  }
  if (t.segment !== undefined && has(t, 'segment')) {
    throw new GraphError(`${file}: ${where} is a segmented tensor (not supported)`, 'E_ONNX_TENSOR', {
      file,
      field: where,
    });
  }
  const code = t.data_type ?? 0;
  const dtype = dtypeOfOnnxDataType(code);
  if (!dtype) {
    throw new GraphError(`${file}: ${where} has unsupported data type ${onnxDataTypeName(code)}`, 'E_DTYPE', {
      file,
      field: where,
    });
  }
  const dims = (t.dims ?? []).map(toNumber);
  const count = elementCount(dims);
  const data = readTensorData(t, dtype, count, file, where);
  return { dtype, dims, data };
}

function countMismatch(
  file: string,
  where: string,
  expected: number,
  actual: number,
  what: string,
): GraphError {
  return new GraphError(
    `${file}: ${where} has ${actual} ${what}, expected ${expected} from its dims`,
    'E_ONNX_TENSOR',
    {
      file,
      field: where,
    },
  );
}

function readTensorData(
  t: PbTensor,
  dtype: DType,
  count: number,
  file: string,
  where: string,
): DTypeArrayMap[DType] {
  if (dtype === 'string') {
    const strings = (t.string_data ?? []).map((s) => utf8.decode(s));
    if (strings.length !== count) throw countMismatch(file, where, count, strings.length, 'strings');
    return strings;
  }
  const size = dtypeByteSize[dtype];
  if (t.raw_data !== undefined && has(t, 'raw_data')) {
    const raw = t.raw_data;
    if (raw.byteLength !== count * size)
      throw countMismatch(file, where, count * size, raw.byteLength, 'bytes of raw_data');
    // Copy into a fresh (aligned) buffer; ONNX raw_data is little-endian, as is every host we run on.
    const copy = new Uint8Array(raw);
    return typedArrayOf(dtype, copy.buffer);
  }
  const typed = typedFieldValues(t, dtype);
  if (typed.length !== count) throw countMismatch(file, where, count, typed.length, 'values');
  switch (dtype) {
    case 'int64':
      return BigInt64Array.from(typed as Int64[], toBigInt);
    case 'float32':
      return Float32Array.from(typed as number[]);
    case 'float64':
      return Float64Array.from(typed as number[]);
    case 'float16':
    case 'uint16':
      return Uint16Array.from(typed as number[]);
    case 'int8':
      return Int8Array.from(typed as number[]);
    case 'uint8':
    case 'bool':
      return Uint8Array.from(typed as number[]);
    case 'int16':
      return Int16Array.from(typed as number[]);
    case 'int32':
      return Int32Array.from(typed as number[]);
    case 'uint32':
      return Uint32Array.from(typed as Int64[], toNumber);
  }
}

function typedFieldValues(t: PbTensor, dtype: Exclude<DType, 'string'>): readonly (number | Int64)[] {
  switch (dtype) {
    case 'float32':
      return t.float_data ?? [];
    case 'float64':
      return t.double_data ?? [];
    case 'int64':
      return t.int64_data ?? [];
    case 'uint32':
      return t.uint64_data ?? [];
    default:
      // int8/uint8/int16/uint16/int32/bool and float16 (as bits) all live in int32_data.
      return t.int32_data ?? [];
  }
}
