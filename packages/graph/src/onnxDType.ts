/** Mapping between IR dtypes and ONNX `TensorProto.DataType` codes. */
import type { DType } from './graph';
import { OnnxDataType } from './onnxSchema';

const toCode: Readonly<Record<DType, number>> = {
  float32: OnnxDataType.FLOAT,
  float16: OnnxDataType.FLOAT16,
  float64: OnnxDataType.DOUBLE,
  int8: OnnxDataType.INT8,
  uint8: OnnxDataType.UINT8,
  int16: OnnxDataType.INT16,
  uint16: OnnxDataType.UINT16,
  int32: OnnxDataType.INT32,
  uint32: OnnxDataType.UINT32,
  int64: OnnxDataType.INT64,
  bool: OnnxDataType.BOOL,
  string: OnnxDataType.STRING,
};

const fromCode = new Map<number, DType>(Object.entries(toCode).map(([k, v]) => [v, k as DType]));

/** ONNX data-type code of an IR dtype. */
export function onnxDataTypeOf(dtype: DType): number {
  return toCode[dtype];
}

/** IR dtype of an ONNX data-type code, or undefined when the IR has no such type (bfloat16, complex, uint64). */
export function dtypeOfOnnxDataType(code: number): DType | undefined {
  return fromCode.get(code);
}

/** Name of an ONNX data-type code for messages (`FLOAT16`, `BFLOAT16`, `code 99`). */
export function onnxDataTypeName(code: number): string {
  for (const [name, value] of Object.entries(OnnxDataType)) if (value === code) return name;
  return `code ${code}`;
}

/** Bytes per element of fixed-width dtypes (strings have none). */
export const dtypeByteSize: Readonly<Record<Exclude<DType, 'string'>, number>> = {
  float32: 4,
  float16: 2,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  bool: 1,
};
