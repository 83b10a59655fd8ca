import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchError } from './benchError';
import { readBenchResults, type BenchResults } from './benchResults';
import { bootstrapHierarchicalRatios } from './hierarchicalBootstrap';
import type { ArmResult, SuiteResult } from './interleave';
import { quickMode } from './quickMode';
import { outlierIndices, summarize } from './stats';
import { ratioTrust } from './trust';
import { writeBenchResults, type WriteBenchResultsOptions } from './writeBenchResults';

/** Environment variable naming the file a replicate child writes its document to. */
export const REPLICATE_OUT_ENV = 'EOU_BENCH_REPLICATE_OUT';

/** Default process replicates: 3, or 1 in quick mode (which the results then say). */
export function defaultProcesses(quick: boolean = quickMode()): number {
  return quick ? 1 : 3;
}

/** What a combined suite adds: one entry per process. */
export interface SuiteReplicates {
  readonly processes: number;
  /** Per process: each arm's median (ns) and ratio to the first arm, and the load at start and end. */
  readonly perProcess: {
    readonly medians: number[];
    readonly ratios: (number | null)[];
    readonly iterationsPerSample: number[];
    readonly load: { readonly start: number; readonly end: number };
  }[];
}

/** A suite combined over processes; `ratio` intervals come from the two-level bootstrap. */
export type ReplicatedSuite = SuiteResult & { readonly replicates: SuiteReplicates };

/**
 * Pools the suites of several process replicates (matched by suite and arm name, in the first
 * document's order): samples are concatenated, summaries and outliers recomputed on the pool, and
 * each ratio's interval resamples processes and then rounds within them.
 * @throws BenchError `E_RESULTS` when a replicate lacks a suite or an arm of the first.
 */
export function combineReplicates(docs: readonly Pick<BenchResults, 'suites'>[]): ReplicatedSuite[] {
  if (docs.length === 0) throw new RangeError('`docs` needs at least one replicate');
  const first = docs[0] as Pick<BenchResults, 'suites'>;
  return first.suites.map((suite0) => {
    const suites = docs.map((d, p) => {
      const s = d.suites.find((x) => x.name === suite0.name);
      if (!s) throw new BenchError('E_RESULTS', `replicate ${p}: suite "${suite0.name}" is missing`, {});
      return s;
    });
    const armsBy = suites.map((s, p) =>
      suite0.arms.map((a0) => {
        const a = s.arms.find((x) => x.name === a0.name);
        if (!a)
          throw new BenchError(
            'E_RESULTS',
            `replicate ${p}: arm "${a0.name}" of "${suite0.name}" is missing`,
            {},
          );
        return a;
      }),
    );
    const ratios =
      suite0.arms.length > 1
        ? bootstrapHierarchicalRatios(armsBy.map((arms) => arms.map((a) => a.samplesNs)))
        : [];
    const loads = suites.flatMap((s) => (s.load ? [s.load.start, s.load.end] : []));
    const cpus = suite0.load?.cpus ?? os.cpus().length;
    const rounds = suites.reduce((n, s) => n + s.rounds, 0);
    const pooledOutliers = (j: number): number[] =>
      outlierIndices(
        armsBy.flatMap((arms) => (arms[j] as ArmResult).samplesNs),
        (suite0.arms[j] as ArmResult).outliers.threshold,
      );
    const baseOutliers = pooledOutliers(0).length / rounds;
    const arms: ArmResult[] = suite0.arms.map((a0, j) => {
      const own = armsBy.map((arms) => arms[j] as ArmResult);
      const samplesNs = own.flatMap((a) => a.samplesNs);
      const flagged = pooledOutliers(j);
      const ratio = j === 0 ? null : ratios[j - 1]!;
      const shares = own.map((a) => a.cpuShare ?? null).filter((s): s is number => s !== null);
      const cpuShare = shares.length > 0 ? Math.min(...shares) : null;
      const baseShares = armsBy
        .map((arms) => (arms[0] as ArmResult).cpuShare ?? null)
        .filter((s): s is number => s !== null);
      return {
        ...a0,
        samplesNs,
        cpuSamplesNs: own.flatMap((a) => a.cpuSamplesNs ?? []),
        cpuShare,
        summary: summarize(samplesNs),
        outliers: { threshold: a0.outliers.threshold, count: flagged.length, rounds: flagged },
        ratio,
        trust:
          ratio === null
            ? null
            : ratioTrust({
                ratio,
                loadAverages: loads,
                cpus,
                processRatios: own.map((a) => a.ratio?.ratio ?? NaN),
                outlierShares: [flagged.length / rounds, baseOutliers],
                cpuShares: [cpuShare, baseShares.length > 0 ? Math.min(...baseShares) : null],
                processes: docs.length,
              }),
        mismatches: own.reduce((n, a) => n + a.mismatches, 0),
      };
    });
    return {
      ...suite0,
      rounds,
      arms,
      mismatches: {
        count: suites.reduce((n, s) => n + s.mismatches.count, 0),
        first: suites.flatMap((s) => s.mismatches.first).slice(0, 100),
      },
      wallMs: suites.reduce((n, s) => n + s.wallMs, 0),
      replicates: {
        processes: docs.length,
        perProcess: armsBy.map((arms, p) => ({
          medians: arms.map((a) => a.summary.median),
          ratios: arms.map((a) => a.ratio?.ratio ?? null),
          iterationsPerSample: arms.map((a) => a.iterationsPerSample),
          load: { start: suites[p]!.load?.start ?? NaN, end: suites[p]!.load?.end ?? NaN },
        })),
      },
    };
  });
}

