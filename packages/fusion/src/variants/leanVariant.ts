/**
 * `lean`: one graph rebuilt from the weights. Embedding gather, LSTM, the joint's three linears,
 * ReLU, argmax and the softmax probability of the argmax; the decoder -> joint boundary
 * (Squeeze, two Transposes, Reshape) is elided, the top-k head dropped and `target_length` gone.
 * Rounding points and kernels are those of the shipped pair (see graphParts.ts and the README).
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
  topKHead,
  topKOutputs,
} from './graphParts';
import type { BuildableVariant } from './variantBase';
import { VariantKind } from './variantKind';
import { variantModel } from './variantModel';

/** File name of the lean variant in a model directory. */
export const leanFileName = variantFileName(decodeVariants.lean, 'fused', 'onnx');

/** The lean step graph; with `topK` > 0 the K-way head is kept (`lean-topk`). */
export function buildLeanGraph(w: DecoderJointWeights, topK = 0): Graph {
  const g = new GraphDraft();
  const pred = predictionNet(g, w);
  const enc = g.reshape('encoder_step', [-1, w.encoderDim]); // [b,E,1] -> [b,E]: a relabelling
  const logits = jointLogits(g, w, encoderProjection(g, w, enc), predictionProjection(g, w, pred));
  decision(g, logits, w.rounding.probs);
  if (topK > 0) topKHead(g, logits, topK);
  const inputs = [...predictionInputs(w), value('encoder_step', 'float32', [w.batch, w.encoderDim, 1])];
  const outputs = [...decisionOutputs(w), ...(topK > 0 ? topKOutputs(w, topK) : []), ...stateOutputs(w)];
  return g.toGraph(
    (topK > 0 ? decodeVariants['lean-topk'] : decodeVariants.lean).stems.fused!,
    inputs,
    outputs,
  );
}

export const leanVariant: BuildableVariant = {
  kind: VariantKind.Lean,
  description: 'one graph rebuilt from the weights, boundary elided, top-k dropped, no target_length',
  files: [leanFileName],
  predictionPolicy: 'recompute',
  buildable: true,
  build: (input) => [
    {
      fileName: leanFileName,
      model: variantModel(VariantKind.Lean, 'fused', buildLeanGraph(input.weights), input),
    },
  ],
};
