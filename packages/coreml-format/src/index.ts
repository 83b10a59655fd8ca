/**
 * `@eou/coreml-format`: CoreML ML Programs read and written on any OS (`.mlmodelc`, `.mlpackage`,
 * `model.mil`, `weight.bin`) and converted to ONNX. This file is the whole public API.
 */
export { listBlobs, readBlobTensor, writeBlobStorage } from './blobStorage';
export { CoreMLFormatError } from './coremlFormatError';
export { descriptionFromFunction, mainFunction } from './coremlModel';
export { convertModel, detectModelFormat, inspectModel, readCoreML } from './inspectModel';
export {
  combineLstmBiases,
  convertLstmWeights,
  lstmGateOrders,
  onnxBias,
  reorderGates,
  splitOnnxBias,
} from './lstmLayout';
export { milToGraph } from './milGraph';
export { parseMil } from './milParser';
export { printMil } from './milPrinter';
export { milString, milStringAttribute } from './milProgram';
export { MIL_TO_ONNX_OPS, milToOnnx } from './milToOnnx';
export { readMlmodelc } from './mlmodelc';
export { encodeMlpackage, readMlpackage, writeMlpackage } from './mlpackage';
export { writeSyntheticMlmodelc } from './syntheticWeights';
export { version } from './version';

export type { BlobDType, BlobMetadata } from './blobStorage';
export type { CoreMLFormatErrorCode } from './coremlFormatError';
export type {
  ArrayDataType,
  CoreMLModel,
  FeatureDescription,
  FeatureType,
  ModelDescription,
  ModelMetadata,
  ReadCoreMLOptions,
} from './coremlModel';
export type { ConvertOptions, FeatureSummary, ModelFormat, ModelSummary } from './inspectModel';
export type { LstmBias, LstmGate, LstmGateOrder, LstmWeights } from './lstmLayout';
export type {
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
export type { MilToOnnxOptions } from './milToOnnx';
export type { MlpackageFiles } from './mlpackage';
export type { SyntheticAdjust } from './syntheticWeights';
