import { BenchError } from './benchError';
import type { BenchResults } from './benchResults';
import type { ArmResult } from './interleave';

/** Thresholds of {@link compareToBaseline}. */
export interface CompareOptions {
  /** Smallest relative change of a median ratio that counts, on top of its interval (default 0.05 = 5 %). */
  readonly tolerance?: number;
  /**
   * Smallest relative change of an absolute median that counts, on top of the noise (default 0.10).
   * Wider than `tolerance` because absolute times move with machine load between runs; ratios,
   * measured within one run, do not.
   */
  readonly medianTolerance?: number;
  /** How many standard errors of the median difference count as noise (default 3). */
  readonly k?: number;
  /**
   * Whether a `median` regression makes the comparison fail (`regressed`), or is only reported
   * (default `report`). On a shared machine absolute times move with load between runs, often
   * far beyond their within-run noise, so by default only ratios decide; use `fail` on a quiet,
   * dedicated machine.
   */
  readonly medians?: 'fail' | 'report';
}

/** Verdict of one metric of one arm. */
export type ComparisonStatus = 'regression' | 'improvement' | 'unchanged' | 'new' | 'missing';

/** One compared metric. */
export interface ComparisonRow {
  readonly suite: string;
  readonly arm: string;
  /** `ratio`: median ratio to the suite's first arm (paired, robust to machine drift); `median`: ns per iteration. */
  readonly metric: 'ratio' | 'median';
  readonly baseline: number | null;
  readonly current: number | null;
  /** (current - baseline) / baseline. */
  readonly change: number | null;
  /** For `ratio`: the current 95 % interval; for `median`: ± k standard errors of the difference (ns). */
  readonly noise: readonly [number, number] | number | null;
  readonly status: ComparisonStatus;
}

/** Result of {@link compareToBaseline}. */
export interface BaselineComparison {
  /** True when a ratio (or, with `medians: 'fail'`, a median) regressed beyond noise and tolerance. */
  readonly regressed: boolean;
  readonly improved: boolean;
  /** Rows with status `regression`, counting those that do not decide `regressed`. */
  readonly regressions: number;
  /** How median regressions were treated. */
  readonly medians: 'fail' | 'report';
  readonly rows: ComparisonRow[];
  /** Reasons the comparison may be unfair (different CPU, Node, quick mode...). */
  readonly warnings: string[];
}

// Standard error of a sample median, from the MAD-based σ: √(π/2)·σ/√n.
function medianStandardError(arm: ArmResult): number {
  return (1.2533 * arm.summary.madScaled) / Math.sqrt(Math.max(arm.summary.n, 1));
}

/**
 * Compares a results document with a stored baseline, suite by suite and arm by arm (matched by
 * name), and flags only changes beyond the measured noise:
 *
 * Quick-mode results are never compared with full-mode ones (BenchError `E_INCOMPARABLE`).
 *
 * - `ratio` (every arm but the first): a regression when the current bootstrap interval of the
 *   median ratio lies entirely above baseline ratio × (1 + tolerance); an improvement when it lies
 *   entirely below baseline ratio × (1 - tolerance). Ratios are paired within one run, so they
 *   survive a busier or slower machine.
 * - `median` (every arm): a regression when the median grew by more than k standard errors of the
 *   difference (each from 1.2533 · 1.4826 · MAD / √n) and by more than `medianTolerance`;
 *   improvement symmetrically. This catches a change that slows every arm alike, which no ratio
 *   shows. Absolute times move with the machine, so read them with the warnings.
 */
