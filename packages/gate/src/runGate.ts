/**
 * The N-way WER gate: every variant decodes the same cached encoder frames of a corpus; each file's
 * outcome is appended to `results.jsonl` as it completes (so a killed run resumes), and the report
 * is computed from that log alone (so resumed, sharded-and-merged and uninterrupted runs agree).
 */
import fs from 'node:fs';
import path from 'node:path';
import { presets } from '@eou/wer';
import { runBatched, type BatchSummary } from './batchedRun';
import { buildReport, type ReportContext } from './buildReport';
import { defaultChunkLayout, type ChunkLayout } from './chunkLayout';
import { readCorpusProvenance, scheduleInfoOf } from './corpusProvenance';
import {
  checkReferenceWords,
  framesOutsideCorpus,
  framesPathOf,
  manifestTruth,
  readCorpus,
  type Corpus,
} from './corpus';
import { decodeWorkerEntry } from './decodeWorkerEntry';
import { createFileDecoder, type DecodedFile, type FileDecoderInit } from './fileDecoder';
import { entryFacts, type EntryFacts } from './entryFacts';
import { resolveEouDetector, type EouDetectorSpec } from './eouDetectorSpec';
import { toFileResult } from './fileResult';
import { flipMargins } from './flipMargins';
import { parseEndpointRules } from '@eou/frontend';
import type { ModelDirectory } from '@eou/model-dir';
import type { VariantSpec } from '@eou/rnnt-decode';
import { GateError } from './gateError';
import type { GateReport } from './gateReport';
import type { ManifestEntry } from './manifest';
import { gateVariants, hashModelFiles, readGateModel, sha256 } from './modelDirectory';
import { lockOutputDir } from './outputLock';
import { RESULTS_FORMAT, ResultsLog, readResults, type FileResult, type ResultsHeader } from './resultsLog';
import {
  defaultBatch,
  defaultWorkers,
  gateDefaults,
  integerOption,
  resolveSettings,
  type GateSettings,
  type GateSettingsInput,
} from './settings';
import { WHOLE, formatShard, inShard, type Shard } from './shard';
import { executionVariant } from './variantFiles';
import { gateVersions } from './versions';
import { runPool, type PoolTask } from './workerPool';
import { writeReports } from './writeReports';

/** Who ran the gate: recorded in the report, never read from the process. */
export interface GateProvenance {
  /** The command line or call, e.g. `eou wer-gate --candidates lean` (default `runGate()`). */
  readonly command?: string;
  /**
   * Versions of the packages that decide the results (default: `@eou/gate`, its `@eou` dependencies
   * and Node). They are part of the settings hash: a log is resumed only by the same versions.
   */
  readonly versions?: Readonly<Record<string, string>>;
}

/** Files done so far of the files this run (or shard) covers; resumed files count as done. */
export interface GateProgress {
  readonly done: number;
  readonly total: number;
}

/** Options of {@link runGate}: the settings, where to write, and how to run. */
export interface RunGateOptions extends GateSettingsInput {
  /** Output directory: `results.jsonl`, and for a whole run `report.json`, `report.md`, `report.html`. */
  readonly outDir: string;
  /** Decode only this slice of the corpus (default the whole); merge the shards with {@link mergeShards}. */
  readonly shard?: Shard;
  /** Decode worker threads (default min(cores, 4)); 1 decodes on the calling thread. */
  readonly workers?: number;
  /**
   * Rows decoded in lock step through batch-capable graphs built from the shipped weights (default
   * {@link defaultBatch}); 1 decodes one file at a time. Only variants whose lock-step decodes equal
   * their single-file decodes on the first 2B files run batched, and only those files are compared
   * (see `batchedRun.ts`); chunked corpora and `resetOnEndOfUtterance` always decode one file at a time.
   */
  readonly batch?: number;
  readonly provenance?: GateProvenance;
  /** Where `shard` came from, e.g. a job engine's variables (recorded in the log and the merged report). */
  readonly shardSource?: string;
  /** Called after each file and once at the start (with the resumed count). */
  readonly onProgress?: (progress: GateProgress) => void;
  /**
   * Told of what the run repaired on its way, one line each: a torn last line dropped, a stale lock
   * of a dead process taken over, a log without results removed.
   */
  readonly onNote?: (line: string) => void;
  /**
   * Variants declared by file (`parseVariantArgument('q=decoder.int8.onnx,joiner.onnx', layout)`),
   * named in `reference` / `candidates` like the model's own.
   */
  readonly declaredVariants?: readonly VariantSpec<string>[];
}

