/**
 * Report writers: JSON (non-finite numbers become null) and the plain-text score summary of
 * `eou wer`. (The gate's Markdown and HTML reports are `@eou/gate`'s.)
 */
import type { ErrorCounts } from './measures';

/**
 * JSON text of `value` with a final newline; NaN and ±Infinity become `null`.
 *
 * @param options.indent spaces per level (default 2; 0 for one line).
 */
export function toJson(value: unknown, options: { indent?: number } = {}): string {
  const indent = options.indent ?? 2;
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      indent || undefined,
    ) + '\n'
  );
}

/** `12.346%` style percentage of a fraction. */
export function formatPercent(fraction: number, digits = 3): string {
  return Number.isFinite(fraction) ? `${(100 * fraction).toFixed(digits)}%` : 'n/a';
}

/** Options of {@link formatScoreSummary}. */
export interface ScoreSummaryOptions {
  /** What the tokens are: `words` (default) or `characters` (a CER), named in the text. */
  readonly unit?: 'words' | 'characters';
}

/**
 * One-paragraph text summary of a scored corpus (the `eou wer` default output): the corpus rate
 * (or why it is undefined), the counts, the sentence error rate when the score has one, and the
 * labelled mean of per-utterance rates.
 */
export function formatScoreSummary(
  score: ErrorCounts & {
    readonly wer: number;
    readonly meanUtteranceWer?: number;
    readonly utterances?: readonly unknown[];
    readonly sentences?: number;
    readonly sentenceErrors?: number;
    readonly ser?: number;
  },
  label = 'WER',
  options: ScoreSummaryOptions = {},
): string {
  const unit = options.unit ?? 'words';
  const count = score.utterances ? `, ${score.utterances.length} utterances` : '';
  const rate = Number.isFinite(score.wer)
    ? `${label} ${formatPercent(score.wer)} (${score.errors} errors / ${score.referenceWords} reference ${unit}${count})`
    : `${label} undefined: no reference ${unit} (${score.errors} errors${count})`;
  const lines = [
    rate,
    `hits ${score.hits}  substitutions ${score.substitutions}  deletions ${score.deletions}  insertions ${score.insertions}`,
  ];
  if (score.ser !== undefined && score.sentences !== undefined && score.sentenceErrors !== undefined)
    lines.push(
      `SER ${formatPercent(score.ser)} (${score.sentenceErrors} of ${score.sentences} utterances with an error)`,
    );
  if (score.meanUtteranceWer !== undefined)
    lines.push(
      `mean of per-utterance ${label} (not the corpus ${label}) ${formatPercent(score.meanUtteranceWer)}`,
    );
  return lines.join('\n') + '\n';
}
