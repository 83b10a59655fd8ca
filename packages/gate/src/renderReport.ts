/** Renders a {@link GateReport} as Markdown (for pull requests) and as self-contained HTML with plots. */
import { eouHandling } from './eouHandling';
import { eouPlots, eouSections } from './eouSections';
import { ALIGNED_CSS, alignedExamplesHtml, alignedExamplesMarkdown } from './alignedText';
import type { GateReport } from './gateReport';
import { errorRateByLengthPlot } from './lengthPlot';
import { variantColors } from './palette';
import { errorScatterPlot } from './scatterPlot';
import { boxPlot, escapeXml, histogramPlot, sortedProfilePlot } from './svgPlot';

const pct = (fraction: number) => `${(100 * fraction).toFixed(3)}%`;
const pp = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(3)} pp`;
const num = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const pValue = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escapeCell = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

interface Section {
  readonly title: string;
  /** Raw Markdown to print after this section (the aligned text after the worst deltas). */
  readonly markdownAfter?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly note?: string;
}

function sections(report: GateReport): Section[] {
  const out: Section[] = [];
  out.push({
    title: 'Verdict rules',
    header: ['rule', 'variant', 'metric', 'threshold', 'value', 'result'],
    rows: report.verdict.rules.map((r) => [
      r.name,
      r.variant,
      r.metric,
      `${r.op} ${r.threshold}`,
      Number.isInteger(r.value) ? String(r.value) : num(r.value, 4),
      r.pass ? 'pass' : '**FAIL**',
    ]),
  });
  out.push({
    title: 'Variants',
    header: [
      'variant',
      'role',
      'WER',
      'Δ vs ref',
      'errors',
      'S',
      'D',
      'I',
      'words',
      'seq diffs vs ref',
      'mean per-file WER',
    ],
    rows: report.variants.map((v) => [
      v.name,
      v.role,
      pct(v.wer),
      v.role === 'reference' ? '—' : pp(v.deltaWerPp),
      String(v.errors),
      String(v.substitutions),
      String(v.deletions),
      String(v.insertions),
      String(v.words),
      v.role === 'reference' ? '—' : `${v.seqDiffVsRef}/${report.corpus.scoredFiles}`,
      pct(v.meanFileWer),
    ]),
    note: 'WER is corpus-level (sum of errors / sum of reference words). The mean of per-file WERs is shown for comparison with benchmarks that report it; the gate never uses it.',
  });
  const deltaErrors = (b: { errors: number; refErrors: number }) => b.errors - b.refErrors;
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${v}`;
  out.push({
    title: `Blowups (files where a candidate's errors exceed the reference's by more than ${(report.blowupFraction * 100).toFixed(0)}% of the reference words; largest Δ pp first)`,
    header: ['variant', 'file', 'words', 'ref errors', 'errors', 'Δ errors', 'Δ pp'],
    rows: [...report.blowups]
      .sort((a, b) => b.deltaPp - a.deltaPp || deltaErrors(b) - deltaErrors(a))
      .map((b) => [
        b.variant,
        b.id,
        String(b.words),
        String(b.refErrors),
        String(b.errors),
        signed(deltaErrors(b)),
        pp(b.deltaPp),
      ]),
  });
  out.push({
    title: 'Worst per-file deltas (largest Δ errors first)',
    header: ['variant', 'file', 'words', 'ref errors', 'errors', 'Δ errors', 'Δ pp'],
    rows: [...report.worstDeltas]
      .sort((a, b) => deltaErrors(b) - deltaErrors(a) || b.deltaPp - a.deltaPp)
      .map((b) => [
        b.variant,
        b.id,
        String(b.words),
        String(b.refErrors),
        String(b.errors),
        signed(deltaErrors(b)),
        pp(b.deltaPp),
      ]),
    markdownAfter: alignedExamplesMarkdown(report),
  });
  out.push({
    title: 'Significance (candidate vs reference)',
    header: [
      'variant',
      'MAPSSWE z',
      'MAPSSWE p',
      'sign test better/worse/ties',
      'sign p',
      'bootstrap ΔWER CI',
    ],
    rows: report.significance.map((s) => [
      s.variant,
      num(s.mapsswe.z, 3),
      pValue(s.mapsswe.p),
      `${s.signTest.better}/${s.signTest.worse}/${s.signTest.ties}`,
      pValue(s.signTest.p),
      `[${pp(s.bootstrap.low)}, ${pp(s.bootstrap.high)}] (${(s.bootstrap.level * 100).toFixed(0)}%, ${s.bootstrap.resamples} resamples, seed ${s.bootstrap.seed})`,
    ]),
  });
  out.push({
    title: 'Decode time per variant',
    header: ['variant', 'total s', 'median ms/file', 'p90 ms/file', 'RTFx'],
    rows: report.timing.variants.map((t) => [
      t.variant,
      num(t.totalMs / 1000, 2),
      num(t.medianFileMs, 2),
      num(t.p90FileMs, 2),
      t.rtfx === null ? '—' : num(t.rtfx, 1),
    ]),
    note: `${report.variants.some((v) => v.name === 'ref') ? "`ref` is decoded with the prediction-net cache (the same decisions as recomputing it), so its time is the cached loop's. " : ''}Wall time ${num(report.timing.wallSec, 1)} s; peak RSS ${num(report.timing.peakRssMiB, 0)} MiB; execution: ${report.execution.mode} (${report.execution.workers} worker${report.execution.workers === 1 ? '' : 's'}${report.execution.batch && report.execution.batch.rows > 1 ? `; B = ${report.execution.batch.rows}, lock step: ${report.execution.batch.batched.join(', ') || 'none'}` : ''}); ${report.execution.identicalCheck}${report.execution.resumedFiles ? `; ${report.execution.resumedFiles} files were decoded by an earlier run of the same settings, which this one resumed (wall time covers this run only)` : ''}.`,
  });
  out.push(...eouSections(report));
  if (report.corpus.failed.length) {
    out.push({
      title: 'Files that could not be decoded',
      header: ['file', 'reason'],
      rows: report.corpus.failed.map((f) => [f.id, f.reason]),
    });
  }
  out.push({
    title: 'Provenance',
    header: ['what', 'value'],
    rows: [
      ['command', `\`${report.provenance.command}\``],
      ['model', report.provenance.model.dir],
      ...Object.entries(report.provenance.model.files).map(([f, h]) => [`  ${f}`, `sha256 ${h}`]),
      ['data', `${report.provenance.data.dir} (manifest sha256 ${report.provenance.data.manifestSha256})`],
      ['settings hash', report.provenance.settingsHash],
      ['shards', report.provenance.shards.join(', ')],
      ...(report.provenance.shardSources ?? []).map((s) => ['shard from', s]),
      ...Object.entries(report.provenance.versions).map(([n, v]) => [n, v]),
      ['generated', report.provenance.generatedAt],
    ],
  });
  return out;
}

