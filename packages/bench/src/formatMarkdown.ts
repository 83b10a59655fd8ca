import type { BenchResults } from './benchResults';
import type { SuiteResult } from './interleave';

/** Formats nanoseconds with a unit that keeps 3-4 significant digits. */
export function formatNs(ns: number): string {
  const abs = Math.abs(ns);
  if (!Number.isFinite(ns)) return String(ns);
  if (abs < 1e3) return `${ns.toFixed(abs < 10 ? 2 : 1)} ns`;
  if (abs < 1e6) return `${(ns / 1e3).toFixed(abs < 1e4 ? 3 : abs < 1e5 ? 2 : 1)} µs`;
  if (abs < 1e9) return `${(ns / 1e6).toFixed(abs < 1e7 ? 3 : abs < 1e8 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

function callsPerSample(suite: SuiteResult): string {
  const calls = [...new Set(suite.arms.map((a) => a.iterationsPerSample))];
  return calls.length === 1 ? String(calls[0]) : calls.join('/');
}

function ratioCell(r: SuiteResult['arms'][number]['ratio']): string {
  if (r === null) return '1 (baseline)';
  return `${r.ratio.toFixed(3)} [${r.ciLow.toFixed(3)}, ${r.ciHigh.toFixed(3)}]`;
}

/** A Markdown section for one suite: a heading line, a table of arms, and any output mismatches. */
export function formatSuiteMarkdown(suite: SuiteResult & { replicates?: { processes: number } }): string {
  const processes = suite.replicates?.processes;
  const head =
    `### ${suite.name}\n\n` +
    `${suite.rounds} rounds (${suite.order} order) after ${suite.warmup} warm-up, ` +
    `${callsPerSample(suite)} ${suite.unit}(s) per sample; times per ${suite.unit}` +
    `${processes === undefined ? '' : `; ${processes} process${processes === 1 ? '' : 'es'}`}` +
    `${suite.load ? `; load ${suite.load.start.toFixed(2)} -> ${suite.load.end.toFixed(2)} on ${suite.load.cpus} CPUs` : ''}.\n\n`;
  const rows = [
    `| arm | median | p90 | p95 | p99 | MAD (raw) | outliers | CPU/wall | ratio vs ${suite.arms[0]?.name ?? 'first'} [95% CI] | trusted |${suite.compareOutputs ? ' mismatches |' : ''}`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---|---|${suite.compareOutputs ? '---:|' : ''}`,
    ...suite.arms.map((a) => {
      const s = a.summary;
      const cells = [
        a.name,
        formatNs(s.median),
        formatNs(s.p90),
        formatNs(s.p95),
        formatNs(s.p99),
        formatNs(s.mad),
        String(a.outliers.count),
        a.cpuShare == null ? '-' : a.cpuShare.toFixed(2),
        ratioCell(a.ratio),
        a.trust == null ? '-' : a.trust.trusted ? 'yes' : `**no**: ${a.trust.reasons.join('; ')}`,
      ];
      if (suite.compareOutputs) cells.push(String(a.mismatches));
      return `| ${cells.join(' | ')} |`;
    }),
  ];
  let tail = '';
  if (suite.mismatches.count > 0) {
    const shown = suite.mismatches.first
      .slice(0, 5)
      .map((m) => `round ${m.round} ${m.arm} vs ${m.reference} at ${m.path}`)
      .join('; ');
    tail = `\n\n**${suite.mismatches.count} output mismatch(es)**: ${shown}${suite.mismatches.count > 5 ? '; ...' : ''}`;
  }
  return head + rows.join('\n') + tail + '\n';
}

/** A Markdown report of a results file (or just its suites): machine line, then one section per suite. */
export function formatMarkdown(results: Pick<BenchResults, 'suites'> & Partial<BenchResults>): string {
  const parts: string[] = [];
  if (results.project !== undefined)
    parts.push(`## Benchmarks: ${results.project}${results.quick ? ' (quick)' : ''}\n`);
  const m = results.machine;
  if (m !== undefined)
    parts.push(
      `${m.cpuModel}, ${m.cpus} CPUs, ${(m.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, load ${m.loadAverage
        .map((l) => l.toFixed(2))
        .join('/')}, Node ${m.node}, ${m.platform} ${m.arch}` +
        `${m.onnxruntimeNode ? `, onnxruntime-node ${m.onnxruntimeNode}` : ''}${m.gitCommit ? `, commit ${m.gitCommit.slice(0, 10)}` : ''}\n`,
    );
  for (const suite of results.suites) parts.push(formatSuiteMarkdown(suite));
  if (results.rtfx !== undefined)
    for (const [name, r] of Object.entries(results.rtfx))
      parts.push(
        `### RTFx: ${name}\n\n${r.files.length} files, ${r.audioSeconds.toFixed(1)} s audio in ${r.wallSeconds.toFixed(3)} s: ` +
          `median per file ${r.medianPerFile.toFixed(1)}, total ${r.total.toFixed(1)} (warm-up passes excluded: ${r.warmupExcluded})\n`,
      );
  return parts.join('\n');
}
