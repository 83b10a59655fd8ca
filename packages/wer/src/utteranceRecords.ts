/**
 * Per-utterance results as plain records for JSON output (`eou wer --per-utterance`): the id and
 * the utterance's counts, its rate (`null` when its reference is empty) and whether it is correct.
 */
import type { EditCounts } from './alignIds';

/** One utterance of a JSON report. */
export interface UtteranceRecord {
  readonly id: string;
  readonly hits: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  readonly errors: number;
  readonly referenceWords: number;
  readonly hypothesisWords: number;
  /** errors / reference words; null when the reference is empty (the rate is undefined). */
  readonly wer: number | null;
  /** No error at all (the utterance does not count towards the sentence error rate). */
  readonly correct: boolean;
}

/**
 * Records of scored utterances (`scoreCorpus(...).utterances`, or `processWords` pairs with ids).
 */
export function utteranceRecords(
  utterances: Iterable<EditCounts & { readonly id: string }>,
): UtteranceRecord[] {
  const out: UtteranceRecord[] = [];
  for (const u of utterances) {
    const errors = u.substitutions + u.deletions + u.insertions;
    const referenceWords = u.hits + u.substitutions + u.deletions;
    out.push({
      id: u.id,
      hits: u.hits,
      substitutions: u.substitutions,
      deletions: u.deletions,
      insertions: u.insertions,
      errors,
      referenceWords,
      hypothesisWords: u.hits + u.substitutions + u.insertions,
      wer: referenceWords > 0 ? errors / referenceWords : null,
      correct: errors === 0,
    });
  }
  return out;
}
