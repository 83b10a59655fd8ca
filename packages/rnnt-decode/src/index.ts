export { bytesPerElement } from './session';
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
