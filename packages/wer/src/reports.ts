/**
 * Report writers: JSON (non-finite numbers become null), a plain-text score summary, and
 * Markdown tables for a comparison and its verdict, ready to paste into a pull request.
 */
import type { Comparison, UtteranceDelta } from './compareSystems';
import type { ErrorCounts } from './measures';
import type { Verdict } from './rules';

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

function signed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const s = value.toFixed(digits);
  return value > 0 || (value === 0 && !s.startsWith('-')) ? `+${s}` : s;
}

function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * One-paragraph text summary of a scored corpus (the `eou wer` default output).
 */
export function formatScoreSummary(
  score: ErrorCounts & {
    readonly wer: number;
    readonly meanUtteranceWer?: number;
    readonly utterances?: readonly unknown[];
  },
  label = 'WER',
): string {
  const lines = [
    `${label} ${formatPercent(score.wer)} (${score.errors} errors / ${score.referenceWords} reference words${score.utterances ? `, ${score.utterances.length} utterances` : ''})`,
    `hits ${score.hits}  substitutions ${score.substitutions}  deletions ${score.deletions}  insertions ${score.insertions}`,
  ];
  if (score.meanUtteranceWer !== undefined)
    lines.push(
      `mean of per-utterance ${label} (not the corpus ${label}) ${formatPercent(score.meanUtteranceWer)}`,
    );
  return lines.join('\n') + '\n';
}

function deltaRows(name: string, rows: readonly UtteranceDelta[]): string[] {
  return rows.map(
    (d) =>
      `| ${cell(name)} | ${cell(d.id)} | ${d.referenceWords} | ${d.referenceErrors} | ${d.candidateErrors} | ${signed(d.deltaErrors, 0)} | ${signed(d.deltaPp, 1)} pp |`,
  );
}

/**
 * Markdown report of a comparison (and its verdict when given): systems, significance, blowups,
 * worst deltas, verdict.
 *
 * @param options.title heading text (default "WER comparison"); `maxRows` caps the blowup and
 *   worst-delta tables per candidate (default 10).
 */
export function formatMarkdownReport(
  comparison: Comparison,
  verdict?: Verdict,
  options: { title?: string; maxRows?: number } = {},
): string {
  const maxRows = options.maxRows ?? 10;
  const ref = comparison.referenceSystem;
  const out: string[] = [`## ${options.title ?? 'WER comparison'}`, ''];
  out.push(
    `${comparison.utterances} utterances, ${comparison.referenceWords} reference words; reference system \`${cell(ref)}\`. ` +
      `WER = summed errors / summed reference words. Blowup: an utterance whose errors exceed the reference system's by more than ${(100 * comparison.blowupFraction).toFixed(0)} % of its words.`,
    '',
  );
  if (verdict) out.push(`**Verdict: ${verdict.pass ? 'PASS' : 'FAIL'}**`, '');
  out.push(
    '| system | WER | errors | subs | dels | ins | seq diffs vs ref | Δ WER | Δ errors | blowups |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of comparison.systems) {
    const c = comparison.candidates.find((x) => x.name === s.name);
    out.push(
      `| ${cell(s.name)}${s.name === ref ? ' (reference)' : ''} | ${formatPercent(s.wer)} | ${s.errors} | ${s.substitutions} | ${s.deletions} | ${s.insertions} | ` +
        (c
          ? `${c.seqDiffs}/${comparison.utterances} | ${signed(c.deltaWerPp, 3)} pp | ${signed(c.deltaErrors, 0)} | ${c.blowups.length} |`
          : '— | — | — | — |'),
    );
  }
  if (comparison.candidates.length) {
    out.push('', `### Significance vs \`${cell(ref)}\``, '');
    out.push(
      '| candidate | MAPSSWE p (segments) | sign test p (worse / better / ties) | Wilcoxon p | McNemar p | bootstrap Δ WER CI |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const c of comparison.candidates) {
      const { mapsswe, sign, wilcoxon, mcnemar, bootstrap } = c.significance;
      out.push(
        `| ${cell(c.name)} | ${formatP(mapsswe.pValue)} (${mapsswe.segments}) | ${formatP(sign.pValue)} (${sign.worse} / ${sign.better} / ${sign.ties}) | ` +
          `${formatP(wilcoxon.pValue)} | ${formatP(mcnemar.pValue)} | ` +
          `[${signed(100 * bootstrap.low, 3)}, ${signed(100 * bootstrap.high, 3)}] pp (${Math.round(100 * bootstrap.confidence)} %, ${bootstrap.samples} resamples, seed ${bootstrap.seed}) |`,
      );
    }
    const blowups = comparison.candidates.flatMap((c) => deltaRows(c.name, c.blowups.slice(0, maxRows)));
    out.push('', `### Blowups (> ${(100 * comparison.blowupFraction).toFixed(0)} pp)`, '');
    if (blowups.length)
      out.push(
        '| candidate | utterance | words | ref errors | errors | Δ errors | Δ |',
        '|---|---|---:|---:|---:|---:|---:|',
        ...blowups,
      );
    else out.push('None.');
    const worst = comparison.candidates.flatMap((c) => deltaRows(c.name, c.worst.slice(0, maxRows)));
    out.push('', '### Worst per-utterance deltas', '');
    if (worst.length)
      out.push(
        '| candidate | utterance | words | ref errors | errors | Δ errors | Δ |',
        '|---|---|---:|---:|---:|---:|---:|',
        ...worst,
      );
    else out.push('No utterance got worse.');
  }
  if (verdict) {
    out.push('', '### Gate rules', '');
    if (verdict.rules.length) {
      out.push('| system | rule | threshold | value | result |', '|---|---|---:|---:|---|');
      for (const r of verdict.rules) {
        out.push(
          `| ${cell(r.system)} | \`${cell(r.metric)} ${r.op} ${r.threshold}\` | ${r.threshold} | ${r.value === null ? 'n/a' : Number(r.value.toFixed(6))} | ${r.pass ? 'pass' : '**FAIL**'} |`,
        );
      }
    } else out.push('No rules.');
  }
  return out.join('\n') + '\n';
}
