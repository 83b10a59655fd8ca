/** `cached`: the shipped pair with the prediction net run only after an emission (no new graph). */
import { splitFileNames } from './refVariant';
import type { ShippedVariant } from './variantBase';
import { VariantKind } from './variantKind';

export const cachedVariant: ShippedVariant = {
  kind: VariantKind.Cached,
  description: 'shipped decoder + joint_decision, prediction net run only after an emission',
  files: [splitFileNames.decoder, splitFileNames.joint],
  predictionPolicy: 'cache',
  buildable: false,
};
