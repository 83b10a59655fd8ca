/**
 * The gate's batched execution (`runGate({ batch })`): batch-capable graphs are built from the
 * model directory's shipped weights into a temp directory, the first 2B files are decoded both one
 * at a time and in lock step, and only the variants whose decodes agree on every one of them decode
 * the rest in lock step (the others one file at a time, from the shipped files). The check is what
 * makes those 2B lines the single-file decoder's; the lines after them are a batched variant's
 * lock-step decode, not compared with anything. They equal the single-file decode as long as the
 * lock-step graphs compute each row as the single-file graph does (same nodes and weights, widened),
 * which is why the log's settings hash leaves the mode out; a difference that first shows after the
 * checked files stays in the log (the report's `execution.batch.check` says how many files that was).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBatchedModelDirectory } from '@eou/fusion';
import { createBatchFileDecoder, type BatchFileDecoderInit } from './batchFileDecoder';
import type { WorkerEntry } from './decodeWorkerEntry';
import { createFileDecoder, type DecodedFile, type FileDecoderInit } from './fileDecoder';
import { sameDecodes } from './sameDecode';
import { executionVariant, isVariantName } from './variantFiles';
import { runPool, type PoolTask } from './workerPool';

/** One file to decode: its corpus index and frames path. */
export interface BatchedFile {
  readonly index: number;
  readonly id: string;
  readonly framesPath: string;
}

/** What the report says of a batched run (`execution.batch`). */
export interface BatchSummary {
  /** Rows decoded in lock step (B). */
  readonly rows: number;
  /** Execution variants decoded in lock step. */
  readonly batched: readonly string[];
  /**
   * Execution variants decoded one file at a time: their lock-step decodes differed, or they have no
   * lock-step build (row-coupled, a shipped file that is not the pair's build, declared by file).
   */
  readonly single: readonly string[];
  /** How the lock-step decodes were checked against single-file decoding, and how many files were not. */
  readonly check: string;
  /** Whether worker threads decoded the groups (else the calling thread did). */
  readonly onWorkers: boolean;
  /** Threads that decoded (1 without workers). */
  readonly workers: number;
}

/** Options of {@link runBatched}. */
export interface RunBatchedOptions {
  readonly init: FileDecoderInit;
  readonly rows: number;
  readonly files: readonly BatchedFile[];
  readonly workers: number;
  readonly entry: WorkerEntry | undefined;
  readonly append: (index: number, decoded: DecodedFile) => void;
}

/**
 * Files per worker task: enough that rows refill many times before a task's tail drains them, but
 * at most an even share of the files, so every worker gets some.
 */
export function filesPerTask(rows: number, files: number, workers: number): number {
  return Math.max(1, Math.min(Math.max(32, rows * 16), Math.ceil(files / Math.max(1, workers))));
}

/**
 * Test seam, not API (the package index does not export it): when set, called with the directory of
 * batch-capable graphs once it is written and before anything decodes, on the calling thread (the
 * workers load the graphs from there). A test puts a graph there whose lock-step decode differs
 * from single-file decoding, to drive the check's fallback: no model directory can do that for a
 * built variant any more, since `writeBatchedModelDirectory` leaves out one whose shipped file is
 * not what the pair builds, and kernel rounding that differs with the row count is not reproducible.
 */
export const lockStepGraphsSeam: { edit: ((dir: string) => void) | undefined } = { edit: undefined };

/** Lets worker replies in between two files the calling thread decodes (ONNX Runtime's `run` blocks it). */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Decodes `files` in batched mode and appends each result. Returns what the report says of it.
 *
 * The lock-step decode of every file starts at once (on the workers, or here group by group) with
 * every candidate batched, while this thread decodes the first 2B files one at a time; results are
 * held back until both decodes of those files are in and compared. Only then are they appended:
 * all of them when every candidate's decodes agree, else none, and every file is decoded again with
 * the differing variants one file at a time (the rare case pays twice; the usual one pays the
 * check once, overlapped with the decoding, instead of before it).
 * @throws the loading errors of the model (as `createFileDecoder`), or a worker's failure
 */
