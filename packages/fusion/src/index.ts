/** Package version, kept in step with package.json by the release tooling. */
export { version } from './version';

export { elementCount } from './graph';
export { FusionError } from './fusionError';
export { dtypeOfOnnxDataType, onnxDataTypeOf, readOnnx, readOnnxFile, writeOnnx, writeOnnxFile } from './onnx/index';
export type { ReadOnnxOptions } from './onnx/index';
export type {
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
