/**
 * Named normalisers. `harness` is the research harness's (lower-case, split on whitespace),
 * `production` the HF Open-ASR-leaderboard-style English normaliser, `none` only splits.
 */
import { normalizeEnglish } from './englishNormalizer';
import { lowercase, splitWords, toNormalizer, type Normalizer } from './transforms';

/** Names of the preset normalisers (the CLI's `--normalizer` values). */
export type NormalizerName = 'harness' | 'production' | 'none';

/** The preset normalisers by name. */
export const presets = {
  /** Research harness (the seed's WER gate): lower-case, then split on any Unicode whitespace. Nothing else. */
  harness: toNormalizer(lowercase),
  /** Production benchmark style: {@link normalizeEnglish} (Whisper / Open ASR leaderboard behaviour), then split. */
  production: toNormalizer(normalizeEnglish),
  /** Split on any Unicode whitespace only: case and punctuation count. */
  none: splitWords,
} as const satisfies Record<NormalizerName, Normalizer>;

/** Names accepted by {@link normalizerByName}. */
export const normalizerNames: readonly NormalizerName[] = ['harness', 'production', 'none'];

/**
 * Looks a preset up by name.
 *
 * @throws {RangeError} for an unknown name, listing the known ones.
 */
export function normalizerByName(name: string): Normalizer {
  if (!(normalizerNames as readonly string[]).includes(name)) {
    throw new RangeError(`unknown normalizer '${name}' (known: ${normalizerNames.join(', ')})`);
  }
  return presets[name as NormalizerName];
}