/** What {@link runGate} did. */
export interface GateRunResult {
  /** The report; absent for a partial shard run (merge the shards for the verdict). */
  readonly report?: GateReport;
  /** Files decoded by this call. */
  readonly decodedNow: number;
  /** Files whose results an earlier run of the same settings had logged. */
  readonly resumed: number;
  readonly resultsFile: string;
}

/** The settings record hashed into the log header: everything that decides a results line. */
function settingsRecord(
  settings: GateSettings,
  modelFiles: Record<string, string>,
  corpus: Corpus,
  versions: Readonly<Record<string, string>>,
  eouDetector: EouDetectorSpec,
) {
  return {
    variants: [settings.reference, ...settings.candidates],
    modelFiles,
    manifestSha256: corpus.manifestSha256,
    files: corpus.entries.length,
    normalizer: settings.normalizer,
    eouPolicy: settings.eouPolicy,
    rules: settings.rules,
    blowupFraction: settings.blowupFraction,
    maxFailedFiles: settings.maxFailedFiles,
    eouDetector,
    eouListenMs: settings.eouListenMs ?? gateDefaults.eouListenMs,
    resetOnEndOfUtterance: settings.resetOnEndOfUtterance === true,
    defaultEouRules: settings.defaultEouRules !== false,
    toolkit: versions,
  };
}

function checkShard(shard: Shard): Shard {
  const count = integerOption(shard?.count, 'shard.count', 1)!;
  const index = integerOption(shard?.index, 'shard.index', 1)!;
  if (index > count) throw new RangeError(`\`shard.index\` must be <= shard.count (${count}), got ${index}`);
  return { index, count };
}

/** A model that cannot be loaded is bad input naming the file, not an internal error. */
function asModelError(error: unknown): never {
  // By name: importing the classes would tie this check to one copy of each package.
  if (error instanceof Error && /^(RnntDecodeError|OnnxRuntimeError|FusionError)$/.test(error.name)) {
    throw new GateError('E_BAD_MODEL', error.message.split('\n')[0]!, { cause: error });
  }
  throw error;
}

/**
 * Runs the gate: decodes every file of the corpus (or shard) with the reference and each candidate,
 * appends each file's results to `<outDir>/results.jsonl` as it completes, and for a whole run builds
 * the report from the log and writes `report.json`, `report.md` and `report.html`. A log of the same
 * settings in `outDir` is resumed: only the files it lacks are decoded.
 *
 * Files that cannot be decoded (a bad `.npy`, NaN frames, a manifest line without text) are results
 * with a reason; they count against the `failedFiles` corpus rule, and the run goes on.
 *
 * @returns the report (whole runs), and how many files were decoded now and resumed.
 * @throws TypeError / RangeError for bad options (see {@link resolveSettings}); {@link GateError}
 *   `E_BAD_CORPUS`, `E_BAD_MANIFEST`, `E_BAD_MODEL`, `E_RESULTS_MISMATCH`, `E_BAD_RESULTS`,
 *   `E_NOTHING_DECODED` for input the gate cannot use.
 */
