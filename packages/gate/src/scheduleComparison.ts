/**
 * The same candidates gated under several chunk schedules, side by side: per schedule its definition
 * and verdict, per schedule and variant WER, Δ vs the reference, token identity and EOU timing, and
 * how far the schedules themselves move the transcripts (files whose reference transcript differs
 * from the first schedule's, and what the schedules' definitions differ in). The schedule is a
 * property of the host, not of the variants: a candidate can pass under one and fail under another
 * (seed: 4 truncation blowups under the harness's raw windows vanished under production overlap).
 */
import path from 'node:path';
import { eouHandling } from './eouHandling';
import type { GateReport } from './gateReport';
import { readResults } from './resultsLog';
import { escapeXml } from './svgPlot';

export const SCHEDULE_COMPARISON_FORMAT = 'eou-wer-gate-schedules/1';

/** One schedule's row group. */
export interface ScheduleEntry {
  readonly schedule: string;
  readonly definition: Readonly<Record<string, unknown>>;
  readonly eouPolicy: string;
  /** What ends utterances under it ({@link eouHandling}: the policy, or what applies without an `<EOU>` token). */
  readonly endOfUtterance: string;
  readonly outDir: string;
  readonly pass: boolean;
  readonly failedRules: readonly string[];
  readonly files: number;
  readonly words: number;
  /** Files whose reference-variant transcript differs from the first schedule's (0 for the first). */
  readonly referenceTextDiffsVsFirst: number;
  readonly variants: readonly {
    readonly name: string;
    readonly wer: number;
    readonly errors: number;
    readonly deltaWerPp: number;
    readonly seqDiffVsRef: number;
    readonly blowups: number;
    readonly eouLatencyP50Ms: number | null;
    readonly eouLatencyP90Ms: number | null;
    readonly earlyCutRate: number | null;
    readonly missedRate: number | null;
  }[];
}

/** The combined report. */
export interface ScheduleComparison {
  readonly format: typeof SCHEDULE_COMPARISON_FORMAT;
  readonly pass: boolean;
  readonly reference: string;
  readonly schedules: readonly ScheduleEntry[];
  /** Definition fields that differ between the schedules, with each schedule's value. */
  readonly differences: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly note: string;
}

function referenceTexts(outDir: string, reference: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readResults(path.join(outDir, 'results.jsonl')).files)
    if (f.status === 'ok') out.set(f.id, f.variants[reference]?.text ?? '');
  return out;
}

/** Builds the comparison of schedule runs (first = the baseline of the text diffs). */
export function compareSchedules(
  runs: readonly { readonly schedule: string; readonly outDir: string; readonly report: GateReport }[],
): ScheduleComparison {
  const reference = runs[0]!.report.reference;
  const firstTexts = referenceTexts(runs[0]!.outDir, reference);
  const schedules = runs.map(({ schedule, outDir, report }, k): ScheduleEntry => {
    const texts = k === 0 ? firstTexts : referenceTexts(outDir, reference);
    let diffs = 0;
    for (const [id, t] of texts) if (firstTexts.has(id) && firstTexts.get(id) !== t) diffs += 1;
    return {
      schedule,
      definition: report.schedule?.definition ?? {},
      eouPolicy: report.corpus.eouPolicy,
      endOfUtterance: eouHandling(report),
      outDir,
      pass: report.verdict.pass,
      failedRules: report.verdict.rules.filter((r) => !r.pass).map((r) => `${r.name} [${r.variant}]`),
      files: report.corpus.scoredFiles,
      words: report.corpus.words,
      referenceTextDiffsVsFirst: diffs,
      variants: report.variants.map((v) => {
        const e = report.eou?.variants.find((x) => x.variant === v.name);
        return {
          name: v.name,
          wer: v.wer,
          errors: v.errors,
          deltaWerPp: v.deltaWerPp,
          seqDiffVsRef: v.seqDiffVsRef,
          blowups: report.blowups.filter((b) => b.variant === v.name).length,
          eouLatencyP50Ms: e?.latencyMs?.p50 ?? null,
          eouLatencyP90Ms: e?.latencyMs?.p90 ?? null,
          earlyCutRate: e?.earlyCutRate ?? null,
          missedRate: e?.missedRate ?? null,
        };
      }),
    };
  });
  // Without an <EOU> token the policies differ in name only.
  const policyActs = runs.some((r) => r.report.corpus.eouId !== null);
  const keys = new Set(
    schedules.flatMap((s) => Object.keys(s.definition)).concat(policyActs ? ['eouPolicy'] : []),
  );
  const differences: Record<string, Record<string, unknown>> = {};
  for (const key of keys) {
    const values = schedules.map((s) => (key === 'eouPolicy' ? s.eouPolicy : s.definition[key]));
    if (new Set(values.map((v) => JSON.stringify(v))).size > 1)
      differences[key] = Object.fromEntries(schedules.map((s, i) => [s.schedule, values[i] ?? null]));
  }
  return {
    format: SCHEDULE_COMPARISON_FORMAT,
    pass: schedules.every((s) => s.pass),
    reference,
    schedules,
    differences,
    note: 'Every schedule encodes the same audio with the same encoder; within a schedule every variant decodes identical frames. Differences between schedules come from the host (how the stream is cut, which columns are decoded, the tail, the EOU policy), not from the variants.',
  };
}

