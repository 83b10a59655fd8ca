/** `ref`: the shipped decoder and joint_decision, two calls per step, prediction net every step. */
import { decodeVariants, variantFileName } from '@eou/rnnt-decode';
import type { ShippedVariant } from './variantBase';
import { VariantKind } from './variantKind';

/** The shipped split files. */
export const splitFileNames = {
  decoder: variantFileName(decodeVariants.ref, 'decoder', 'onnx'),
  joint: variantFileName(decodeVariants.ref, 'joint', 'onnx'),
} as const;

export const refVariant: ShippedVariant = {
  kind: VariantKind.Ref,
  description: 'shipped decoder + joint_decision, prediction net recomputed every step',
  files: [splitFileNames.decoder, splitFileNames.joint],
  predictionPolicy: 'recompute',
  buildable: false,
};
