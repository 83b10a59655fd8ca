/** Conversions between ONNX Runtime metadata and the session contract's {@link TensorInfo}. */
import type { Tensor, TensorDType, TensorInfo } from '@eou/rnnt-decode';
import type { NativeValueMetadata } from './ortBinding';

/** ONNX element-type codes of the contract dtypes. */
const dtypeByCode: ReadonlyMap<number, TensorDType> = new Map([
  [1, 'float32'],
  [10, 'float16'],
  [6, 'int32'],
  [7, 'int64'],
]);

/** Names of the other ONNX element types, for messages. */
const otherTypeNames: Readonly<Record<number, string>> = {
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  8: 'string',
  9: 'bool',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** Contract dtype of an ONNX element-type code, or undefined. */
export function dtypeOfCode(code: number): TensorDType | undefined {
  return dtypeByCode.get(code);
}

/** Human name of an ONNX element-type code. */
export function typeNameOfCode(code: number): string {
  return dtypeByCode.get(code) ?? otherTypeNames[code] ?? `type ${code}`;
}

/** The contract shape of native metadata: sizes, symbolic names, or -1 for unnamed dynamic dims. */
export function shapeOfMetadata(m: NativeValueMetadata): (number | string)[] {
  return m.shape.map((d, i) => (d >= 0 ? d : m.symbolicDimensions[i] || -1));
}

/** `[1,'B',640]` for messages. */
export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(',')}]`;
}

/** Whether concrete `dims` fit a declared `shape` (symbolic and -1 dims match any size). */
export function dimsFit(shape: readonly (number | string)[], dims: readonly number[]): boolean {
  if (shape.length !== dims.length) return false;
  for (let i = 0; i < dims.length; i++) {
    const s = shape[i]!;
    if (typeof s === 'number' && s >= 0 && s !== dims[i]) return false;
  }
  return true;
}

/** Element count of dims. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

const arrayTypeOf: Readonly<Record<TensorDType, string>> = {
  float32: 'Float32Array',
  float16: 'Uint16Array',
  int32: 'Int32Array',
  int64: 'BigInt64Array',
};

/** Whether a tensor's storage matches its dtype. */
export function dataMatchesDType(t: Tensor): boolean {
  const d = t.data as unknown;
  switch (t.dtype) {
    case 'float32':
      return d instanceof Float32Array;
    case 'float16':
      return d instanceof Uint16Array;
    case 'int32':
      return d instanceof Int32Array;
    case 'int64':
      return d instanceof BigInt64Array;
    default:
      return false;
  }
}

/** Typed-array name expected for a dtype. */
export function arrayTypeName(dtype: TensorDType): string {
  return arrayTypeOf[dtype];
}

/** Re-export for callers that build infos by hand. */
export type { TensorInfo };