const pct = (f: number) => `${(100 * f).toFixed(2)}%`;
const ms = (v: number | null) => (v === null ? '—' : String(Math.round(v)));

function rows(c: ScheduleComparison): string[][] {
  return c.schedules.flatMap((s) =>
    s.variants.map((v) => [
      s.schedule,
      v.name,
      pct(v.wer),
      String(v.errors),
      v.name === c.reference ? '—' : `${v.deltaWerPp >= 0 ? '+' : ''}${v.deltaWerPp.toFixed(3)} pp`,
      v.name === c.reference ? '—' : `${v.seqDiffVsRef}/${s.files}`,
      String(v.blowups),
      `${ms(v.eouLatencyP50Ms)} / ${ms(v.eouLatencyP90Ms)}`,
      v.earlyCutRate === null ? '—' : `${pct(v.earlyCutRate)} / ${pct(v.missedRate ?? 0)}`,
      s.pass ? 'pass' : 'FAIL',
    ]),
  );
}

const HEAD = [
  'schedule',
  'variant',
  'WER',
  'errors',
  'Δ vs ref',
  'seq diffs',
  'blowups',
  'EOU p50 / p90 ms',
  'early / missed',
  'verdict',
];

/** The comparison as Markdown or self-contained HTML. */
export function renderScheduleComparison(c: ScheduleComparison, as: 'markdown' | 'html'): string {
  const title = `${c.pass ? 'PASS' : 'FAIL'}: ${c.schedules.length} schedules (${c.schedules.map((s) => s.schedule).join(', ')}), reference ${c.reference}`;
  const defRows = c.schedules.map((s) => [
    s.schedule,
    JSON.stringify(s.definition),
    s.endOfUtterance,
    `${s.referenceTextDiffsVsFirst}/${s.files}`,
    s.failedRules.join('; ') || '—',
    s.outDir,
  ]);
  const defHead = [
    'schedule',
    'definition',
    'end of utterance',
    `reference transcripts ≠ ${c.schedules[0]!.schedule}`,
    'failed rules',
    'full report',
  ];
  const diffText = Object.entries(c.differences)
    .map(
      ([k, v]) =>
        `${k}: ${Object.entries(v)
          .map(([s, x]) => `${s} ${JSON.stringify(x)}`)
          .join(', ')}`,
    )
    .join('; ');
  if (as === 'markdown') {
    const table = (head: string[], body: string[][]) =>
      [
        `| ${head.join(' | ')} |`,
        `|${head.map(() => '---').join('|')}|`,
        ...body.map((r) => `| ${r.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`),
      ].join('\n');
    return [
      '# WER gate report: schedules side by side',
      '',
      `**${title}**`,
      '',
      table(HEAD, rows(c)),
      '',
      '## Schedules',
      '',
      table(defHead, defRows),
      '',
      `What the schedules differ in: ${diffText || 'nothing'}.`,
      '',
      c.note,
      '',
    ].join('\n');
  }
  const html = (head: string[], body: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${body
      .map((r) => `<tr>${r.map((x) => `<td>${escapeXml(x)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WER gate: schedules side by side</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px}table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left}th{background:#f9fafb}.pass{background:#dcfce7}.fail{background:#fee2e2}</style></head>
<body><h1>WER gate: schedules side by side</h1>
<p class="${c.pass ? 'pass' : 'fail'}" id="verdict">${escapeXml(title)}</p>
${html(HEAD, rows(c))}
<h2>Schedules</h2>${html(defHead, defRows)}
<p>${escapeXml(`What the schedules differ in: ${diffText || 'nothing'}.`)}</p><p>${escapeXml(c.note)}</p>
</body></html>
`;
}
