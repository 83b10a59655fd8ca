/** `lean-topk` as a CoreML ML Program: `lean` with the sorted K-way top-k head (seed §3.2). */
import { decodeVariants, variantFileName } from '@eou/rnnt-decode';
import { VariantKind } from '../variants/variantKind';
import type { CoreMLVariant } from './coremlVariantBase';
import { leanMlProgramFromPair } from './leanCoreMLVariant';

export const leanTopkCoreMLVariant: CoreMLVariant = {
  kind: VariantKind.LeanTopk,
  description: 'lean plus the sorted top-k head (top_k_ids, top_k_logits; K = min(64, V))',
  fileName: variantFileName(decodeVariants['lean-topk'], 'fused', 'mlpackage'),
  build: (decoder, joint) => leanMlProgramFromPair(decoder, joint, { withTopK: true }),
};
