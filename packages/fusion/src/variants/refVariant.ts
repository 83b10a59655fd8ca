/** `ref`: the shipped decoder and joint_decision, two calls per step, prediction net every step. */
import type { ShippedVariant } from './variantBase';
import { VariantKind } from './variantKind';

/** The shipped split files. */
export const splitFileNames = { decoder: 'decoder.onnx', joint: 'joint_decision.onnx' } as const;

export const refVariant: ShippedVariant = {
  kind: VariantKind.Ref,
  description: 'shipped decoder + joint_decision, prediction net recomputed every step',
  files: [splitFileNames.decoder, splitFileNames.joint],
  predictionPolicy: 'recompute',
  buildable: false,
};
