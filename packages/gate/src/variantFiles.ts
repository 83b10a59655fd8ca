/**
 * Every place the gate needs a variant's file names or whether it is built, in one module, read from
 * the variant registry of `@eou/rnnt-decode`. When that registry changes shape, this is the only file
 * of the gate to switch. (No `@eou/fusion` import: the decode worker loads this module.)
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  variantFiles,
  variantNames,
  variantSpec,
  type ModelExt,
  type ModelLayout,
  type VariantRegistry,
} from '@eou/rnnt-decode';

/**
 * Which loaded model runs for a requested variant: in the eou layout `ref` runs as `cached` (same
 * decisions, fewer calls); the sherpa-onnx layout's `ref` already runs under the `cache` policy.
 */
export function executionVariant(variant: string, layout: ModelLayout = 'eou'): string {
  return variant === 'ref' && layout === 'eou' ? 'cached' : variant;
}

/** Whether `variant` is a name the gate knows. */
export function isVariantName(variant: string): boolean {
  return (variantNames as readonly string[]).includes(variant);
}

/** The variant names the gate knows, for messages. */
export const knownVariants: readonly string[] = variantNames;

/**
 * The files (`<stem>.<ext>`) `variant` loads from a model directory, sorted.
 * @param registry the model's variants (its layout's built-ins, its own and declared ones); default
 *   the eou layout's built-ins
 */
export function variantFileNames(variant: string, ext: ModelExt, registry?: VariantRegistry): string[] {
  const exec = executionVariant(variant, registry?.layout);
  const spec = registry === undefined ? variantSpec(exec) : registry.spec(exec);
  return Object.values(variantFiles(spec, ext)).sort();
}

/** Whether `variant` is built from a directory's decoder and joint (by `@eou/fusion`), as the registry says. */
export function isBuildableVariant(variant: string): boolean {
  return isVariantName(variant) && variantSpec(variant).buildable;
}

/** Whether every ONNX file `variant` loads is in `modelDir`. */
export function isVariantPresent(modelDir: string, variant: string): boolean {
  return variantFileNames(variant, 'onnx').every((name) => fs.existsSync(path.join(modelDir, name)));
}
