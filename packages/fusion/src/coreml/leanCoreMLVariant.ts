/**
 * `lean` as a CoreML ML Program (seed §3.1, ops in the seed's order): embedding gather, LSTM, h/c
 * outputs, encoder projection, prediction projection straight from the LSTM output (the decoder ->
 * joint transpose/cast boundary elided), ReLU(add), output layer, argmax, softmax probability of
 * the argmax. `withTopK` adds the sorted top-k head (`lean-topk`, seed §3.2).
 */
import { decodeVariants, variantFileName } from '@eou/rnnt-decode';
import type { CoreMLModel, FeatureDescription, MilFunction, ModelDescription } from '@eou/coreml-format';
import { VariantKind } from '../variants/variantKind';
import type { CoreMLVariant, MlProgramModel } from './coremlVariantBase';
import { provenanceMetadata } from './coremlProvenance';
import { MilBuilder } from './milBuilder';
import type { MilDecoderJointWeights } from './milDecoderJointWeights';
import { milDecoderJointWeights } from './milDecoderJointWeights';
import {
  decision,
  embedTargets,
  encoderProjection,
  jointLogits,
  lstm,
  predictionProjection,
  stateIn,
  stateOut,
  topKHead,
} from './milParts';

/** Options of {@link buildLeanMlProgram}. */
export interface LeanMlProgramOptions {
  /** Add the sorted top-k head (`top_k_ids`, `top_k_logits`), seed `--with-topk`. */
  readonly withTopK?: boolean;
  /** K of the head; default min(64, V). */
  readonly topK?: number;
}

/** A function input or output: name, feature dtype, shape. */
type Feature = readonly [name: string, dataType: 'float32' | 'int32', shape: readonly number[]];

function featureDescription([name, dataType, shape]: Feature): FeatureDescription {
  return { name, type: { kind: 'multiArray', shape: [...shape], dataType } };
}

/** The lean signature: the inputs, the decision and state outputs, and the top-k outputs. */
function signature(w: MilDecoderJointWeights, K: number) {
  const { hiddenSize: H, encoderDim: E } = w;
  const inputs: Feature[] = [
    ['targets', 'int32', [1, 1]],
    ['h_in', 'float32', [1, 1, H]],
    ['c_in', 'float32', [1, 1, H]],
    ['encoder_step', 'float32', [1, E, 1]],
  ];
  const outputs: Feature[] = [
    ['token_id', 'int32', [1, 1, 1]],
    ['token_prob', 'float32', [1, 1, 1]],
    ['h_out', 'float32', [1, 1, H]],
    ['c_out', 'float32', [1, 1, H]],
  ];
  const topK: Feature[] = [
    ['top_k_ids', 'int32', [1, 1, 1, K]],
    ['top_k_logits', 'float32', [1, 1, 1, K]],
  ];
  return { inputs, outputs, topK };
}

/**
 * The lean fused ML Program from the weights of a decoder/joint pair (seed §3.1, ops in order).
 * @param metadata the package's user-defined metadata.
 * @returns a model ready for `writeMlpackage`.
 */
export function buildLeanMlProgram(
  w: MilDecoderJointWeights,
  options: LeanMlProgramOptions = {},
  metadata: Readonly<Record<string, string>> = {},
): MlProgramModel {
  const H = w.hiddenSize;
  const K = options.topK ?? Math.min(64, w.vocabSize);
  const sig = signature(w, K);
  const b = new MilBuilder();
  for (const [name] of [...sig.inputs, ...sig.outputs, ...sig.topK]) b.reserve(name);
  const [lstmOut, lstmH, lstmC] = lstm(
    b,
    w,
    embedTargets(b, w),
    stateIn(b, 'h_in', H),
    stateIn(b, 'c_in', H),
  );
  stateOut(b, lstmH, lstmC, H);
  const f = encoderProjection(b, w);
  const logits = jointLogits(b, w, f, predictionProjection(b, w, lstmOut));
  decision(b, logits, w.vocabSize);
  if (options.withTopK) topKHead(b, logits, K);
  const outputs = [...sig.outputs, ...(options.withTopK ? sig.topK : [])];
  const fn: MilFunction = {
    name: 'main',
    opset: 'ios17',
    inputs: sig.inputs.map(([name, dataType, shape]) => ({
      name,
      type: { kind: 'tensor', dtype: dataType === 'float32' ? 'fp32' : 'int32', shape: [...shape] },
    })),
    attributes: [],
    operations: b.ops,
    outputs: outputs.map(([name]) => name),
  };
  const description: ModelDescription = {
    inputs: sig.inputs.map(featureDescription),
    outputs: outputs.map(featureDescription),
    states: [],
    metadata: {
      author: '@eou/fusion',
      shortDescription:
        'Parakeet EOU fused decoder + joint decision (1 dispatch per RNNT step). LSTM has no ANE kernel; this graph is CPU-resident by design.',
      userDefined: { ...metadata },
    },
  };
  return {
    specificationVersion: 8,
    description,
    program: { version: '1.0', attributes: [], functions: [fn] },
  };
}

/**
 * The lean (or lean+top-k) package model from a shipped `.mlmodelc`/`.mlpackage` pair, with
 * provenance metadata.
 * @throws FusionError `E_CONVERT` naming the model when the pair is not a decoder and a joint.
 */
export function leanMlProgramFromPair(
  decoder: CoreMLModel,
  joint: CoreMLModel,
  options: LeanMlProgramOptions = {},
): MlProgramModel {
  const variant = options.withTopK ? VariantKind.LeanTopk : VariantKind.Lean;
  return buildLeanMlProgram(
    milDecoderJointWeights(decoder, joint),
    options,
    provenanceMetadata(variant, decoder, joint),
  );
}

export const leanCoreMLVariant: CoreMLVariant = {
  kind: VariantKind.Lean,
  description: 'one ML Program rebuilt from the weights, boundary elided, top-k dropped',
  fileName: variantFileName(decodeVariants.lean, 'fused', 'mlpackage'),
  build: (decoder, joint) => leanMlProgramFromPair(decoder, joint),
};
