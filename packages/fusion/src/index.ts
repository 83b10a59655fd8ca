/** Package version, kept in step with package.json by the release tooling. */
export { version } from './version';

export { elementCount } from './graph';
export {
  addDecoderNodes,
  addJointDecisionNodes,
  buildDecoderModel,
  buildJointDecisionModel,
  checkDecoderWeights,
  checkJointWeights,
  float,
  GraphBuilder,
  roundDecoderWeightsToFp16,
  roundJointWeightsToFp16,
} from './builder/index';
export type { AttributeInput, CanonicalModelOptions, DecoderWeights, JointModelOptions, JointWeights, ToModelOptions } from './builder/index';
export { FusionError } from './fusionError';
export { dtypeOfOnnxDataType, onnxDataTypeOf, readOnnx, readOnnxFile, writeOnnx, writeOnnxFile } from './onnx/index';
export type { ReadOnnxOptions } from './onnx/index';
export {
  argmaxFirst,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  fp16Round,
  fp16RoundInPlace,
  fromFloat16Array,
  linear,
  lstmStep,
  referenceDecoderStep,
  referenceJointHidden,
  referenceJointStep,
  relu,
  sigmoid,
  softmaxProb,
  toFloat16Array,
  topK,
} from './reference/index';
export type { ReferenceDecoderOutput, ReferenceJointOutput } from './reference/index';
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
