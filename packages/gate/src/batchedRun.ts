/**
 * The gate's batched execution (`runGate({ batch })`): batch-capable graphs are built from the
 * model directory's shipped weights into a temp directory, the first files are decoded both one at
 * a time and in lock step, and only the variants whose tokens agree on every one of them decode the
 * rest in lock step (the others one file at a time). Every file's results are the single-file
 * decoder's by this check, so the results log and its settings hash do not depend on the mode.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBatchedModelDirectory } from '@eou/fusion';
import { createBatchFileDecoder, type BatchFileDecoderInit } from './batchFileDecoder';
import type { WorkerEntry } from './decodeWorkerEntry';
import { createFileDecoder, type DecodedFile, type FileDecoderInit } from './fileDecoder';
import { executionVariant } from './variantFiles';
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
  /** Execution variants decoded one file at a time (their lock-step tokens differed, or B = 1). */
  readonly single: readonly string[];
  /** How the lock-step tokens were checked against single-file decoding. */
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

/** Lock-step tokens equal single-file tokens for `variant` on every probe file. */
function sameTokens(variant: string, a: readonly DecodedFile[], b: readonly DecodedFile[]): boolean {
  return a.every((x, i) => {
    const y = b[i]!;
    if (!x.ok || !y.ok) return x.ok === y.ok;
    return JSON.stringify(x.variants[variant]?.tokens) === JSON.stringify(y.variants[variant]?.tokens);
  });
}

/**
 * Decodes `files` in batched mode and appends each result. Returns what the report says of it.
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
    const { skipped } = writeBatchedModelDirectory(init.modelDir, dir, execs);
    const candidates = execs.filter((e) => !Object.hasOwn(skipped, e));
    const probe = files.slice(0, Math.min(files.length, rows * 2));
    const single = await createFileDecoder(init);
    let alone: DecodedFile[];
    try {
      alone = [];
      for (const f of probe) alone.push(await single.decodeFile(f.framesPath));
    } finally {
      await single.close();
    }
    const all: BatchFileDecoderInit = {
      modelDir: init.modelDir,
      variants: init.variants,
      eouPolicy: init.eouPolicy,
      batch: { modelDir: dir, rows, variants: candidates },
    };
    const lockStep = await createBatchFileDecoder(all);
    let together: DecodedFile[];
    try {
      together = await lockStep.decodeFiles(probe.map((f) => f.framesPath));
    } finally {
      await lockStep.close();
    }
    const batched = candidates.filter((e) => sameTokens(representative.get(e)!, alone, together));
    const differing = candidates.filter((e) => !batched.includes(e));
    const coupled = Object.entries(skipped).map(([v, why]) => `; ${v} decoded one file at a time (${why})`);
    probe.forEach((f, i) => options.append(f.index, alone[i]!));

    const rest = files.slice(probe.length);
    const init2: BatchFileDecoderInit = { ...all, batch: { ...all.batch, variants: batched } };
    let workerNote = '';
    let onWorkers = false;
    let threads = 1;
    if (rest.length > 0) {
      const size = filesPerTask(rows, rest.length, options.entry === undefined ? 1 : options.workers);
      const groups: BatchedFile[][] = [];
      for (let i = 0; i < rest.length; i += size) groups.push(rest.slice(i, i + size));
      if (options.entry !== undefined && options.workers > 1 && groups.length > 1) {
        const byIndex = new Map(groups.map((g) => [g[0]!.index, g]));
        const tasks: PoolTask[] = groups.map((g) => ({
          index: g[0]!.index,
          id: g[0]!.id,
          framesPath: g[0]!.framesPath,
          files: g.map((f) => f.framesPath),
        }));
        let firstGroup: { group: BatchedFile[]; results: DecodedFile[] } | undefined;
        threads = await runPool<{ batch: BatchFileDecoderInit }, DecodedFile[]>(
          tasks,
          { entry: options.entry, workers: options.workers, init: { batch: init2 } },
          (task, results) => {
            const group = byIndex.get(task.index)!;
            firstGroup ??= { group, results };
            group.forEach((f, i) => options.append(f.index, results[i]!));
          },
        );
        workerNote = await crossCheckWorkers(init, firstGroup!);
        onWorkers = true;
      } else {
        const decoder = await createBatchFileDecoder(init2);
        try {
          for (const g of groups) {
            const results = await decoder.decodeFiles(g.map((f) => f.framesPath));
            g.forEach((f, i) => options.append(f.index, results[i]!));
          }
        } finally {
          await decoder.close();
        }
      }
    }
    const check =
      `the first ${probe.length} file(s) decoded one at a time and in lock step: tokens identical for ` +
      `${batched.length ? batched.join(', ') : 'none'}` +
      (differing.length ? `; ${differing.join(', ')} differed, so decoded one file at a time` : '') +
      coupled.join('') +
      workerNote;
    return {
      rows,
      batched,
      single: [...differing, ...Object.keys(skipped)],
      check,
      onWorkers,
      workers: threads,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Re-decodes the first two files of a worker's group one at a time here; their tokens must agree. */
async function crossCheckWorkers(
  init: FileDecoderInit,
  first: { group: BatchedFile[]; results: DecodedFile[] },
): Promise<string> {
  const decoder = await createFileDecoder(init);
  const n = Math.min(2, first.group.length);
  try {
    for (let i = 0; i < n; i++) {
      const here = await decoder.decodeFile(first.group[i]!.framesPath);
      const there = first.results[i]!;
      for (const v of init.variants) {
        const a = here.ok ? here.variants[v]?.tokens : undefined;
        const b = there.ok ? there.variants[v]?.tokens : undefined;
        if (JSON.stringify(a) !== JSON.stringify(b))
          throw new Error(
            `worker-thread batched decoding of '${first.group[i]!.id}' (${v}) differs from single-file decoding; rerun with --batch 1`,
          );
      }
    }
  } finally {
    await decoder.close();
  }
  return `; ${n} file(s) of a worker's lock-step group re-decoded one at a time on the main thread: identical`;
}
