export { cachedVariant } from './cachedVariant';
export { checkVariantSources } from './checkVariantSources';
export { extractDecoderJointWeights } from './decoderJointWeights';
export type { DecoderJointWeights, Fp16RoundingPoints, LinearWeights } from './decoderJointWeights';
export { fuseModelDirectory, readVariantBuildInput } from './fuseModelDirectory';
export type { FusedFile, FuseOptions, FuseResult } from './fuseModelDirectory';
export { buildLeanGraph, leanFileName, leanVariant } from './leanVariant';
export { leanTopkFileName, leanTopkVariant } from './leanTopkVariant';
export {
  combineLstmBiases,
  convertLstmWeights,
  lstmGateOrders,
  onnxBias,
  reorderGates,
  splitOnnxBias,
} from './lstmLayout';
export type { LstmBias, LstmGate, LstmGateOrder, LstmWeights } from './lstmLayout';
export { buildPipelineGraph, pipelineFileName, pipelineVariant } from './pipelineVariant';
export {
  buildProjectedDecoderGraph,
  buildProjectedEncoderGraph,
  buildProjectedJointGraph,
  projectedFileNames,
  projectedVariant,
} from './projectedVariant';
export { refVariant, splitFileNames } from './refVariant';
export { buildableVariantKinds, variantOf, variants } from './variant';
export type { Variant } from './variant';
export type {
  BuildableVariant,
  BuiltModel,
  ShippedVariant,
  VariantBase,
  VariantBuildInput,
  VariantSource,
} from './variantBase';
export { isVariantKind, VariantKind, variantKinds } from './variantKind';
export { builderVersion, variantMetadataKeys, variantModel } from './variantModel';
