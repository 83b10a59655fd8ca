export { argmaxLogits } from './argmaxLogits';
export { checkModel } from './checkArguments';
export { decodeBatch, decodeBatchSync } from './decodeBatch';
export { decodeRefill } from './decodeRefill';
export { checkConfigForVocab, createDecodeConfig, defaultMaxSymbolsPerFrame } from './decodeConfig';
export { createDecodeState, resetState } from './decodeState';
export { addStats, emptyStats, totalCalls } from './decodeStats';
export { decodeUtterance, decodeUtteranceSync } from './decodeUtterance';
export {
  declareVariant,
  parseVariantArgument,
  parseVariantDeclarations,
  parseVariantList,
  variantDeclarationsFormat,
} from './declareVariant';
export { detokenize } from './detokenize';
export {
  copyFloat16,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  fp16Round,
  fromFloat16,
  toFloat16,
} from './float16';
export {
  checkVocabCoversModel,
  joinPath,
  loadModelDirectory,
  lstmStepModel,
  modelVariants,
  readModelDescription,
} from './loadModelDirectory';
export { decodeConfigFromModel, modelConfigFormat, modelConfigLimits, parseModelConfig } from './modelConfig';
export { encodeNpy, parseNpy } from './npy';
export { eouPolicies, predictionPolicies } from './policies';
export { RnntDecodeError } from './rnntDecodeError';
export { bytesPerElement } from './session';
export {
  defaultAdapterMaxBatch,
  fusedModelFromSession,
  projectedModelFromSessions,
  splitModelFromSessions,
  statelessModelFromSessions,
} from './sessionAdapters';
export { checkSession, sessionContracts } from './sessionContract';
export { stepKinds } from './stepModels';
export { createStreamingDecoder } from './streamingDecoder';
export { defaultFrameMs, frameMsFor } from './timestamps';
export { createVariantRegistry } from './variantRegistry';
export {
  builtInVariants,
  decodeVariants,
  layoutOfKind,
  sherpaOnnxVariantNames,
  sherpaOnnxVariants,
  unservedVariants,
  variantBuiltFiles,
  variantFileName,
  variantFiles,
  variantNames,
  variantRoles,
  variants,
  variantSpec,
} from './variants';
export { parseTokensTxt, parseVocab, parseVocabFile } from './vocab';

export type { BatchResult, BatchUtterance, BatchUtteranceResult, DecodeBatchOptions } from './decodeBatch';
export type {
  DecodeRefillOptions,
  RefillResult,
  RefillUtteranceResult,
  UtteranceSource,
} from './decodeRefill';
export type { DecodeConfig, DecodeConfigDefaults, DecodeConfigInput } from './decodeConfig';
export type { DecodeState, PredictionBuffers } from './decodeState';
export type { DecodeStats } from './decodeStats';
export type { DecodeUtteranceOptions, UtteranceResult, UtteranceTokens } from './decodeUtterance';
export type { VariantDeclaration } from './declareVariant';
export type { DetokenizeOptions } from './detokenize';
export type { LoadedModel, LoadModelOptions, ModelDescription, ModelDirectoryIO } from './loadModelDirectory';
export type { ModelConfig, ModelExt, PredictionNetConfig } from './modelConfig';
export type { NpyFrames } from './npy';
export type { EouPolicy, PredictionPolicy } from './policies';
export type { RnntDecodeErrorCode, RnntDecodeErrorContext } from './rnntDecodeError';
export type { Session, Tensor, TensorDataMap, TensorDType, TensorInfo, TensorMap } from './session';
export type { AdapterDims, AdapterOptions, StatelessAdapterDims } from './sessionAdapters';
export type { ContractDim, ContractDims, SessionCheck, SessionContract, TensorSpec } from './sessionContract';
export type {
  AnyStepModel,
  FusedOutput,
  FusedStepModel,
  JointOutput,
  ModelDims,
  PredictionOutput,
  ProjectedStepModel,
  SplitStepModel,
  StatelessStepModel,
  StepKind,
  StepModel,
} from './stepModels';
export type {
  ChunkResult,
  DecodeChunkOptions,
  StreamingDecoder,
  StreamingDecoderOptions,
} from './streamingDecoder';
export type { TraceStep } from './traceStep';
export type { VariantRegistry } from './variantRegistry';
export type {
  ModelLayout,
  SherpaOnnxVariantName,
  VariantFileRole,
  VariantName,
  VariantNumerics,
  VariantSpec,
} from './variants';
export type { Vocab } from './vocab';
