/**
 * Graph IR -> ONNX protobuf bytes. Numeric tensors are always written as little-endian `raw_data`
 * and every map is written in insertion order, so the same IR always gives the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GraphError } from './graphError';
import type { AttributeValue, Graph, GraphNode, Model, TensorValue, ValueInfo } from './graph';
import { elementCount } from './graph';
import { onnxDataTypeOf } from './onnxDType';
import { OnnxAttributeType, onnxRoot } from './onnxSchema';

const utf8 = new TextEncoder();
const TWO_63 = 2 ** 63;

interface LongBitsLike {
  readonly low: number;
  readonly high: number;
  readonly unsigned: boolean;
}
const INT64_MAX: LongBitsLike = { low: 0xffffffff | 0, high: 0x7fffffff, unsigned: false };
const INT64_MIN: LongBitsLike = { low: 0, high: 0x80000000 | 0, unsigned: false };

/**
 * int64 for protobufjs, which may run without the optional `long` package: safe integers go as
 * numbers, larger ones as {low, high} bits, and out-of-range values (the INT64_MAX/MIN sentinels
 * of Slice ends, read back as doubles) saturate like ONNX tools do.
 */
function int64(value: number): number | LongBitsLike {
  if (Number.isSafeInteger(value)) return value;
  if (Number.isNaN(value)) throw new RangeError(`writeOnnx: NaN is not an int64`);
  if (value >= TWO_63) return INT64_MAX;
  if (value < -TWO_63) return INT64_MIN;
  if (!Number.isInteger(value)) throw new RangeError(`writeOnnx: ${value} is not an integer`);
  const big = BigInt.asUintN(64, BigInt(value));
  return { low: Number(big & 0xffffffffn) | 0, high: Number(big >> 32n) | 0, unsigned: false };
}

/** Encodes a model as ONNX bytes. Throws {@link GraphError} when the IR cannot be represented. */
export function writeOnnx(model: Model): Uint8Array {
  const pb = {
    ir_version: int64(model.irVersion),
    producer_name: model.producerName,
    producer_version: model.producerVersion,
    ...(model.docString !== undefined ? { doc_string: model.docString } : {}),
    graph: writeGraph(model.graph),
    opset_import: model.opsetImports.map((o) => ({ domain: o.domain, version: int64(o.version) })),
    metadata_props: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
  };
  return onnxRoot().lookupType('onnx.ModelProto').encode(pb).finish();
}

/**
 * Writes a model to `path` atomically (temp file in the same directory, then rename), so a
 * reader never sees a half-written model.
 */
export function writeOnnxFile(path: string, model: Model): void {
  const bytes = writeOnnx(model);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw cause;
  }
}

function writeGraph(g: Graph): object {
  return {
    node: g.nodes.map(writeNode),
    name: g.name,
    initializer: [...g.initializers].map(([name, t]) => writeTensor(t, name)),
    input: g.inputs.map(writeValueInfo),
    output: g.outputs.map(writeValueInfo),
    value_info: (g.valueInfo ?? []).map(writeValueInfo),
  };
}

function writeValueInfo(v: ValueInfo): object {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: onnxDataTypeOf(v.dtype),
        shape: {
          dim: v.shape.map((d) => {
            if (typeof d === 'string') return { dim_param: d };
            if (d < 0) return {};
            return { dim_value: int64(d) };
          }),
        },
      },
    },
  };
}

function writeNode(n: GraphNode): object {
  return {
    input: [...n.inputs],
    output: [...n.outputs],
    name: n.name,
    op_type: n.opType,
    ...(n.domain !== '' ? { domain: n.domain } : {}),
    attribute: Object.entries(n.attributes).map(([name, a]) => writeAttribute(name, a, n)),
  };
}

function writeAttribute(name: string, a: AttributeValue, node: GraphNode): object {
  switch (a.type) {
    case 'float':
      return { name, type: OnnxAttributeType.FLOAT, f: a.value };
    case 'int':
      return { name, type: OnnxAttributeType.INT, i: int64(a.value) };
    case 'string':
      return { name, type: OnnxAttributeType.STRING, s: utf8.encode(a.value) };
    case 'floats':
      return { name, type: OnnxAttributeType.FLOATS, floats: [...a.value] };
    case 'ints':
      return { name, type: OnnxAttributeType.INTS, ints: a.value.map(int64) };
    case 'strings':
      return { name, type: OnnxAttributeType.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
    case 'tensor':
      return { name, type: OnnxAttributeType.TENSOR, t: writeTensor(a.value, '') };
    case 'graph':
      return { name, type: OnnxAttributeType.GRAPH, g: writeGraph(a.value) };
    default: {
      const unknown = a as { type?: unknown };
      throw new GraphError(
        `writeOnnx: node "${node.name}" attribute "${name}" has unknown type ${String(unknown.type)}`,
        'E_ONNX_ATTRIBUTE',
        { field: name },
      );
    }
  }
}

function writeTensor(t: TensorValue, name: string): object {
  const count = elementCount(t.dims);
  if (t.data.length !== count) {
    throw new GraphError(
      `writeOnnx: tensor "${name}" has ${t.data.length} values, expected ${count} from dims [${t.dims.join(',')}]`,
      'E_ONNX_TENSOR',
      { field: name },
    );
  }
  const base = {
    dims: t.dims.map(int64),
    data_type: onnxDataTypeOf(t.dtype),
    ...(name !== '' ? { name } : {}),
  };
  if (t.dtype === 'string') return { ...base, string_data: (t.data as string[]).map((s) => utf8.encode(s)) };
  const view = t.data as Exclude<TensorValue['data'], string[]>;
  return { ...base, raw_data: new Uint8Array(view.buffer, view.byteOffset, view.byteLength) };
}
