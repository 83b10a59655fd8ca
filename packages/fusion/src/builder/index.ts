export {
  addDecoderNodes,
  addJointDecisionNodes,
  buildDecoderModel,
  buildJointDecisionModel,
} from './canonicalModels';
export type { CanonicalModelOptions, JointModelOptions } from './canonicalModels';
export { float, GraphBuilder } from './graphBuilder';
export type { AttributeInput, ToModelOptions } from './graphBuilder';
export {
  checkDecoderWeights,
  checkJointWeights,
  roundDecoderWeightsToFp16,
  roundJointWeightsToFp16,
} from './weights';
export type { DecoderWeights, JointWeights } from './weights';
