/**
 * Named normalisers. `harness` is the research harness's (lower-case, split on whitespace),
 * `production` the HF Open-ASR-leaderboard-style English normaliser, `none` only splits.
 */
import { lowercase, splitWords, toNormalizer, type Normalizer } from './transforms';

/** Names of the preset normalisers (the CLI's `--normalizer` values). */
export type NormalizerName = 'harness' | 'production' | 'none';

/** The preset normalisers by name. */
export const presets = {
  /** Research harness: lower-case, then split on any Unicode whitespace. Nothing else. */
  harness: toNormalizer(lowercase),
  /** Split on any Unicode whitespace only: case and punctuation count. */
  none: splitWords,
} as const satisfies Partial<Record<NormalizerName, Normalizer>>;
