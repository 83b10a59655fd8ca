/** The CoreML variants and their lookup table (one entry per {@link CoreMLVariantKind}). */
import { VariantKind } from '../variants/variantKind';
import type { CoreMLVariant, CoreMLVariantKind } from './coremlVariantBase';
import { leanCoreMLVariant } from './leanCoreMLVariant';
import { leanTopkCoreMLVariant } from './leanTopkCoreMLVariant';
import { pipelineCoreMLVariant } from './pipelineCoreMLVariant';

/** Every CoreML variant by kind; `satisfies` makes a kind without an entry a compile error. */
export const coremlVariants = {
  [VariantKind.Lean]: leanCoreMLVariant,
  [VariantKind.LeanTopk]: leanTopkCoreMLVariant,
  [VariantKind.Pipeline]: pipelineCoreMLVariant,
} as const satisfies Record<CoreMLVariantKind, CoreMLVariant>;

/** The package each CoreML variant writes in a model directory (seed §3), by kind. */
export const coremlVariantFileNames: Readonly<Record<CoreMLVariantKind, string>> = Object.fromEntries(
  Object.values(coremlVariants).map((v) => [v.kind, v.fileName]),
) as Record<CoreMLVariantKind, string>;

/** True when `name` is a variant with a CoreML build. */
export function isCoreMLVariantKind(name: string): name is CoreMLVariantKind {
  return Object.hasOwn(coremlVariants, name);
}
