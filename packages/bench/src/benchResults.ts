import { readFileSync } from 'node:fs';
import { BenchError } from './benchError';
import type { SuiteResult } from './interleave';
import type { MachineInfo } from './machineInfo';
import type { RtfxSummary } from './rtfx';

/** Schema tag of a results file; bumped on incompatible changes. */
export const BENCH_RESULTS_SCHEMA = 'eou-bench-results/1';

/** Statistical conventions, written into every results file so a reader never has to guess. */
export const CONVENTIONS = {
  time: 'nanoseconds per iteration: (elapsed - timer floor, clamped at 0) / iterationsPerSample, process.hrtime.bigint()',
  order:
    'rotating: round r runs arm (r + j) mod k at position j; balanced: Williams design (each arm also follows every other arm equally often)',
  median: 'average of the two middle values for even n (= type-7 quantile 0.5)',
  quantiles: 'p90/p95/p99 by linear interpolation between closest ranks, h = (n - 1)q (Hyndman-Fan type 7)',
  seedConventions:
    'medianUpper = s[floor(n/2)] (Swift seed), swiftP95 = s[floor(0.95n)], pythonP95 = s[floor(0.95n) - 1]',
  mad: 'mad = raw median(|x - median|); madScaled = 1.4826 * mad',
  outliers:
    'modified z = (x - median) / (1.4826 * mad) > threshold (3.5 default; hyperfine warns at 10 on this scale); flagged, never removed',
  ratio:
    'median(arm) / median(first arm) over all samples of all processes; 95% percentile bootstrap CI: processes resampled with replacement, then rounds within each (paired across arms), seeded PRNG; one process: rounds only',
  samples:
    'each sample runs enough calls to last at least minSampleNs (calibrated after warm-up); CPU time from process.cpuUsage beside wall time',
  trust:
    'a ratio is untrusted when load average per CPU > 1, its CI is > 10 % wide, per-process ratios spread > 10 %, > 10 % outliers, median CPU/wall < 0.85, or one process only',
  rtfx: 'audio seconds / wall seconds, warm-up excluded; medianPerFile and total = sum(audio) / sum(wall)',
} as const;

/** Contents of `bench-results/<project>.json`. */
export interface BenchResults {
  readonly schema: typeof BENCH_RESULTS_SCHEMA;
  readonly project: string;
  /** ISO time the file was written. */
  readonly createdAt: string;
  readonly quick: boolean;
  /** Fresh processes the suites were pooled over; 1 means intervals miss between-process variation. */
  readonly processes?: number;
  readonly machine: MachineInfo;
  readonly conventions: typeof CONVENTIONS;
  readonly suites: SuiteResult[];
  readonly rtfx?: Record<string, RtfxSummary>;
  readonly extra?: unknown;
}

/**
 * Reads and checks a results file written by `writeBenchResults` (or `eou bench --out`).
 * @throws BenchError `E_RESULTS` naming the file and the field when it is not one.
 */
export function readBenchResults(file: string): BenchResults {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new BenchError('E_RESULTS', `${file}: cannot read bench results: ${reason}`, { file, cause });
  }
  return checkBenchResults(data, file);
}

/** Checks that `data` has the shape of {@link BenchResults}; `source` names it in errors. */
export function checkBenchResults(data: unknown, source = 'results'): BenchResults {
  const bad = (field: string, expected: string, actual: unknown): BenchError =>
    new BenchError(
      'E_RESULTS',
      `${source}: field ${field} should be ${expected}, got ${JSON.stringify(actual)?.slice(0, 60) ?? 'undefined'}`,
      { file: source },
    );
  if (typeof data !== 'object' || data === null) throw bad('(root)', 'an object', data);
  const d = data as Record<string, unknown>;
  if (d['schema'] !== BENCH_RESULTS_SCHEMA) throw bad('schema', `"${BENCH_RESULTS_SCHEMA}"`, d['schema']);
  if (!Array.isArray(d['suites'])) throw bad('suites', 'an array', d['suites']);
  (d['suites'] as unknown[]).forEach((s, i) => {
    const suite = s as Record<string, unknown> | null;
    if (typeof suite?.['name'] !== 'string') throw bad(`suites[${i}].name`, 'a string', suite?.['name']);
    if (!Array.isArray(suite['arms'])) throw bad(`suites[${i}].arms`, 'an array', suite['arms']);
    (suite['arms'] as unknown[]).forEach((a, j) => {
      const arm = a as Record<string, unknown> | null;
      const summary = arm?.['summary'] as Record<string, unknown> | undefined;
      if (typeof arm?.['name'] !== 'string')
        throw bad(`suites[${i}].arms[${j}].name`, 'a string', arm?.['name']);
      if (typeof summary?.['median'] !== 'number')
        throw bad(`suites[${i}].arms[${j}].summary.median`, 'a number', summary?.['median']);
    });
  });
  return data as BenchResults;
}
