/** Error rates from counts, with the empty-reference rules written down in one place. */
import type { EditCounts } from './alignIds';
import { WerError } from './werError';

/** Counts of one utterance or a whole corpus. `errors` = substitutions + deletions + insertions. */
export interface ErrorCounts extends EditCounts {
  readonly errors: number;
  /** Reference words: hits + substitutions + deletions. */
  readonly referenceWords: number;
  /** Hypothesis words: hits + substitutions + insertions. */
  readonly hypothesisWords: number;
}

/**
 * `errors / referenceWords`; with no reference words the rate is undefined and this returns NaN
 * (never 0, never the insertion count): `toJson` writes it as `null`, `formatPercent` as `n/a`.
 * Use {@link rateOutcome} for the typed form.
 */
export function errorRate(errors: number, referenceWords: number): number {
  return referenceWords > 0 ? errors / referenceWords : NaN;
}

/** Why a rate has no value. */
export type UndefinedRateReason = 'no-reference-words' | 'no-utterances';

/**
 * An error rate as a typed outcome: a value, or the reason there is none. A caller (the CLI, a
 * gate) refuses the undefined case by testing `defined` (or with {@link requireDefinedRate}).
 */
export type RateOutcome =
  | { readonly defined: true; readonly value: number }
  | {
      readonly defined: false;
      readonly value: null;
      readonly reason: UndefinedRateReason;
      /** One sentence for a person, e.g. "WER is undefined: the references have no words (3 insertions)". */
      readonly message: string;
    };

/**
 * The outcome of `errors / referenceWords`.
 *
 * @param unit what is counted, for the message (`words` or `characters`).
 */
export function rateOutcome(errors: number, referenceWords: number, unit = 'words'): RateOutcome {
  if (referenceWords > 0) return { defined: true, value: errors / referenceWords };
  return {
    defined: false,
    value: null,
    reason: 'no-reference-words',
    message: `the error rate is undefined: the references have no ${unit} (${errors} insertion${errors === 1 ? '' : 's'})`,
  };
}

/**
 * The value of a rate, or a `WerError` `E_UNDEFINED_RATE` carrying its reason (for callers that
 * must refuse to report or gate on an undefined rate).
 *
 * @param what names the scored input in the message (a file name, a system name).
 */
export function requireDefinedRate(rate: RateOutcome, what: string): number {
  if (rate.defined) return rate.value;
  throw new WerError('E_UNDEFINED_RATE', `${what}: ${rate.message}`, { field: rate.reason });
}

/** Sentence (utterance) error rate: utterances with at least one error / utterances; NaN for none. */
export function sentenceErrorRate(sentenceErrors: number, sentences: number): number {
  return sentences > 0 ? sentenceErrors / sentences : NaN;
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
  /** Word (or character) error rate: errors / reference words; NaN (JSON null) when there are none. */
  readonly wer: number;
  /** The same rate as a typed outcome (`defined`, `value`, or `reason` and `message`). */
  readonly rate: RateOutcome;
  /** Match error rate: errors / (hits + errors); 0 when both are 0. */
  readonly mer: number;
  /** Word information preserved: (hits / reference words) * (hits / hypothesis words); 1 when both are empty. */
  readonly wip: number;
  /** Word information lost: 1 - wip. */
  readonly wil: number;
}

/**
 * Computes {@link Measures} from counts. `mer`, `wip` and `wil` keep jiwer's conventions for
 * empty sides (below); only the error rate is undefined without reference words.
 *
 * @param unit what is counted, for the undefined-rate message.
 */
export function measures(c: ErrorCounts, unit = 'words'): Measures {
  const wer = errorRate(c.errors, c.referenceWords);
  const mer = c.hits + c.errors > 0 ? c.errors / (c.hits + c.errors) : 0;
  let wip: number;
  if (c.referenceWords === 0 && c.hypothesisWords === 0) wip = 1;
  else if (c.referenceWords === 0 || c.hypothesisWords === 0) wip = 0;
  else wip = (c.hits / c.referenceWords) * (c.hits / c.hypothesisWords);
  return { wer, rate: rateOutcome(c.errors, c.referenceWords, unit), mer, wip, wil: 1 - wip };
}
