/**
 * The graph IR every format maps to: ONNX models read from protobuf, CoreML ML Programs read from
 * `model.mil` or `model.mlmodel`, and graphs made by the builders. It is deliberately plain data
 * (no classes) so that readers, writers, builders and converters can share it without coupling.
 *
 * ONNX nodes use `domain` '' (ai.onnx) and positional inputs. MIL operations use domain
 * `coreml.mil`, keep their keyword argument names in `inputNames` (parallel to `inputs`), and
 * keep MIL literal consts as initializers.
 */

/** Element types the IR carries. float16 is stored as IEEE half bits in a Uint16Array. */
export type DType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'bool'
  | 'string';

/** Typed-array storage of each dtype. */
export interface DTypeArrayMap {
  float32: Float32Array;
  float16: Uint16Array;
  float64: Float64Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
  string: string[];
}

/** A constant tensor (initializer, MIL const, attribute value). Dense, C order. */
export interface TensorValue<T extends DType = DType> {
  readonly dtype: T;
  readonly dims: readonly number[];
  readonly data: DTypeArrayMap[T];
}

/** A graph input, output or intermediate value: symbolic dims are strings, unknown dims -1. */
export interface ValueInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly (number | string)[];
}

export type AttributeValue =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensor'; readonly value: TensorValue }
  | { readonly type: 'graph'; readonly value: Graph };

export interface GraphNode {
  readonly name: string;
  readonly opType: string;
  /** '' for the default ONNX domain, 'coreml.mil' for MIL operations. */
  readonly domain: string;
  /** Value names consumed; '' marks an omitted optional ONNX input. */
  readonly inputs: readonly string[];
  /** MIL keyword names of `inputs`, same length; absent for ONNX. */
  readonly inputNames?: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

export interface Graph {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** Constant tensors by name, in insertion order (writers keep it). */
  readonly initializers: ReadonlyMap<string, TensorValue>;
  /** Topologically ordered. */
  readonly nodes: readonly GraphNode[];
  /** Shapes and dtypes of intermediate values, when known. */
  readonly valueInfo?: readonly ValueInfo[];
}

export interface OpsetImport {
  readonly domain: string;
  readonly version: number;
}

/** A whole model: a graph plus the model-level fields of its format. */
export interface Model {
  readonly graph: Graph;
  readonly opsetImports: readonly OpsetImport[];
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  /** Free-form key/value metadata (ONNX `metadata_props`, CoreML user-defined metadata). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly docString?: string;
}

/** Number of elements of a static shape. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Views `buffer` as the typed array of a numeric dtype (float16 as bits, bool as bytes). */
export function typedArrayOf(dtype: Exclude<DType, 'string'>, buffer: ArrayBufferLike): DTypeArrayMap[DType] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer);
    case 'float16':
    case 'uint16':
      return new Uint16Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    case 'uint8':
    case 'bool':
      return new Uint8Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'uint32':
      return new Uint32Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
  }
}