export function compareToBaseline(
  current: Pick<BenchResults, 'suites'> & Partial<BenchResults>,
  baseline: Pick<BenchResults, 'suites'> & Partial<BenchResults>,
  options: CompareOptions = {},
): BaselineComparison {
  const tolerance = options.tolerance ?? 0.05;
  const medianTolerance = options.medianTolerance ?? 0.1;
  const k = options.k ?? 3;
  const medians = options.medians ?? 'report';
  if (medians !== 'fail' && medians !== 'report')
    throw new RangeError(`\`options.medians\` must be 'fail' or 'report', got ${JSON.stringify(medians)}`);
  if (!(tolerance >= 0)) throw new RangeError(`\`options.tolerance\` must be >= 0, got ${tolerance}`);
  if (!(medianTolerance >= 0))
    throw new RangeError(`\`options.medianTolerance\` must be >= 0, got ${medianTolerance}`);
  if (!(k >= 0)) throw new RangeError(`\`options.k\` must be >= 0, got ${k}`);
  const warnings: string[] = [];
  const cm = current.machine;
  const bm = baseline.machine;
  if (cm && bm) {
    if (cm.cpuModel !== bm.cpuModel)
      warnings.push(`CPU differs: ${bm.cpuModel} (baseline) vs ${cm.cpuModel}`);
    if (cm.cpus !== bm.cpus) warnings.push(`CPU count differs: ${bm.cpus} (baseline) vs ${cm.cpus}`);
    if (cm.node !== bm.node) warnings.push(`Node differs: ${bm.node} (baseline) vs ${cm.node}`);
    const [cl, bl] = [cm.loadAverage?.[0], bm.loadAverage?.[0]];
    if (cl !== undefined && bl !== undefined && Math.abs(cl - bl) > 0.5 * Math.max(cm.cpus, 1))
      warnings.push(
        `load average differs: ${bl.toFixed(2)} (baseline) vs ${cl.toFixed(2)} on ${cm.cpus} CPUs`,
      );
    if (cm.onnxruntimeNode !== bm.onnxruntimeNode)
      warnings.push(`onnxruntime-node differs: ${bm.onnxruntimeNode} (baseline) vs ${cm.onnxruntimeNode}`);
  }
  // Quick runs take fewer, shorter samples (medians about twice a full run's): refuse, never compare.
  if (current.quick !== undefined && baseline.quick !== undefined && current.quick !== baseline.quick)
    throw new BenchError(
      'E_INCOMPARABLE',
      `cannot compare: the ${current.quick ? 'current' : 'baseline'} results are quick mode, the ${current.quick ? 'baseline' : 'current'} full mode; rerun both in the same mode`,
      {},
    );
  const cp = current.processes ?? 1;
  const bp = baseline.processes ?? 1;
  if (cp !== bp) warnings.push(`process replicates differ: ${bp} (baseline) vs ${cp}`);
  for (const s of current.suites)
    for (const a of s.arms)
      if (a.trust && !a.trust.trusted)
        warnings.push(`${s.name} / ${a.name}: ratio untrusted (${a.trust.reasons.join('; ')})`);

  const rows: ComparisonRow[] = [];
  const missingRow = (
    suite: string,
    arm: string,
    metric: 'ratio' | 'median',
    baselineValue: number | null,
  ): ComparisonRow => ({
    suite,
    arm,
    metric,
    baseline: baselineValue,
    current: null,
    change: null,
    noise: null,
    status: 'missing',
  });
  for (const bs of baseline.suites) {
    const cs = current.suites.find((s) => s.name === bs.name);
    for (const ba of bs.arms) {
      const ca = cs?.arms.find((a) => a.name === ba.name);
      if (ca === undefined) {
        if (ba.ratio) rows.push(missingRow(bs.name, ba.name, 'ratio', ba.ratio.ratio));
        rows.push(missingRow(bs.name, ba.name, 'median', ba.summary.median));
      }
    }
  }
  for (const cs of current.suites) {
    const bs = baseline.suites.find((s) => s.name === cs.name);
    cs.arms.forEach((ca, index) => {
      const ba = bs?.arms.find((a) => a.name === ca.name);
      const sameBase = bs !== undefined && bs.arms[0]?.name === cs.arms[0]?.name;
      if (ca.ratio !== null && index > 0) {
        if (ba?.ratio == null || !sameBase) {
          rows.push({
            suite: cs.name,
            arm: ca.name,
            metric: 'ratio',
            baseline: null,
            current: ca.ratio.ratio,
            change: null,
            noise: [ca.ratio.ciLow, ca.ratio.ciHigh],
            status: 'new',
          });
        } else {
          const b = ba.ratio.ratio;
          const status: ComparisonStatus =
            ca.ratio.ciLow > b * (1 + tolerance)
              ? 'regression'
              : ca.ratio.ciHigh < b * (1 - tolerance)
                ? 'improvement'
                : 'unchanged';
          rows.push({
            suite: cs.name,
            arm: ca.name,
            metric: 'ratio',
            baseline: b,
            current: ca.ratio.ratio,
            change: (ca.ratio.ratio - b) / b,
            noise: [ca.ratio.ciLow, ca.ratio.ciHigh],
            status,
          });
        }
      }
      if (ba === undefined) {
        rows.push({
          suite: cs.name,
          arm: ca.name,
          metric: 'median',
          baseline: null,
          current: ca.summary.median,
          change: null,
          noise: null,
          status: 'new',
        });
        return;
      }
      const b = ba.summary.median;
      const c = ca.summary.median;
      const noise = k * Math.hypot(medianStandardError(ca), medianStandardError(ba));
      const delta = c - b;
      const status: ComparisonStatus =
        delta > noise && delta > medianTolerance * b
          ? 'regression'
          : -delta > noise && -delta > medianTolerance * b
            ? 'improvement'
            : 'unchanged';
      rows.push({
        suite: cs.name,
        arm: ca.name,
        metric: 'median',
        baseline: b,
        current: c,
        change: delta / b,
        noise,
        status,
      });
    });
  }
  return {
    regressed: rows.some((r) => r.status === 'regression' && (r.metric === 'ratio' || medians === 'fail')),
    improved: rows.some((r) => r.status === 'improvement'),
    regressions: rows.filter((r) => r.status === 'regression').length,
    medians,
    rows,
    warnings,
  };
}

