/** Error rates from counts, with the empty-reference rules written down in one place. */
import type { EditCounts } from './alignIds';

/** Counts of one utterance or a whole corpus. `errors` = substitutions + deletions + insertions. */
export interface ErrorCounts extends EditCounts {
  readonly errors: number;
  /** Reference words: hits + substitutions + deletions. */
  readonly referenceWords: number;
  /** Hypothesis words: hits + substitutions + insertions. */
  readonly hypothesisWords: number;
}

/**
 * `errors / referenceWords`, except for an empty reference: 0/0 = 0 and `errors / 0` = `errors`
 * (every hypothesis word is an insertion and counts fully, as in jiwer 4).
 */
export function errorRate(errors: number, referenceWords: number): number {
  return referenceWords > 0 ? errors / referenceWords : errors;
}

/** Adds hits, S, D and I and derives `errors`, `referenceWords` and `hypothesisWords`. */
export function toErrorCounts(c: EditCounts): ErrorCounts {
  return {
    hits: c.hits,
    substitutions: c.substitutions,
    deletions: c.deletions,
    insertions: c.insertions,
    errors: c.substitutions + c.deletions + c.insertions,
    referenceWords: c.hits + c.substitutions + c.deletions,
    hypothesisWords: c.hits + c.substitutions + c.insertions,
  };
}

/** Sums counts (corpus aggregation: errors and words are summed, never rates). */
export function sumCounts(items: Iterable<EditCounts>): ErrorCounts {
  let hits = 0;
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  for (const c of items) {
    hits += c.hits;
    substitutions += c.substitutions;
    deletions += c.deletions;
    insertions += c.insertions;
  }
  return toErrorCounts({ hits, substitutions, deletions, insertions });
}

/** The jiwer measure family from counts. */
export interface Measures {
  /** Word (or character) error rate: errors / reference words (see {@link errorRate}). */
  readonly wer: number;
  /** Match error rate: errors / (hits + errors); 0 when both are 0. */
  readonly mer: number;
  /** Word information preserved: (hits / reference words) * (hits / hypothesis words); 1 when both are empty. */
  readonly wip: number;
  /** Word information lost: 1 - wip. */
  readonly wil: number;
}

/** Computes {@link Measures} from counts. */
export function measures(c: ErrorCounts): Measures {
  const wer = errorRate(c.errors, c.referenceWords);
  const mer = c.hits + c.errors > 0 ? c.errors / (c.hits + c.errors) : 0;
  let wip: number;
  if (c.referenceWords === 0 && c.hypothesisWords === 0) wip = 1;
  else if (c.referenceWords === 0 || c.hypothesisWords === 0) wip = 0;
  else wip = (c.hits / c.referenceWords) * (c.hits / c.hypothesisWords);
  return { wer, mer, wip, wil: 1 - wip };
}
