/**
 * The MIL program AST shared by the `model.mil` text parser/printer and the `model.mlmodel`
 * protobuf codec. It keeps everything both formats carry (op names, argument order, attributes,
 * blob references), so a read-write-read round trip is lossless; `milGraph.ts` maps it onto the
 * graph IR.
 */
import type { DType, TensorValue } from '@eou/graph';

/** MIL element type spellings (`model.mil` text). */
export type MilDType =
  | 'fp16'
  | 'fp32'
  | 'fp64'
  | 'bf16'
  | 'int4'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint1'
  | 'uint2'
  | 'uint3'
  | 'uint4'
  | 'uint6'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string'
  | 'fp8e4m3fn'
  | 'fp8e5m2';

export const MIL_DTYPES: readonly MilDType[] = [
  'fp16',
  'fp32',
  'fp64',
  'bf16',
  'int4',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint1',
  'uint2',
  'uint3',
  'uint4',
  'uint6',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'bool',
  'string',
  'fp8e4m3fn',
  'fp8e5m2',
];

/** MIL dtype -> IR dtype, for the dtypes the IR can hold (uint64 rides as int64). */
export const IR_DTYPE_OF_MIL: Partial<Record<MilDType, DType>> = {
  fp16: 'float16',
  fp32: 'float32',
  fp64: 'float64',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'int64',
  bool: 'bool',
  string: 'string',
};

/** IR dtype -> MIL dtype. */
export const MIL_DTYPE_OF_IR: Record<DType, MilDType> = {
  float16: 'fp16',
  float32: 'fp32',
  float64: 'fp64',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  bool: 'bool',
  string: 'string',
};

/** A dimension: a size, or `'?'` when unknown. */
export type MilDim = number | '?';

export interface MilTensorType {
  readonly kind: 'tensor';
  readonly dtype: MilDType;
  /** `null` = unknown rank; `[]` = scalar. */
  readonly shape: readonly MilDim[] | null;
}

export type MilType =
  | MilTensorType
  | { readonly kind: 'list'; readonly elem: MilType; readonly length: MilDim }
  | { readonly kind: 'tuple'; readonly types: readonly MilType[] }
  | { readonly kind: 'dict'; readonly key: MilType; readonly value: MilType }
  | { readonly kind: 'state'; readonly wrapped: MilType };

export type MilValue =
  /** An immediate tensor (scalars are rank 0). */
  | { readonly kind: 'tensor'; readonly type: MilTensorType; readonly data: TensorValue }
  /** A blob-file reference; `data` is filled in by readers that load weights. */
  | {
      readonly kind: 'blob';
      readonly type: MilTensorType;
      readonly path: string;
      /** Offset of the blob's metadata record. */
      readonly offset: number;
      readonly data?: TensorValue;
    }
  | { readonly kind: 'tuple'; readonly type: MilType; readonly values: readonly MilValue[] }
  | { readonly kind: 'list'; readonly type: MilType; readonly values: readonly MilValue[] }
  | {
      readonly kind: 'dict';
      readonly type: MilType;
      readonly entries: readonly (readonly [MilValue, MilValue])[];
    };

export type MilBinding =
  { readonly kind: 'name'; readonly name: string } | { readonly kind: 'value'; readonly value: MilValue };

/** One keyword argument; `bindings` has several entries for a variadic tuple `(a, b)`. */
export interface MilArgument {
  readonly param: string;
  readonly bindings: readonly MilBinding[];
  /** True when written as a tuple, even with one element. */
  readonly tuple: boolean;
}

export interface MilNamedType {
  readonly name: string;
  readonly type: MilType;
}

export interface MilAttribute {
  readonly name: string;
  readonly value: MilValue;
}

export interface MilOperation {
  readonly type: string;
  readonly inputs: readonly MilArgument[];
  readonly outputs: readonly MilNamedType[];
  readonly attributes: readonly MilAttribute[];
  /** Where it was read from (`line:col` or `operation 12`), for error messages. */
  readonly loc?: string;
}

export interface MilFunction {
  readonly name: string;
  /** Text opset, e.g. `ios17` (proto `CoreML7`). */
  readonly opset: string;
  readonly inputs: readonly MilNamedType[];
  readonly attributes: readonly MilAttribute[];
  readonly operations: readonly MilOperation[];
  readonly outputs: readonly string[];
}

export interface MilProgram {
  /** `1.0` for <= ios17 text, `1.3` for ios18; the proto carries an integer (1). */
  readonly version: string;
  readonly attributes: readonly MilAttribute[];
  readonly functions: readonly MilFunction[];
}

/** Proto opset string (`CoreML7`) of a text opset (`ios17`); ios15 <-> CoreML5 <-> spec 6. */
export function protoOpsetOf(textOpset: string): string | undefined {
  const m = /^ios(\d+)$/.exec(textOpset);
  return m ? `CoreML${Number(m[1]) - 10}` : undefined;
}

/** Text opset (`ios17`) of a proto opset (`CoreML7`). */
export function textOpsetOf(protoOpset: string): string | undefined {
  const m = /^CoreML(\d+)$/.exec(protoOpset);
  return m ? `ios${Number(m[1]) + 10}` : undefined;
}

/** Specification version an opset needs (ios15 -> 6 ... ios18 -> 9). */
export function specVersionOfOpset(textOpset: string): number | undefined {
  const m = /^ios(\d+)$/.exec(textOpset);
  return m ? Number(m[1]) - 9 : undefined;
}

/** The value of attribute `name`, if any. */
export function milAttribute(attrs: readonly MilAttribute[], name: string): MilValue | undefined {
  return attrs.find((a) => a.name === name)?.value;
}

/** A scalar string attribute (`name = tensor<string, []>("x")`), or undefined. */
export function milStringAttribute(attrs: readonly MilAttribute[], name: string): string | undefined {
  const v = milAttribute(attrs, name);
  if (v?.kind === 'tensor' && v.data.dtype === 'string') return (v.data.data as string[])[0];
  return undefined;
}

/** A scalar string value. */
export function milString(s: string): MilValue {
  return {
    kind: 'tensor',
    type: { kind: 'tensor', dtype: 'string', shape: [] },
    data: { dtype: 'string', dims: [], data: [s] },
  };
}
