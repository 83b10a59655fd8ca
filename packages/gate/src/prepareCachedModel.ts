/**
 * A writable copy of a read-only model directory (an installed package's, a shared mount's) with the
 * fused variants a gate needs built in it: copied once per content hash into a cache directory, each
 * missing variant built on first use from the copy's own decoder and joint.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fuseModelDirectory } from '@eou/fusion';
import { materialize } from './tempSiblings';
import { isBuildableVariant, isVariantPresent } from './variantFiles';

/** What the preparing functions do that takes time, for a caller to tell its user. */
export type PrepareEvent =
  | { readonly kind: 'build-variant'; readonly variant: string; readonly dir: string }
  | { readonly kind: 'generate'; readonly dir: string; readonly files: number };

/** Options of {@link prepareCachedModel}. */
export interface PrepareCachedModelOptions {
  /** The model directory to copy (never written). */
  readonly sourceDir: string;
  /** The files of `sourceDir` to copy, in the order they are hashed (e.g. `@eou/tiny-eou-model`'s `modelFiles`). */
  readonly files: readonly string[];
  /** The cache root; the copy goes to `<cacheDir>/models/<name>-<hash>`. */
  readonly cacheDir: string;
  /** Name of the cache entry, e.g. `tiny-eou`. */
  readonly name: string;
  /** Variants the run needs; those built from the decoder and joint are built when missing. */
  readonly variants: readonly string[];
  readonly onEvent?: (event: PrepareEvent) => void;
}

/** Builds every buildable variant of `variants` missing from `dir`. */
export function buildMissingVariants(
  dir: string,
  variants: readonly string[],
  onEvent?: (event: PrepareEvent) => void,
): void {
  for (const variant of variants) {
    if (!isBuildableVariant(variant) || isVariantPresent(dir, variant)) continue;
    onEvent?.({ kind: 'build-variant', variant, dir });
    fuseModelDirectory(dir, { variant });
  }
}

/**
 * Copies `files` of `sourceDir` into `<cacheDir>/models/<name>-<first 16 hex of their sha256>` (once;
 * atomically, through a temp directory a later run removes if this one is killed) and builds the
 * missing variants there.
 *
 * @returns the cached model directory.
 * @throws the `FusionError` of a variant that cannot be built; file-system errors.
 */
export async function prepareCachedModel(options: PrepareCachedModelOptions): Promise<string> {
  const hash = createHash('sha256');
  for (const name of options.files)
    hash.update(name).update(fs.readFileSync(path.join(options.sourceDir, name)));
  const dir = path.join(options.cacheDir, 'models', `${options.name}-${hash.digest('hex').slice(0, 16)}`);
  await materialize(
    dir,
    (d) => fs.existsSync(path.join(d, 'model.json')),
    (tmp) => {
      for (const name of options.files)
        fs.copyFileSync(path.join(options.sourceDir, name), path.join(tmp, name));
    },
  );
  buildMissingVariants(dir, options.variants, options.onEvent);
  return dir;
}
