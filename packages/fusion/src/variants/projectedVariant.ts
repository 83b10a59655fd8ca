/**
 * `projected`: the joint's two input projections hoisted out of the step (NeMo's
 * `project_encoder` / `project_prednet` / `joint_after_projection`). Three graphs: the encoder
 * projection over all frames of a chunk, the prediction net plus its projection (run after an
 * emission), and the joint after projection (add, ReLU, output layer, decision) run every step.
 */
import { decodeVariants, variantFileName } from '@eou/rnnt-decode';
import type { Graph } from '@eou/graph';
import type { DecoderJointWeights } from './decoderJointWeights';
import { GraphDraft, value } from './graphDraft';
import {
  decision,
  decisionOutputs,
  encoderProjection,
  jointLogits,
  predictionInputs,
  predictionNet,
  predictionProjection,
  stateOutputs,
} from './graphParts';
import type { BuildableVariant } from './variantBase';
import { VariantKind } from './variantKind';
import { variantModel } from './variantModel';

/** File names of the three projected graphs. */
export const projectedFileNames = {
  encoder: variantFileName(decodeVariants.projected, 'projectedEncoder', 'onnx'),
  decoder: variantFileName(decodeVariants.projected, 'projectedDecoder', 'onnx'),
  joint: variantFileName(decodeVariants.projected, 'projectedJoint', 'onnx'),
} as const;

/** `encoder_frames` [T,E] -> `encoder_projected` [T,J]. */
export function buildProjectedEncoderGraph(w: DecoderJointWeights): Graph {
  const g = new GraphDraft();
  encoderProjection(g, w, 'encoder_frames', 'encoder_projected');
  return g.toGraph(
    'projected_encoder',
    [value('encoder_frames', 'float32', ['T', w.encoderDim])],
    [value('encoder_projected', 'float32', ['T', w.jointDim])],
  );
}

/** `targets`, `h_in`, `c_in` -> `decoder_projected` [b,J], `h_out`, `c_out`. */
export function buildProjectedDecoderGraph(w: DecoderJointWeights): Graph {
  const g = new GraphDraft();
  const pred = predictionNet(g, w);
  predictionProjection(g, w, pred, 'decoder_projected');
  return g.toGraph('projected_decoder', predictionInputs(w), [
    value('decoder_projected', 'float32', [w.batch, w.jointDim]),
    ...stateOutputs(w),
  ]);
}

/** `encoder_projected` [b,J], `decoder_projected` [b,J] -> `token_id`, `token_prob` [b,1,1]. */
export function buildProjectedJointGraph(w: DecoderJointWeights): Graph {
  const g = new GraphDraft();
  decision(g, jointLogits(g, w, 'encoder_projected', 'decoder_projected'), w.rounding.probs);
  const inputs = [
    value('encoder_projected', 'float32', [w.batch, w.jointDim]),
    value('decoder_projected', 'float32', [w.batch, w.jointDim]),
  ];
  return g.toGraph('projected_joint', inputs, decisionOutputs(w));
}

export const projectedVariant: BuildableVariant = {
  kind: VariantKind.Projected,
  description:
    'joint projections hoisted: encoder projected once per chunk, prediction net once per emission',
  files: Object.values(projectedFileNames),
  predictionPolicy: 'cache',
  buildable: true,
  build: (input) => {
    const w = input.weights;
    return [
      {
        fileName: projectedFileNames.encoder,
        model: variantModel(VariantKind.Projected, 'projected_encoder', buildProjectedEncoderGraph(w), input),
      },
      {
        fileName: projectedFileNames.decoder,
        model: variantModel(VariantKind.Projected, 'projected_decoder', buildProjectedDecoderGraph(w), input),
      },
      {
        fileName: projectedFileNames.joint,
        model: variantModel(VariantKind.Projected, 'projected_joint', buildProjectedJointGraph(w), input),
      },
    ];
  },
};