/** Options of {@link replicate}. */
export interface ReplicateOptions {
  /** Fresh processes, run one after another (default {@link defaultProcesses}). */
  readonly processes?: number;
  /** Where and how the combined document is written (as {@link writeBenchResults}). */
  readonly file?: string;
  readonly dir?: string;
  readonly log?: { write(text: string): unknown } | null;
  /** The child command (default: this process's own `execPath`, `execArgv` and `argv`). */
  readonly command?: { readonly file: string; readonly args: readonly string[] };
}

/** Outcome of {@link replicate}: in a child the caller should stop after it (the parent combines). */
export interface ReplicateOutcome {
  readonly role: 'parent' | 'child' | 'single';
  readonly path: string;
  readonly results: BenchResults;
}

function runChild(file: string, args: readonly string[], out: string, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, [REPLICATE_OUT_ENV]: out, EOU_BENCH_REPLICATE_INDEX: String(index) },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new BenchError(
              'E_REPLICATE',
              `benchmark replicate ${index} exited with ${signal ?? `code ${code}`}`,
              {},
            ),
          ),
    );
  });
}

/**
 * Runs a benchmark in `processes` fresh processes and writes one combined results document.
 * The same script runs in each child (it sees {@link REPLICATE_OUT_ENV}, calls `run`, and writes
 * its document there); the parent never calls `run`. With one process, `run` runs here and the
 * results say that the intervals cover a single process.
 */
export async function replicate(
  options: ReplicateOptions,
  run: () => Promise<WriteBenchResultsOptions>,
): Promise<ReplicateOutcome> {
  const childOut = process.env[REPLICATE_OUT_ENV];
  if (childOut) {
    const written = await writeBenchResults({ ...(await run()), file: childOut, log: null });
    return { role: 'child', ...written };
  }
  const processes = options.processes ?? defaultProcesses();
  if (!Number.isInteger(processes) || processes < 1)
    throw new RangeError(`\`options.processes\` must be an integer >= 1, got ${processes}`);
  const where = { file: options.file, dir: options.dir, log: options.log };
  if (processes === 1) {
    const written = await writeBenchResults({ ...(await run()), ...where, processes: 1 });
    return { role: 'single', ...written };
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'eou-bench-replicates-'));
  try {
    const command = options.command ?? {
      file: process.execPath,
      args: [...process.execArgv, ...process.argv.slice(1)],
    };
    const docs: BenchResults[] = [];
    for (let p = 0; p < processes; p++) {
      const out = path.join(tmp, `replicate-${p}.json`);
      await runChild(command.file, command.args, out, p);
      docs.push(readBenchResults(out));
    }
    const d0 = docs[0] as BenchResults;
    const written = await writeBenchResults({
      project: d0.project,
      suites: combineReplicates(docs),
      quick: d0.quick,
      processes,
      ...(d0.rtfx === undefined ? {} : { rtfx: d0.rtfx }),
      ...(d0.extra === undefined ? {} : { extra: d0.extra }),
      ...where,
    });
    return { role: 'parent', ...written };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
