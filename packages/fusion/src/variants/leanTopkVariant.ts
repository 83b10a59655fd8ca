/** `lean-topk`: `lean` with joint_decision's K-way top-k head kept, to price the head. */
import { decodeVariants, variantFileName } from '@eou/rnnt-decode';
import { FusionError } from '../fusionError';
import { buildLeanGraph } from './leanVariant';
import type { BuildableVariant } from './variantBase';
import { VariantKind } from './variantKind';
import { variantModel } from './variantModel';

/** File name of the lean-topk variant in a model directory. */
export const leanTopkFileName = variantFileName(decodeVariants['lean-topk'], 'fused', 'onnx');

export const leanTopkVariant: BuildableVariant = {
  kind: VariantKind.LeanTopk,
  description: "lean plus the joint's K-way top-k head (top_k_ids, top_k_logits)",
  files: [leanTopkFileName],
  predictionPolicy: 'recompute',
  buildable: true,
  build(input) {
    const K = input.weights.topK;
    if (K <= 0) {
      const file = input.sources.joint.file;
      throw new FusionError(
        `${file}: no TopK head to keep (lean-topk copies the joint's K); build \`lean\` instead`,
        'E_MISSING_TENSOR',
        { file, field: 'TopK' },
      );
    }
    return [
      {
        fileName: leanTopkFileName,
        model: variantModel(VariantKind.LeanTopk, 'fused', buildLeanGraph(input.weights, K), input),
      },
    ];
  },
};
