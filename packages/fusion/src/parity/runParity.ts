/**
 * `runParity`: both parity modes over a set of files, summed into one report with the seed's
 * verdict. Files are given as frames in memory (the CLI reads the corpus), so this stays free
 * of IO and of any runtime.
 */
import type { ArgmaxFlip, TeacherForcedResult } from './teacherForced';
import { teacherForced } from './teacherForced';
import type { FreeRunner, FreeRunningResult } from './freeRunning';
import { compareFreeRunning, harnessRunner } from './freeRunning';
import type { ParityConfig, ResolvedParityConfig } from './parityConfig';
import { resolveParityConfig } from './parityConfig';
import type { ParityVerdict } from './parityVerdict';
import { parityVerdict } from './parityVerdict';
import type { VariantStepper } from './variantStepper';

/** One file to compare: encoder frames [frameCount*E]. */
export interface ParityFile {
  readonly id: string;
  readonly frames: Float32Array;
  readonly frameCount: number;
}

export interface ParityOptions {
  readonly config: ParityConfig;
  /** How free-running traces are made (default: the harness loop; the CLI passes the rnnt-decode loop). */
  readonly runner?: FreeRunner;
  /** Name of the runner for the report. */
  readonly runnerName?: string;
  /** Called after each file (progress). */
  readonly onFile?: (done: number, id: string) => void;
}

export interface ParityFileResult {
  readonly id: string;
  readonly frames: number;
  readonly teacherForced: TeacherForcedResult;
  readonly freeRunning: FreeRunningResult;
}

/** Sums over all files. */
export interface ParitySummary {
  readonly files: number;
  readonly frames: number;
  /** Free running. */
  readonly sequencesIdentical: number;
  readonly steps: number;
  readonly mismatchedSteps: number;
  readonly maxAbsDProb: number;
  readonly maxAbsDH: number | null;
  readonly maxAbsDC: number | null;
  /** Teacher forced. */
  readonly teacherForced: {
    readonly steps: number;
    readonly flips: number;
    readonly maxAbsDProb: number;
    readonly maxAbsDH: number;
    readonly maxAbsDC: number;
    readonly maxAbsDTopLogit: number | null;
    readonly topKIdMismatchSteps: number | null;
    readonly maxAbsDTopKLogits: number | null;
    readonly minMarginA: number | null;
    /** Largest A margin at which a flip happened (how far from a tie the worst flip was). */
    readonly maxFlipMarginA: number | null;
  };
}

export interface ParityReport {
  readonly a: string;
  readonly b: string;
  readonly config: ResolvedParityConfig;
  readonly runner: string;
  readonly files: readonly ParityFileResult[];
  readonly summary: ParitySummary;
  readonly verdict: ParityVerdict;
}

const maxOrNull = (values: (number | null)[]): number | null =>
  values.some((v) => v === null) ? null : Math.max(0, ...(values as number[]));
const maxDefined = (values: (number | null)[]): number | null => {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length ? Math.max(...xs) : null;
};

/** Sums per-file results and judges them. */
export function summarizeParity(files: readonly ParityFileResult[]): {
  summary: ParitySummary;
  verdict: ParityVerdict;
} {
  const fr = files.map((f) => f.freeRunning);
  const tf = files.map((f) => f.teacherForced);
  const flips: ArgmaxFlip[] = tf.flatMap((t) => t.flips);
  const summary: ParitySummary = {
    files: files.length,
    frames: files.reduce((n, f) => n + f.frames, 0),
    sequencesIdentical: fr.filter((r) => r.sequenceEqual).length,
    steps: fr.reduce((n, r) => n + Math.min(r.stepsA, r.stepsB), 0),
    mismatchedSteps: fr.reduce((n, r) => n + r.mismatchedSteps, 0),
    maxAbsDProb: Math.max(0, ...fr.map((r) => r.maxAbsDProb)),
    maxAbsDH: maxOrNull(fr.map((r) => r.maxAbsDH)),
    maxAbsDC: maxOrNull(fr.map((r) => r.maxAbsDC)),
    teacherForced: {
      steps: tf.reduce((n, t) => n + t.steps, 0),
      flips: flips.length,
      maxAbsDProb: Math.max(0, ...tf.map((t) => t.maxAbsDProb)),
      maxAbsDH: Math.max(0, ...tf.map((t) => t.maxAbsDH)),
      maxAbsDC: Math.max(0, ...tf.map((t) => t.maxAbsDC)),
      maxAbsDTopLogit: maxDefined(tf.map((t) => t.maxAbsDTopLogit)),
      topKIdMismatchSteps: tf.some((t) => t.topKIdMismatchSteps === null)
        ? null
        : tf.reduce((n, t) => n + t.topKIdMismatchSteps!, 0),
      maxAbsDTopKLogits: maxDefined(tf.map((t) => t.maxAbsDTopKLogits)),
      minMarginA: tf.some((t) => t.minMarginA !== null)
        ? Math.min(...tf.flatMap((t) => (t.minMarginA === null ? [] : [t.minMarginA])))
        : null,
      maxFlipMarginA: maxDefined(flips.map((f) => f.marginA)),
    },
  };
  return { summary, verdict: parityVerdict(summary) };
}

/**
 * Compares variant `b` with `a` (the reference) on every file, teacher-forced and free-running.
 * @throws RangeError when the two variants differ in size or a file's frames do not fit.
 */
export async function runParity(
  a: VariantStepper,
  b: VariantStepper,
  files: Iterable<ParityFile> | AsyncIterable<ParityFile>,
  options: ParityOptions,
): Promise<ParityReport> {
  const config = resolveParityConfig(options.config);
  const runner = options.runner ?? harnessRunner;
  const results: ParityFileResult[] = [];
  for await (const file of files) {
    const tfr = await teacherForced(a, b, file.frames, file.frameCount, config);
    const ta = await runner(a, file.frames, file.frameCount, config);
    const tb = await runner(b, file.frames, file.frameCount, config);
    results.push({
      id: file.id,
      frames: file.frameCount,
      teacherForced: tfr,
      freeRunning: compareFreeRunning(ta, tb),
    });
    options.onFile?.(results.length, file.id);
  }
  const { summary, verdict } = summarizeParity(results);
  return {
    a: a.name,
    b: b.name,
    config,
    runner: options.runnerName ?? (options.runner ? 'custom' : 'harness'),
    files: results,
    summary,
    verdict,
  };
}