/** A Markdown table of a comparison, warnings first. */
export function formatComparisonMarkdown(comparison: BaselineComparison): string {
  const fmt = (v: number | null, metric: 'ratio' | 'median'): string =>
    v === null ? '-' : metric === 'ratio' ? v.toFixed(3) : `${(v / 1e3).toFixed(3)} µs`;
  const lines = comparison.warnings.map((w) => `> warning: ${w}`);
  if (lines.length > 0) lines.push('');
  lines.push(
    '| suite | arm | metric | baseline | current | change | noise | status |',
    '|---|---|---|---:|---:|---:|---|---|',
  );
  for (const r of comparison.rows) {
    const noise =
      r.noise === null
        ? '-'
        : typeof r.noise === 'number'
          ? `± ${(r.noise / 1e3).toFixed(3)} µs`
          : `CI [${r.noise[0].toFixed(3)}, ${r.noise[1].toFixed(3)}]`;
    const change = r.change === null ? '-' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)} %`;
    lines.push(
      `| ${r.suite} | ${r.arm} | ${r.metric} | ${fmt(r.baseline, r.metric)} | ${fmt(r.current, r.metric)} | ${change} | ${noise} | ${r.status === 'regression' ? '**regression**' : r.status} |`,
    );
  }
  lines.push(
    '',
    comparison.regressed
      ? 'Verdict: REGRESSION beyond noise.'
      : comparison.regressions > 0
        ? `Verdict: no ratio regression beyond noise; ${comparison.regressions} absolute median(s) moved beyond noise (machine load, or code every arm shares: check on a quiet machine, or fail on them with medians: 'fail').`
        : 'Verdict: no regression beyond noise.',
  );
  return lines.join('\n') + '\n';
}
