/**
 * A parakeet-shaped synthetic model (the real bundle's sizes, so timings mean something) and a
 * matching 200-file corpus with 1 % low-margin frames, generated deterministically on first use into a
 * cache directory: what `eou wer-gate --synthetic` runs on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeSynthModelDirectory } from '@eou/fusion';
import { buildMissingVariants, type PrepareEvent } from './prepareCachedModel';
import { writeSynthCorpus } from './synthCorpus';
import { materialize } from './tempSiblings';

/** Files of the synthetic default corpus. */
export const SYNTHETIC_DEFAULT_FILES = 200;

/** Options of {@link prepareSyntheticDefault}. */
export interface PrepareSyntheticDefaultOptions {
  /** The cache root; the model and corpus go to `<cacheDir>/synthetic-default-v1/{model,corpus}`. */
  readonly cacheDir: string;
  /** Variants the run needs; those built from the decoder and joint are built when missing. */
  readonly variants: readonly string[];
  readonly onEvent?: (event: PrepareEvent) => void;
}

/**
 * Generates (once, atomically, through a temp directory a later run removes if this one is killed) the
 * synthetic model (`parakeet-eou` shape, seed 1) and its corpus (200 files, seed 1, 92 frames per file,
 * low-margin share 0.01), then builds the missing variants.
 *
 * @returns the model and corpus directories.
 */
export async function prepareSyntheticDefault(
  options: PrepareSyntheticDefaultOptions,
): Promise<{ modelDir: string; dataDir: string }> {
  const dir = path.join(options.cacheDir, 'synthetic-default-v1');
  await materialize(
    dir,
    (d) => fs.existsSync(path.join(d, 'corpus', 'manifest.jsonl')),
    (tmp) => {
      options.onEvent?.({ kind: 'generate', dir, files: SYNTHETIC_DEFAULT_FILES });
      writeSynthModelDirectory(path.join(tmp, 'model'), { shape: 'parakeet-eou', seed: 1, margin: 'high' });
      writeSynthCorpus(path.join(tmp, 'model'), path.join(tmp, 'corpus'), {
        files: SYNTHETIC_DEFAULT_FILES,
        lowMarginShare: 0.01,
      });
    },
  );
  const modelDir = path.join(dir, 'model');
  buildMissingVariants(modelDir, options.variants, options.onEvent);
  return { modelDir, dataDir: path.join(dir, 'corpus') };
}
