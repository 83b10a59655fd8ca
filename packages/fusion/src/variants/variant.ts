/** The variant union and its lookup table (one entry per {@link VariantKind}). */
import { FusionError } from '../fusionError';
import { cachedVariant } from './cachedVariant';
import { leanTopkVariant } from './leanTopkVariant';
import { leanVariant } from './leanVariant';
import { pipelineVariant } from './pipelineVariant';
import { projectedVariant } from './projectedVariant';
import { fp16Variant, int8Variant } from './quantizedVariants';
import { refVariant } from './refVariant';
import type { BuildableVariant, ShippedVariant } from './variantBase';
import { VariantKind, variantKinds } from './variantKind';

/** Any variant. */
export type Variant = BuildableVariant | ShippedVariant;

/** Every variant by kind; `satisfies` makes a new kind without an entry a compile error. */
export const variants = {
  [VariantKind.Ref]: refVariant,
  [VariantKind.Cached]: cachedVariant,
  [VariantKind.Pipeline]: pipelineVariant,
  [VariantKind.Lean]: leanVariant,
  [VariantKind.LeanTopk]: leanTopkVariant,
  [VariantKind.Projected]: projectedVariant,
  [VariantKind.Int8]: int8Variant,
  [VariantKind.Fp16]: fp16Variant,
} as const satisfies Record<VariantKind, Variant>;

/**
 * The variant named `name`.
 * @throws FusionError `E_VARIANT` naming the known variants.
 */
export function variantOf(name: string): Variant {
  const v = (variants as Record<string, Variant>)[name];
  if (!v)
    throw new FusionError(
      `unknown variant '${name}' (expected one of ${variantKinds.join(', ')})`,
      'E_VARIANT',
      { field: 'variant' },
    );
  return v;
}

/** The variants `eou fuse` builds. */
export const buildableVariantKinds: readonly VariantKind[] = variantKinds.filter(
  (k) => variants[k].buildable,
);
