export { checkConfigForVocab, createDecodeConfig, defaultMaxSymbolsPerFrame } from './decodeConfig';
export { createDecodeState, resetState } from './decodeState';
export { addStats, emptyStats, totalCalls } from './decodeStats';
export { decodeUtterance, decodeUtteranceSync } from './decodeUtterance';
export { eouPolicies, predictionPolicies } from './policies';
export { RnntDecodeError } from './rnntDecodeError';
export { bytesPerElement } from './session';
export { checkModel, createStreamingDecoder } from './streamingDecoder';
export { defaultFrameMs, frameMsFor } from './timestamps';

export type { DecodeConfig, DecodeConfigInput } from './decodeConfig';
export type { DecodeState, PredictionBuffers } from './decodeState';
export type { DecodeStats } from './decodeStats';
export type { DecodeUtteranceOptions, UtteranceResult, UtteranceTokens } from './decodeUtterance';
export type { EouPolicy, PredictionPolicy } from './policies';
export type { RnntDecodeErrorCode, RnntDecodeErrorContext } from './rnntDecodeError';
export type { Session, Tensor, TensorDataMap, TensorDType, TensorInfo, TensorMap } from './session';
export type {
  FusedOutput,
  FusedStepModel,
  JointOutput,
  ModelDims,
  PredictionOutput,
  ProjectedStepModel,
  SplitStepModel,
  StepModel,
} from './stepModels';
export type {
  ChunkResult,
  DecodeChunkOptions,
  StreamingDecoder,
  StreamingDecoderOptions,
} from './streamingDecoder';
export type { TraceStep } from './traceStep';
