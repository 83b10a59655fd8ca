/**
 * `@eou/graph`: a plain-data graph IR, ONNX read/write and a graph builder. This file is the whole
 * public API.
 */
export { checkOnnxWeights } from './checkOnnxWeights';
export { elementCount, typedArrayOf } from './graph';
export { float, GraphBuilder } from './graphBuilder';
export { argmaxLogitWidth } from './logitWidth';
export { GraphError } from './graphError';
export { readOnnx, readOnnxFile } from './readOnnx';
export { readOnnxMetadata } from './readOnnxMetadata';
export { readOnnxSignature } from './readOnnxSignature';
export { version } from './version';
export { writeOnnx, writeOnnxFile } from './writeOnnx';

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
export type { AttributeInput, ToModelOptions } from './graphBuilder';
export type { GraphErrorCode } from './graphError';
export type { ReadOnnxOptions } from './readOnnx';
export type { OnnxSignature } from './readOnnxSignature';
