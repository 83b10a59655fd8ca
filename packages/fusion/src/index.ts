/**
 * `@eou/fusion`: fused decoder+joint variants built from shipped weights (ONNX and CoreML), step
 * parity between variants, the canonical decoder/joint graphs with their reference math, and
 * synthetic models. This file is the whole public API; graph IO is `@eou/graph`, CoreML formats
 * are `@eou/coreml-format`.
 */

export { FusionError } from './fusionError';
export { version } from './version';
// the canonical decoder / joint_decision graphs and their plain-TypeScript reference
export { buildDecoderModel, buildJointDecisionModel } from './canonical/canonicalModels';
export { roundDecoderWeightsToFp16, roundJointWeightsToFp16 } from './canonical/weights';
export { fromFloat16Array } from './reference/fp16';
export { referenceDecoderStep, referenceJointStep } from './reference/referenceModel';
// CoreML variants (.mlpackage)
export { coremlVariantFileNames, coremlVariants } from './coreml/coremlVariant';
export { fuseCoreMLDirectory } from './coreml/fuseCoreMLDirectory';
export { milDecoderJointWeights, onnxWeightsOfMil } from './coreml/milDecoderJointWeights';
// step parity
export { compareFreeRunning, harnessRunner } from './parity/freeRunning';
export { loopRunner } from './parity/loopRunner';
export { resolveParityConfig } from './parity/parityConfig';
export { parityExitCode } from './parity/parityVerdict';
export { renderParity } from './parity/renderParity';
export { runParity } from './parity/runParity';
export { teacherForced } from './parity/teacherForced';
export { openVariantStepper } from './parity/variantStepper';
// synthetic models and corpora
export { SynthCorpusGenerator } from './synth/synthCorpus';
export { createSynthModel, resolveMargin } from './synth/synthModel';
export { loadSynthModelDirectory, writeSynthModelDirectory } from './synth/synthModelDirectory';
export { synthShapes } from './synth/synthShapes';
// stateless (sherpa-onnx / icefall) joiners
export { statelessJoinerProjections } from './stateless/statelessJoinerProjections';
// ONNX variants
export { checkVariantSources } from './variants/checkVariantSources';
export { extractDecoderJointWeights } from './variants/decoderJointWeights';
export {
  BATCH_DIM,
  rowCoupledVariants,
  widenBatch,
  writeBatchedModelDirectory,
} from './variants/batchedModelDirectory';
export { fuseModelDirectory, readVariantBuildInput } from './variants/fuseModelDirectory';
export { buildableVariantKinds, variantOf, variants } from './variants/variant';
export { isVariantKind, VariantKind, variantKinds } from './variants/variantKind';
export { variantMetadataKeys } from './variants/variantModel';

export type { CanonicalModelOptions, JointModelOptions } from './canonical/canonicalModels';
export type { DecoderWeights, JointWeights } from './canonical/weights';
export type { ReferenceDecoderOutput, ReferenceJointOutput } from './reference/referenceModel';
export type { CoreMLVariant, CoreMLVariantKind, MlProgramModel } from './coreml/coremlVariantBase';
export type { CoreMLFuseResult } from './coreml/fuseCoreMLDirectory';
export type { MilDecoderJointWeights } from './coreml/milDecoderJointWeights';
export type {
  Divergence,
  FreeRunner,
  FreeRunningResult,
  FreeRunStep,
  FreeRunTrace,
} from './parity/freeRunning';
export type { DecodeUtteranceFn, LoopModel } from './parity/loopRunner';
export type { ParityConfig, ResolvedParityConfig } from './parity/parityConfig';
export type { ParityCheck, ParityVerdict } from './parity/parityVerdict';
export type {
  ParityFile,
  ParityFileResult,
  ParityOptions,
  ParityReport,
  ParitySummary,
} from './parity/runParity';
export type { ArgmaxFlip, TeacherForcedResult } from './parity/teacherForced';
export type { OpenSession, StepResult, VariantStepper } from './parity/variantStepper';
export type { StatelessJoinerProjections } from './stateless/statelessJoinerProjections';
export type { SynthCorpusOptions, SynthUtterance } from './synth/synthCorpus';
export type { SynthDesign, SynthMargin, SynthModel, SynthModelOptions } from './synth/synthModel';
export type { WriteSynthHooks } from './synth/synthModelDirectory';
export type { SynthShape, SynthShapeName } from './synth/synthShapes';
export type { DecoderJointWeights, Fp16RoundingPoints, LinearWeights } from './variants/decoderJointWeights';
export type { BatchedModelDirectory } from './variants/batchedModelDirectory';
export type { FusedFile, FuseOptions, FuseResult } from './variants/fuseModelDirectory';
export type { Variant } from './variants/variant';
export type {
  BuildableVariant,
  BuiltModel,
  ShippedVariant,
  VariantBase,
  VariantBuildInput,
  VariantSource,
} from './variants/variantBase';
