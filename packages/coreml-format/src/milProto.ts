/**
 * {@link MilProgram} <-> the `MILSpec.Program` protobuf message (as plain objects for protobufjs).
 * Decoding sorts op arguments and attributes by name (the order coremlc prints), so a program
 * read from `model.mlmodel` and the same program read from the compiled `model.mil` are equal.
 */
import type { TensorValue } from '@eou/graph';
import { elementCount } from '@eou/graph';
import { coremlError } from './coremlFormatError';
import type {
  MilArgument,
  MilAttribute,
  MilBinding,
  MilDim,
  MilDType,
  MilFunction,
  MilNamedType,
  MilOperation,
  MilProgram,
  MilTensorType,
  MilType,
  MilValue,
} from './milProgram';
import { IR_DTYPE_OF_MIL, protoOpsetOf, textOpsetOf } from './milProgram';

/** MILSpec.DataType enum numbers. */
const PROTO_DTYPE: Record<MilDType, number> = {
  bool: 1,
  string: 2,
  fp16: 10,
  fp32: 11,
  fp64: 12,
  bf16: 13,
  int8: 21,
  int16: 22,
  int32: 23,
  int64: 24,
  int4: 25,
  uint8: 31,
  uint16: 32,
  uint32: 33,
  uint64: 34,
  uint4: 35,
  uint2: 36,
  uint1: 37,
  uint6: 38,
  uint3: 39,
  fp8e4m3fn: 40,
  fp8e5m2: 41,
};
const MIL_DTYPE_BY_PROTO = new Map(Object.entries(PROTO_DTYPE).map(([k, v]) => [v, k as MilDType]));

/** Params that coremlc prints as a tuple even with one binding. */
const VARIADIC_PARAMS = new Set(['values']);

// Decoded protobuf objects are untyped; these aliases document which message each one is.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Pb = any;

const byName = <T extends { readonly name: string }>(a: T, b: T) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

class Decoder {
  constructor(private readonly file: string) {}

  fail(where: string, msg: string): never {
    throw coremlError('E_PROTO', this.file, where, msg);
  }

  dtype(n: number, where: string): MilDType {
    const d = MIL_DTYPE_BY_PROTO.get(n);
    if (d === undefined) this.fail(where, `unknown MIL data type ${n}`);
    return d;
  }

  dim(d: Pb, where: string): MilDim {
    if (d?.constant) return Number(d.constant.size ?? 0);
    if (d?.unknown) return '?';
    return this.fail(where, 'a dimension must be constant or unknown');
  }

  type(t: Pb, where: string): MilType {
    if (t?.tensorType) {
      const tt = t.tensorType;
      const rank = Number(tt.rank ?? 0);
      const dims: Pb[] = tt.dimensions ?? [];
      if (rank >= 0 && dims.length !== rank)
        this.fail(where, `tensor rank ${rank} but ${dims.length} dimensions`);
      return {
        kind: 'tensor',
        dtype: this.dtype(tt.dataType ?? 0, where),
        shape: rank < 0 ? null : dims.map((d) => this.dim(d, where)),
      };
    }
    if (t?.listType)
      return {
        kind: 'list',
        elem: this.type(t.listType.type, where),
        length: t.listType.length ? this.dim(t.listType.length, where) : '?',
      };
    if (t?.tupleType)
      return { kind: 'tuple', types: (t.tupleType.types ?? []).map((x: Pb) => this.type(x, where)) };
    if (t?.dictionaryType)
      return {
        kind: 'dict',
        key: this.type(t.dictionaryType.keyType, where),
        value: this.type(t.dictionaryType.valueType, where),
      };
    if (t?.stateType) return { kind: 'state', wrapped: this.type(t.stateType.wrappedType, where) };
    return this.fail(where, 'a value type is missing');
  }

