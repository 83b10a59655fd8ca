export {
  BLOB_ALIGNMENT,
  BLOB_SENTINEL,
  isBlobStorable,
  listBlobs,
  readBlobMetadata,
  readBlobStorageHeader,
  readBlobTensor,
  writeBlobStorage,
} from './blobStorage';
export type { BlobDType, BlobMetadata } from './blobStorage';
export type { CoreMLErrorCode } from './coremlError';
export { coremlVariantFileNames, fuseCoreMLDirectory } from './fuseCoreML';
export type { CoreMLFuseResult, CoreMLVariant } from './fuseCoreML';
export { descriptionFromFunction, loadBlobs, mainFunction } from './coremlModel';
export type {
  ArrayDataType,
  CoreMLModel,
  FeatureDescription,
  FeatureType,
  ModelDescription,
  ModelMetadata,
  ReadCoreMLOptions,
} from './coremlModel';
export { convertModel, detectModelFormat, inspectModel, readCoreML } from './inspectModel';
export type { ConvertOptions, FeatureSummary, ModelFormat, ModelSummary } from './inspectModel';
export { MIL_DOMAIN, milToGraph } from './milGraph';
export { parseMil, parseMilNumber } from './milParser';
export { hexFloat, printMil } from './milPrinter';
export { protoOpsetOf, specVersionOfOpset, textOpsetOf } from './milProgram';
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
export { MIL_TO_ONNX_OPS, milToOnnx } from './milToOnnx';
export { buildLeanMlProgram, leanMlProgramFromPair, pipelineMlProgramFromPair } from './milVariants';
export type { BuildProvenance, LeanMlProgramOptions } from './milVariants';
export { milDecoderJointWeights, onnxWeightsOfMil } from './milWeights';
export type { MilDecoderJointWeights } from './milWeights';
export type { MilToOnnxOptions } from './milToOnnx';
export { descriptionFromMetadataJson, readCoremlDataBin, readMlmodelc } from './mlmodelc';
export type { CoremlDataBin } from './mlmodelc';
export { encodeMlpackage, readMlpackage, resolveMlpackageRoot, writeMlpackage } from './mlpackage';
export type { MlpackageFiles } from './mlpackage';
export { syntheticTensor, syntheticWeightFile, writeSyntheticMlmodelc } from './syntheticWeights';
export type { SyntheticAdjust } from './syntheticWeights';