function headline(report: GateReport): string {
  const cands = report.variants
    .filter((v) => v.role === 'candidate')
    .map((v) => `${v.name} ${pp(v.deltaWerPp)}`);
  const schedule = report.schedule === undefined ? '' : `, schedule ${report.schedule.name}`;
  return `${report.verdict.pass ? 'PASS' : 'FAIL'}: reference ${report.reference} on ${report.corpus.scoredFiles} files / ${report.corpus.words} words (${report.corpus.normalizer} normaliser, ${eouHandling(report)}${schedule}); ${cands.join(', ')}`;
}

export function renderMarkdown(report: GateReport): string {
  const lines = ['# WER gate report', '', `**${headline(report)}**`, ''];
  for (const s of sections(report)) {
    lines.push(`## ${s.title}`, '');
    lines.push(s.rows.length ? table(s.header, s.rows) : '_none_');
    if (s.note) lines.push('', s.note);
    lines.push('');
    if (s.markdownAfter) lines.push(s.markdownAfter);
  }
  return lines.join('\n');
}

export function renderHtml(report: GateReport): string {
  const candidates = report.variants.filter((v) => v.role === 'candidate').map((v) => v.name);
  const colors = variantColors(report.variants.map((v) => v.name));
  const reference = report.reference;
  const perFileErrors = report.perFileErrors;
  const plots = [
    sortedProfilePlot(
      candidates.map((c) => ({ name: c, color: colors[c], values: report.perFileDeltas[c] ?? [] })),
      {
        title: 'Per-file error delta vs reference (files sorted by delta)',
        xLabel: 'files (rank)',
        yLabel: 'Δ errors',
      },
    ),
    errorScatterPlot(
      candidates.map((c) => ({
        name: c,
        color: colors[c]!,
        points: (perFileErrors[reference] ?? []).map((r, i) => [r, perFileErrors[c]?.[i] ?? 0] as const),
      })),
      {
        title: `Errors per file: ${reference} (x) vs each candidate (y)`,
        xLabel: `${reference} errors`,
        yLabel: 'candidate errors',
      },
    ),
    errorRateByLengthPlot(
      report.perFileWords,
      report.variants.map((v) => ({
        name: v.name,
        color: colors[v.name]!,
        errors: perFileErrors[v.name] ?? [],
      })),
      {
        title: 'WER by utterance length (files in bins of about equal count)',
        xLabel: 'reference words (bin mean)',
        yLabel: 'WER %',
      },
    ),
    histogramPlot(
      report.flipMargins.map((f) => ({ name: f.variant, color: colors[f.variant], values: f.margins })),
      {
        title: 'Reference logit margin at flipped steps',
        xLabel: 'top-1 minus top-2 logit',
        yLabel: 'flipped steps',
      },
    ),
    boxPlot(
      report.variants.map((v) => ({
        name: v.name,
        color: colors[v.name],
        values: report.timing.perFileMs[v.name] ?? [],
      })),
      {
        title: 'Decode time per file (p10, p25, median, p75, p90)',
        xLabel: 'variant',
        yLabel: 'ms per file',
      },
    ),
    ...eouPlots(report),
  ];
  const htmlTable = (s: Section) =>
    s.rows.length
      ? `<table><thead><tr>${s.header.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${s.rows
          .map(
            (r) =>
              `<tr>${r.map((c) => `<td>${escapeXml(c.replace(/\*\*/g, '').replace(/`/g, ''))}</td>`).join('')}</tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="none">none</p>';
  const body = sections(report)
    .map(
      (s) =>
        `<section><h2>${escapeXml(s.title)}</h2>${htmlTable(s)}${s.note ? `<p class="note">${escapeXml(s.note)}</p>` : ''}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WER gate report</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111827;max-width:1100px;margin:24px auto;padding:0 16px}
h1{font-size:22px}h2{font-size:16px;margin-top:28px}
.verdict{padding:10px 14px;border-radius:6px;font-weight:600}
.pass{background:#dcfce7;color:#14532d}.fail{background:#fee2e2;color:#7f1d1d}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;font-variant-numeric:tabular-nums}
th{background:#f9fafb}.note{color:#4b5563;font-size:13px}.none{color:#6b7280}
.plots{display:flex;flex-direction:column;gap:18px}svg.plot{border:1px solid #e5e7eb;border-radius:6px;background:#fff}
${ALIGNED_CSS}</style></head>
<body>
<h1>WER gate report</h1>
<p class="verdict ${report.verdict.pass ? 'pass' : 'fail'}" id="verdict">${escapeXml(headline(report))}</p>
${alignedExamplesHtml(report)}
<div class="plots" id="plots">
${plots.join('\n')}
</div>
${body}
</body></html>
`;
}