  tensorData(type: MilTensorType, tv: Pb, where: string): TensorValue {
    if (type.shape === null || type.shape.some((d) => d === '?'))
      this.fail(where, 'an immediate tensor needs a static shape');
    const dims = type.shape as number[];
    const n = elementCount(dims);
    const ir = IR_DTYPE_OF_MIL[type.dtype];
    if (ir === undefined) this.fail(where, `immediate ${type.dtype} values are not supported`);
    let src: ArrayLike<number> | string[] | bigint[];
    if (tv?.bytes) {
      const b: Uint8Array = tv.bytes.values ?? new Uint8Array(0);
      const width = { float16: 2, int8: 1, uint8: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4 }[
        ir as string
      ];
      if (width === undefined) this.fail(where, `${type.dtype} cannot be stored as bytes`);
      if (b.byteLength !== n * width)
        this.fail(where, `${type.dtype} [${dims.join(', ')}] needs ${n * width} bytes, got ${b.byteLength}`);
      const copy = new Uint8Array(b).buffer; // a Buffer.slice() would share the whole pool
      const views: Record<string, () => TensorValue['data']> = {
        float16: () => new Uint16Array(copy),
        uint16: () => new Uint16Array(copy),
        int16: () => new Int16Array(copy),
        int8: () => new Int8Array(copy),
        uint8: () => new Uint8Array(copy),
        uint32: () => new Uint32Array(copy),
        int32: () => new Int32Array(copy),
        float32: () => new Float32Array(copy),
      };
      return { dtype: ir, dims, data: views[ir]!() };
    }
    if (tv?.floats) src = tv.floats.values ?? [];
    else if (tv?.doubles) src = tv.doubles.values ?? [];
    else if (tv?.ints) src = tv.ints.values ?? [];
    else if (tv?.bools) src = (tv.bools.values ?? []).map((b: boolean) => (b ? 1 : 0));
    else if (tv?.strings) src = tv.strings.values ?? [];
    else if (tv?.longInts) src = (tv.longInts.values ?? []).map((x: Pb) => BigInt(String(x)));
    else src = [];
    if (src.length !== n)
      this.fail(where, `${type.dtype} [${dims.join(', ')}] needs ${n} values, got ${src.length}`);
    const items = Array.from(src as ArrayLike<unknown>);
    if (ir !== 'string' && !items.every((x) => typeof x === 'number' || typeof x === 'bigint')) {
      this.fail(where, `${type.dtype} values must be numbers, got strings`);
    }
    if (ir === 'int64' && !items.every((x) => typeof x === 'bigint' || Number.isInteger(x))) {
      this.fail(where, `${type.dtype} values must be integers`);
    }
    switch (ir) {
      case 'string':
        return { dtype: 'string', dims, data: Array.from(src as string[], String) };
      case 'int64':
        return {
          dtype: 'int64',
          dims,
          data: BigInt64Array.from(src as ArrayLike<unknown>, (x) => BigInt.asIntN(64, BigInt(x as number))),
        };
      case 'float16':
        return { dtype: 'float16', dims, data: Uint16Array.from(src as ArrayLike<number>) };
      default: {
        const ctor = {
          float32: Float32Array,
          float64: Float64Array,
          int8: Int8Array,
          uint8: Uint8Array,
          int16: Int16Array,
          uint16: Uint16Array,
          int32: Int32Array,
          uint32: Uint32Array,
          bool: Uint8Array,
        }[ir];
        return {
          dtype: ir,
          dims,
          data: (ctor as typeof Float32Array).from(src as ArrayLike<number>),
        };
      }
    }
  }

  value(v: Pb, where: string): MilValue {
    const type = this.type(v?.type, where);
    if (v?.blobFileValue) {
      if (type.kind !== 'tensor') this.fail(where, 'a blob file value must be a tensor');
      return {
        kind: 'blob',
        type: type,
        path: v.blobFileValue.fileName ?? '',
        offset: Number(v.blobFileValue.offset ?? 0),
      };
    }
    const imm = v?.immediateValue;
    if (!imm) this.fail(where, 'a value has neither an immediate nor a blob file value');
    if (type.kind === 'tensor')
      return { kind: 'tensor', type, data: this.tensorData(type, imm.tensor, where) };
    if (type.kind === 'tuple') {
      const values: Pb[] = imm.tuple?.values ?? [];
      return { kind: 'tuple', type, values: values.map((x) => this.value(x, where)) };
    }
    if (type.kind === 'list')
      return { kind: 'list', type, values: (imm.list?.values ?? []).map((x: Pb) => this.value(x, where)) };
    if (type.kind === 'dict') {
      const pairs: Pb[] = imm.dictionary?.values ?? [];
      return {
        kind: 'dict',
        type,
        entries: pairs.map((p) => [this.value(p.key, where), this.value(p.value, where)] as const),
      };
    }
    return this.fail(where, `values of type ${type.kind} are not supported`);
  }