export async function runGate(options: RunGateOptions): Promise<GateRunResult> {
  const started = performance.now();
  // The model's variant names check reference and candidates; a model that cannot be read is
  // reported where it always was (after the settings and the corpus).
  let md: ModelDirectory | undefined;
  let modelError: unknown;
  try {
    if (typeof options?.modelDir === 'string' && options.modelDir !== '')
      md = readGateModel(options.modelDir);
  } catch (error) {
    modelError = error;
  }
  const registry = md === undefined ? undefined : gateVariants(md, options.declaredVariants);
  const settings = resolveSettings(options, registry?.names);
  const declared = options.declaredVariants ?? [];
  if (typeof options.outDir !== 'string' || options.outDir === '')
    throw new TypeError(`\`outDir\` must be a non-empty string, got ${JSON.stringify(options.outDir)}`);
  const shard = checkShard(options.shard ?? WHOLE);
  const workers = integerOption(options.workers, 'workers', 1) ?? defaultWorkers();
  const batch = integerOption(options.batch, 'batch', 1) ?? defaultBatch;
  const versions = options.provenance?.versions ?? gateVersions();
  const variants = [settings.reference, ...settings.candidates];
  const corpus = readCorpus(
    settings.dataDir,
    settings.maxFiles === undefined ? {} : { maxFiles: settings.maxFiles },
  );
  checkReferenceWords(corpus, presets[settings.normalizer], settings.normalizer);
  if (md === undefined) {
    if (modelError instanceof Error) throw modelError;
    throw new GateError('E_BAD_MODEL', `${settings.modelDir}: not a model directory`, {
      file: settings.modelDir,
    });
  }
  const model = md.config;
  const layout = model.layout;
  const described = md.modelJson;
  const origin = readCorpusProvenance(settings.dataDir);
  const modelFiles = hashModelFiles(settings.modelDir, model.ext, variants, declared);
  // A model without an EOU token ends utterances by its endpoint rules (model.json endOfUtterance).
  const eouDetector =
    settings.eouDetector === undefined &&
    model.eouId === undefined &&
    md.modelJson['endOfUtterance'] !== undefined
      ? resolveEouDetector({
          kind: 'endpoint',
          rules: parseEndpointRules(md.modelJson['endOfUtterance'], md.description.file),
        })
      : resolveEouDetector(settings.eouDetector, model.eouId !== undefined);
  const record = settingsRecord(settings, modelFiles, corpus, versions, eouDetector);
  const header: ResultsHeader = {
    kind: 'header',
    format: RESULTS_FORMAT,
    settingsHash: sha256(JSON.stringify(record)),
    settings: {
      ...record,
      modelDir: path.resolve(settings.modelDir),
      dataDir: path.resolve(settings.dataDir),
    },
    shard: formatShard(shard),
    ...(options.shardSource === undefined ? {} : { shardSource: options.shardSource }),
  };
  const outDir = options.outDir;
  const { lock, created } = lockOutputDir(outDir, options.onNote);
  let log: ResultsLog | undefined;
  try {
    const resultsFile = path.join(outDir, 'results.jsonl');
    log = ResultsLog.open(resultsFile, header, {
      manifest: manifestTruth(corpus),
      holds: (index) => inShard(index, shard),
      ...(options.onNote === undefined ? {} : { onNote: options.onNote }),
    });
    return await decodeAndReport(log, resultsFile);
  } catch (error) {
    // A run that failed before its first result leaves nothing behind (a corrected rerun starts clean).
    if (created && log?.started !== true) {
      lock.release();
      fs.rmSync(outDir, { recursive: true, force: true });
    }
    throw error;
  } finally {
    lock.release();
  }

  async function decodeAndReport(log: ResultsLog, resultsFile: string): Promise<GateRunResult> {
    const resumed = log.done.size;
    const selected = corpus.entries
      .map((entry, index) => ({ entry, index }))
      .filter(({ index }) => inShard(index, shard));
    const todo = selected.filter(({ entry }) => !log.done.has(entry.id));
    let done = selected.length - todo.length;
    options.onProgress?.({ done, total: selected.length });

    const byIndex = new Map(todo.map((t) => [t.index, t]));
    const facts = new Map<number, EntryFacts>(
      todo.map((t) => [t.index, entryFacts(t.entry, corpus.manifestFile)]),
    );
    for (const t of todo) {
      const outside =
        facts.get(t.index)!.problem === undefined ? framesOutsideCorpus(corpus, t.entry) : undefined;
      if (outside !== undefined) facts.set(t.index, { problem: outside });
    }
    const modelJson = { ...described };
    // Files that are never decoded are logged with the first decoded one: a run whose model fails to
    // start writes no log that would refuse the corrected rerun.
    const pending: FileResult[] = [];
    const flushPending = () => {
      for (const r of pending.splice(0)) log.append(r);
    };
    const resultOf = (index: number, decoded: DecodedFile): FileResult => {
      const { entry } = byIndex.get(index)!;
      const f = facts.get(index)!;
      return toFileResult(entry, index, decoded, settings, {
        ...(f.speech === undefined ? {} : { speech: f.speech }),
        chunking:
          f.chunking ??
          ((frames: number) =>
            defaultChunkLayout(
              modelJson,
              model,
              frames,
              typeof entry.extra['duration'] === 'number' ? entry.extra['duration'] : undefined,
            )),
      });
    };
    const append = (index: number, decoded: DecodedFile) => {
      flushPending();
      log.append(resultOf(index, decoded));
      done += 1;
      options.onProgress?.({ done, total: selected.length });
    };
    // Manifest lines without usable text or frames (or audio `eou encode` could not read) are
    // reported per file and never decoded.
    for (const t of todo) {
      const problem = facts.get(t.index)!.problem;
      if (problem !== undefined) {
        pending.push(resultOf(t.index, { ok: false, reason: problem }));
        done += 1;
      }
    }
    if (pending.length) options.onProgress?.({ done, total: selected.length });
    const decodable = todo.filter((t) => facts.get(t.index)!.problem === undefined);
    const layoutOf = (index: number) => facts.get(index)!.chunking;
    const durationOf = (index: number) => {
      const d = byIndex.get(index)!.entry.extra['duration'];
      return typeof d === 'number' ? d : undefined;
    };
    const init: FileDecoderInit = {
      modelDir: settings.modelDir,
      variants,
      eouPolicy: settings.eouPolicy,
      modelJson,
      ...(declared.length === 0 ? {} : { declaredVariants: declared }),
      ...(settings.resetOnEndOfUtterance === true ? { resetOnEndOfUtterance: eouDetector } : {}),
    };
    const entry = workers > 1 && decodable.length > 1 ? decodeWorkerEntry() : undefined;
    let executionMode = 'in-process';
    let identicalCheck = 'single thread: no cross-check needed';
    let batchSummary: BatchSummary | undefined;
    let threads = 1;
    const whyNotBatched =
      batch < 2
        ? 'batch 1'
        : model.ext !== 'onnx'
          ? `${model.ext} models are not batched`
          : layout !== 'eou'
            ? `the ${layout} layout decodes one file at a time`
            : settings.resetOnEndOfUtterance === true
              ? 'reset on EOU decodes in chunks'
              : decodable.some((t) => layoutOf(t.index) !== undefined)
                ? 'the corpus gives chunk layouts'
                : decodable.length < 2
                  ? 'fewer than two files'
                  : undefined;
    try {
      if (whyNotBatched === undefined) {
        batchSummary = await runBatched({
          init,
          rows: batch,
          files: decodable.map(({ entry: e, index }) => ({
            index,
            id: e.id,
            framesPath: framesPathOf(settings.dataDir, e),
          })),
          workers,
          entry,
          append,
        }).catch(asModelError);
        identicalCheck = batchSummary.check;
        threads = batchSummary.workers;
        executionMode = `${batchSummary.onWorkers ? 'worker-threads' : 'in-process'}, lock-step batches`;
      } else if (entry) {
        executionMode = 'worker-threads';
        const workerResults = new Map<number, DecodedFile>();
        const tasks: PoolTask[] = decodable.map(({ entry: e, index }) => {
          const layout = layoutOf(index);
          const durationSec = durationOf(index);
          return {
            index,
            id: e.id,
            framesPath: framesPathOf(settings.dataDir, e),
            ...(layout === undefined ? {} : { layout }),
            ...(durationSec === undefined ? {} : { durationSec }),
          };
        });
        threads = await runPool<FileDecoderInit, DecodedFile>(
          tasks,
          { entry, workers, init },
          (task, result) => {
            if (workerResults.size < 2) workerResults.set(task.index, result);
            append(task.index, result);
          },
        ).catch(asModelError);
        identicalCheck = await crossCheck(settings, init, workerResults, byIndex, layoutOf, durationOf);
      } else {
        const decoder = await createFileDecoder(init).catch(asModelError);
        try {
          for (const { entry: e, index } of decodable)
            append(
              index,
              await decoder.decodeFile(framesPathOf(settings.dataDir, e), layoutOf(index), durationOf(index)),
            );
        } finally {
          await decoder.close();
        }
      }
      flushPending();
    } finally {
      log.close();
    }
    if (shard.count > 1) return { decodedNow: todo.length, resumed, resultsFile };
    const context: ReportContext = {
      settings,
      header,
      command: options.provenance?.command ?? 'runGate()',
      versions,
      wallSec: (performance.now() - started) / 1000,
      execution: {
        mode: executionMode,
        resumedFiles: resumed,
        // The threads that ran, not the request (min(requested, files to decode)).
        workers: threads,
        identicalCheck,
        batch: batchSummary
          ? {
              rows: batchSummary.rows,
              batched: batchSummary.batched,
              single: batchSummary.single,
              check: batchSummary.check,
            }
          : {
              rows: 1,
              batched: [],
              single: [...new Set(variants.map((v) => executionVariant(v, layout)))],
              check: `one file at a time (${whyNotBatched ?? 'batch 1'})`,
            },
      },
      frameMs: model.frameMs,
      eou: {
        detector: eouDetector,
        eouId: model.eouId,
        listenMs: settings.eouListenMs ?? gateDefaults.eouListenMs,
        resetOnEndOfUtterance: settings.resetOnEndOfUtterance === true,
      },
      ...(origin === undefined ? {} : { schedule: scheduleInfoOf(origin) }),
    };
    const files = readResults(resultsFile, { manifest: manifestTruth(corpus) }).files;
    const framesById = new Map(corpus.entries.map((e) => [e.id, framesPathOf(settings.dataDir, e)]));
    const flips = await flipMargins(settings, model, files, framesById);
    const report = buildReport(files, [formatShard(WHOLE)], context, flips);
    writeReports(outDir, report);
    return { report, decodedNow: todo.length, resumed, resultsFile };
  }
}

/** Re-decodes the first files on this thread and insists the workers produced the same tokens. */
async function crossCheck(
  settings: GateSettings,
  init: FileDecoderInit,
  workerResults: ReadonlyMap<number, DecodedFile>,
  byIndex: ReadonlyMap<number, { entry: ManifestEntry; index: number }>,
  layoutOf: (index: number) => ChunkLayout | undefined,
  durationOf: (index: number) => number | undefined,
): Promise<string> {
  const decoder = await createFileDecoder(init);
  try {
    for (const [index, fromWorker] of workerResults) {
      const { entry } = byIndex.get(index)!;
      const here = await decoder.decodeFile(
        framesPathOf(settings.dataDir, entry),
        layoutOf(index),
        durationOf(index),
      );
      for (const v of init.variants) {
        const a = fromWorker.ok ? fromWorker.variants[v]?.tokens : undefined;
        const b = here.ok ? here.variants[v]?.tokens : undefined;
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          throw new Error(
            `worker-thread decoding of '${entry.id}' (${v}) differs from single-thread decoding; rerun with one worker`,
          );
        }
      }
    }
  } finally {
    await decoder.close();
  }
  return `tokens of ${workerResults.size} file(s) re-decoded on the main thread: identical`;
}