export async function runBatched(options: RunBatchedOptions): Promise<BatchSummary> {
  const { init, rows, files } = options;
  const execs = [...new Set(init.variants.map((v) => executionVariant(v)))];
  const representative = new Map(
    execs.map((e) => [e, init.variants.find((v) => executionVariant(v) === e)!]),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-batch-'));
  try {
    // Variants declared by their own files (the user's or the model directory's) have no builder, so
    // no batch-capable graphs: they decode one file at a time beside the lock-step ones.
    const ownFiles = execs.filter((e) => !isVariantName(e));
    const { skipped } = writeBatchedModelDirectory(init.modelDir, dir, execs.filter(isVariantName));
    lockStepGraphsSeam.edit?.(dir);
    const candidates = execs.filter((e) => isVariantName(e) && !Object.hasOwn(skipped, e));
    const probe = files.slice(0, Math.min(files.length, rows * 2));
    const plan = (variants: readonly string[]): BatchFileDecoderInit => ({
      modelDir: init.modelDir,
      variants: init.variants,
      eouPolicy: init.eouPolicy,
      ...(init.modelJson === undefined ? {} : { modelJson: init.modelJson }),
      ...(init.declaredVariants === undefined ? {} : { declaredVariants: init.declaredVariants }),
      batch: { modelDir: dir, rows, variants },
    });
    const onWorkers = options.entry !== undefined && options.workers > 1;
    const size = filesPerTask(rows, files.length, onWorkers ? options.workers : 1);
    const groups: BatchedFile[][] = [];
    for (let i = 0; i < files.length; i += size) groups.push(files.slice(i, i + size));
    const pooled = onWorkers && groups.length > 1;
    let threads = 1;

    // Lock-step results wait here until the check has spoken.
    const probeIndex = new Set(probe.map((f) => f.index));
    const lockStepProbe = new Map<number, DecodedFile>();
    const held: [number, DecodedFile][] = [];
    let alone: DecodedFile[] | undefined;
    let agreed: string[] | undefined;
    const decide = () => {
      if (agreed !== undefined || alone === undefined || lockStepProbe.size < probe.length) return;
      const together = probe.map((f) => lockStepProbe.get(f.index)!);
      agreed = candidates.filter((e) => sameDecodes(representative.get(e)!, alone!, together));
      if (agreed.length === candidates.length)
        for (const [index, d] of held.splice(0)) options.append(index, d);
    };
    const take = (index: number, decoded: DecodedFile) => {
      if (agreed === undefined) {
        if (probeIndex.has(index)) lockStepProbe.set(index, decoded);
        held.push([index, decoded]);
        decide();
      } else if (agreed.length === candidates.length) options.append(index, decoded);
    };
    const decodeAll = async (variants: readonly string[], sink: typeof take, stop: () => boolean) => {
      if (pooled) {
        const byIndex = new Map(groups.map((g) => [g[0]!.index, g]));
        const tasks: PoolTask[] = groups.map((g) => ({
          index: g[0]!.index,
          id: g[0]!.id,
          framesPath: g[0]!.framesPath,
          files: g.map((f) => f.framesPath),
        }));
        threads = await runPool<{ batch: BatchFileDecoderInit }, DecodedFile[]>(
          tasks,
          { entry: options.entry, workers: options.workers, init: { batch: plan(variants) } },
          (task, results) => byIndex.get(task.index)!.forEach((f, i) => sink(f.index, results[i]!)),
        );
        return;
      }
      const decoder = await createBatchFileDecoder(plan(variants));
      try {
        for (const g of groups) {
          if (stop()) return;
          const results = await decoder.decodeFiles(g.map((f) => f.framesPath));
          g.forEach((f, i) => sink(f.index, results[i]!));
        }
      } finally {
        await decoder.close();
      }
    };
    const decodeAlone = async () => {
      const single = await createFileDecoder(init);
      try {
        const out: DecodedFile[] = [];
        for (const f of probe) {
          out.push(await single.decodeFile(f.framesPath));
          if (pooled) await yieldToEvents();
        }
        return out;
      } finally {
        await single.close();
      }
    };
    const mismatch = () => agreed !== undefined && agreed.length < candidates.length;
    if (pooled) {
      // Both at once: the workers decode in lock step while this thread decodes the probe alone.
      const all = decodeAll(candidates, take, mismatch);
      const settled = all.then(
        () => undefined,
        () => undefined,
      );
      try {
        alone = await decodeAlone();
        decide();
      } finally {
        await settled;
      }
      await all;
    } else {
      alone = await decodeAlone();
      await decodeAll(candidates, take, mismatch);
    }
    decide();
    const batched = agreed!;
    const differing = candidates.filter((e) => !batched.includes(e));
    if (differing.length > 0) {
      held.length = 0;
      await decodeAll(
        batched,
        (index, d) => options.append(index, d),
        () => false,
      );
    }
    const notBatched = [
      ...Object.entries(skipped),
      ...ownFiles.map((v) => [v, 'declared by its own files: no batch-capable build'] as const),
    ].map(([v, why]) => `; ${v} decoded one file at a time (${why})`);
    // The check covers the first 2B files only: past them a batched variant's lines are its lock-step
    // decode, trusted because the widened graphs are the same nodes and weights (README "Batched decoding").
    const unchecked = files.length - probe.length;
    const check =
      `the first ${probe.length} file(s) decoded one at a time and in lock step: tokens and frames identical for ` +
      `${batched.length ? batched.join(', ') : 'none'}` +
      (differing.length
        ? `; ${differing.join(', ')} differed, so every file was decoded again with them one file at a time`
        : '') +
      notBatched.join('') +
      (pooled
        ? differing.length
          ? "; the lock-step decodes compared were the worker threads'"
          : `; those ${probe.length} file(s) of the workers' lock-step groups re-decoded one at a time on the main thread: identical`
        : '') +
      (batched.length && unchecked > 0
        ? `; the other ${unchecked} file(s) were decoded with ${batched.join(', ')} in lock step only, not compared`
        : '');
    return {
      rows,
      batched,
      single: [...differing, ...Object.keys(skipped), ...ownFiles],
      check,
      onWorkers: pooled,
      workers: threads,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