  attributes(map: Pb, where: string): MilAttribute[] {
    return Object.entries(map ?? {})
      .map(([name, v]) => ({ name, value: this.value(v, `${where} attribute ${name}`) }))
      .sort(byName);
  }

  named(nv: Pb, where: string): MilNamedType {
    return { name: nv.name ?? '', type: this.type(nv.type, `${where} ${nv.name ?? ''}`) };
  }

  operation(op: Pb, index: number, fn: string): MilOperation {
    const where = `function ${fn} operation ${index} (${op.type ?? '?'})`;
    if ((op.blocks ?? []).length > 0) this.fail(where, 'operations with nested blocks are not supported');
    const inputs: MilArgument[] = Object.entries(op.inputs ?? {})
      .map(([param, arg]: [string, Pb]) => {
        const bindings: MilBinding[] = (arg.arguments ?? []).map((b: Pb) =>
          b.name !== undefined && b.name !== ''
            ? { kind: 'name', name: b.name }
            : { kind: 'value', value: this.value(b.value, `${where} ${param}`) },
        );
        return { param, bindings, tuple: bindings.length !== 1 || VARIADIC_PARAMS.has(param) };
      })
      .sort((a, b) => (a.param < b.param ? -1 : a.param > b.param ? 1 : 0));
    return {
      type: op.type ?? '',
      inputs,
      outputs: (op.outputs ?? []).map((o: Pb) => this.named(o, where)),
      attributes: this.attributes(op.attributes, where),
      loc: `operation ${index}`,
    };
  }

  program(p: Pb): MilProgram {
    const functions: MilFunction[] = Object.entries(p.functions ?? {}).map(([name, f]: [string, Pb]) => {
      const opset = textOpsetOf(f.opset ?? '');
      if (opset === undefined)
        this.fail(`function ${name}`, `opset must be CoreML<N>, got '${f.opset ?? ''}'`);
      const block = f.block_specializations?.[f.opset];
      if (!block) this.fail(`function ${name}`, `no block for opset ${f.opset}`);
      return {
        name,
        opset: opset,
        inputs: (f.inputs ?? []).map((i: Pb) => this.named(i, `function ${name} input`)),
        attributes: this.attributes(f.attributes, `function ${name}`),
        operations: (block.operations ?? []).map((op: Pb, i: number) => this.operation(op, i, name)),
        outputs: [...(block.outputs ?? [])],
      };
    });
    if (functions.length === 0) this.fail('mlProgram', 'the program has no functions');
    const ios18 = functions.some((f) => Number(f.opset.slice(3)) >= 18);
    return {
      version: ios18 ? '1.3' : '1.0',
      attributes: this.attributes(p.attributes, 'program'),
      functions,
    };
  }
}

/**
 * Decodes a `MILSpec.Program` (as produced by protobufjs `toObject` with `longs: String`).
 * @throws {CoreMLFormatError} E_PROTO naming `file` and the function/operation.
 */
export function milProgramFromProto(p: unknown, file: string): MilProgram {
  return new Decoder(file).program(p);
}

function encodeDim(d: MilDim): Pb {
  return d === '?' ? { unknown: { variadic: false } } : { constant: { size: d } };
}

function encodeType(t: MilType): Pb {
  switch (t.kind) {
    case 'tensor':
      return {
        tensorType: {
          dataType: PROTO_DTYPE[t.dtype],
          rank: t.shape === null ? -1 : t.shape.length,
          dimensions: (t.shape ?? []).map(encodeDim),
        },
      };
    case 'list':
      return { listType: { type: encodeType(t.elem), length: encodeDim(t.length) } };
    case 'tuple':
      return { tupleType: { types: t.types.map(encodeType) } };
    case 'dict':
      return { dictionaryType: { keyType: encodeType(t.key), valueType: encodeType(t.value) } };
    case 'state':
      return { stateType: { wrappedType: encodeType(t.wrapped) } };
  }
}

