export { checkOnnxWeights, weightDTypeProblems, weightDTypes } from './checkOnnxWeights';
export { dtypeOfOnnxDataType, onnxDataTypeOf } from './onnxDType';
export { readOnnx, readOnnxFile } from './readOnnx';
export { readOnnxMetadata } from './readOnnxMetadata';
export type { ReadOnnxOptions } from './readOnnx';
export { writeOnnx, writeOnnxFile } from './writeOnnx';