/** coremltools' choice of TensorValue field per dtype (`helper.py`). */
function encodeTensor(dtype: MilDType, t: TensorValue): Pb {
  const d = t.data;
  switch (dtype) {
    case 'fp32':
      return { floats: { values: Array.from(d as Float32Array) } };
    case 'fp64':
      return { doubles: { values: Array.from(d as Float64Array) } };
    case 'fp16':
    case 'int8':
    case 'uint8':
    case 'uint32': {
      const v = d as Uint8Array;
      return { bytes: { values: new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice() } };
    }
    case 'int32':
    case 'int16':
    case 'uint16':
      return { ints: { values: Array.from(d as Int32Array) } };
    case 'int64':
    case 'uint64':
      // protobufjs accepts decimal strings for int64 (exact beyond 2^53)
      return { longInts: { values: Array.from(d as BigInt64Array, (x) => String(x)) } };
    case 'bool':
      return { bools: { values: Array.from(d as Uint8Array, (x) => x !== 0) } };
    case 'string':
      return { strings: { values: [...(d as string[])] } };
    default:
      throw new TypeError(`encodeTensor: immediate ${dtype} values are not supported`);
  }
}

/** Where a blob value points: weight file name and metadata offset. */
export type BlobRef = (v: Extract<MilValue, { kind: 'blob' }>) => { fileName: string; offset: number };

const keepBlobRef: BlobRef = (v) => ({ fileName: v.path, offset: v.offset });

/** Encodes a value; blob values go through `blobRef`. */
function encodeValue(v: MilValue, blobRef: BlobRef): Pb {
  const type = encodeType(v.type);
  switch (v.kind) {
    case 'tensor':
      return { type, immediateValue: { tensor: encodeTensor(v.type.dtype, v.data) } };
    case 'blob':
      return { type, blobFileValue: blobRef(v) };
    case 'tuple':
      return { type, immediateValue: { tuple: { values: v.values.map((x) => encodeValue(x, blobRef)) } } };
    case 'list':
      return { type, immediateValue: { list: { values: v.values.map((x) => encodeValue(x, blobRef)) } } };
    case 'dict':
      return {
        type,
        immediateValue: {
          dictionary: {
            values: v.entries.map(([k, x]) => ({
              key: encodeValue(k, blobRef),
              value: encodeValue(x, blobRef),
            })),
          },
        },
      };
  }
}

function encodeAttributes(attrs: readonly MilAttribute[], blobRef: BlobRef): Pb {
  const out: Record<string, Pb> = {};
  for (const a of attrs) out[a.name] = encodeValue(a.value, blobRef);
  return out;
}

/**
 * Encodes a program as a `MILSpec.Program` object for protobufjs, in AST order (deterministic).
 * @param blobRef the file name and metadata offset to write for each blob value (defaults to its own).
 */
export function milProgramToProto(program: MilProgram, blobRef: BlobRef = keepBlobRef): Pb {
  const functions: Record<string, Pb> = {};
  for (const f of program.functions) {
    const opset = protoOpsetOf(f.opset);
    if (opset === undefined)
      throw new TypeError(`milProgramToProto: function ${f.name} has opset '${f.opset}', expected iosN`);
    functions[f.name] = {
      inputs: f.inputs.map((i) => ({ name: i.name, type: encodeType(i.type) })),
      opset,
      block_specializations: {
        [opset]: {
          outputs: [...f.outputs],
          operations: f.operations.map((op) => ({
            type: op.type,
            inputs: Object.fromEntries(
              op.inputs.map((a) => [
                a.param,
                {
                  arguments: a.bindings.map((b) =>
                    b.kind === 'name' ? { name: b.name } : { value: encodeValue(b.value, blobRef) },
                  ),
                },
              ]),
            ),
            outputs: op.outputs.map((o) => ({ name: o.name, type: encodeType(o.type) })),
            attributes: encodeAttributes(op.attributes, blobRef),
          })),
        },
      },
      attributes: encodeAttributes(f.attributes, blobRef),
    };
  }
  return { version: 1, functions, attributes: encodeAttributes(program.attributes, blobRef) };
}
