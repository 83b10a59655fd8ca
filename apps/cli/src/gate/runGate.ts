/**
 * The N-way WER gate: every variant decodes the same cached encoder frames of a corpus; each file's
 * outcome is appended to `results.jsonl` as it completes (so a killed run resumes), and the report
 * is computed from that log alone (so resumed, sharded-and-merged and uninterrupted runs agree).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import {
  checkVariantSources,
  FusionError,
  isVariantKind,
  openVariantStepper,
  resolveParityConfig,
  teacherForced,
} from '@eou/fusion';
import {
  parseModelConfig,
  parseNpy,
  variantFiles,
  variantSpec,
  type EouPolicy,
  type ModelConfig,
} from '@eou/rnnt-decode';
import { parseManifest, presets, processWords, type GateRule, type ManifestEntry } from '@eou/wer';
import { CLIError } from '../cliError';
import { packageVersions } from '../versions';
import { buildReport, type ReportContext } from './buildReport';
import { createFileDecoder, executionVariant, type DecodedFile } from './fileDecoder';
import type { FlipMargins, GateReport } from './gateReport';
import { createProgress } from './progress';
import { renderHtml, renderMarkdown } from './renderReport';
import {
  RESULTS_FORMAT,
  ResultsLog,
  readResults,
  type FileResult,
  type ResultsHeader,
  type VariantFileResult,
} from './resultsLog';
import { WHOLE, formatShard, inShard, type Shard } from './shard';
import { runPool, WorkerInitError, type PoolTask } from './workerPool';
import type { Writable } from 'node:stream';

export type NormalizerName = keyof typeof presets;

export interface GateSettings {
  readonly modelDir: string;
  readonly dataDir: string;
  readonly reference: string;
  readonly candidates: readonly string[];
  readonly rules: readonly GateRule[];
  readonly blowupFraction: number;
  readonly normalizer: NormalizerName;
  readonly eouPolicy: EouPolicy;
  /** Decode only the first N manifest entries (before sharding). */
  readonly maxFiles?: number;
  /** Files that cannot be decoded before the verdict fails (default 0). */
  readonly maxFailedFiles: number;
}

export interface GateRunOptions extends GateSettings {
  readonly outDir: string;
  readonly shard: Shard;
  readonly workers: number;
  /** Built worker entry; without it files decode on this thread. */
  readonly workerUrl?: URL;
  readonly command: string;
  readonly stderr: Writable;
  readonly showProgress: boolean;
}

export interface GateRunResult {
  /** Absent for a partial shard run (merge the shards for the verdict). */
  readonly report?: GateReport;
  readonly decodedNow: number;
  readonly resumed: number;
  readonly resultsFile: string;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function normalizerOf(name: NormalizerName) {
  const normalizer = presets[name];
  if (!normalizer)
    throw new CLIError(
      `--normalizer: unknown normaliser '${name}' (one of ${Object.keys(presets).join(', ')})`,
    );
  return normalizer;
}

interface Corpus {
  readonly manifestFile: string;
  readonly manifestSha256: string;
  readonly entries: readonly ManifestEntry[];
}

function loadCorpus(dataDir: string, maxFiles: number | undefined): Corpus {
  const manifestFile = path.join(dataDir, 'manifest.jsonl');
  if (!fs.existsSync(manifestFile))
    throw new CLIError(
      `${dataDir}: no manifest.jsonl (a corpus directory holds manifest.jsonl and the .npy frames it names)`,
      'E_BAD_INPUT',
    );
  const bytes = fs.readFileSync(manifestFile);
  let entries: ManifestEntry[];
  try {
    entries = parseManifest(new Uint8Array(bytes), manifestFile, { lenient: true });
  } catch (error) {
    throw new CLIError(error instanceof Error ? error.message : String(error), 'E_BAD_INPUT');
  }
  if (entries.length === 0) throw new CLIError(`${manifestFile}: no entries`, 'E_BAD_INPUT');
  return {
    manifestFile,
    manifestSha256: sha256(bytes),
    entries: maxFiles === undefined ? entries : entries.slice(0, maxFiles),
  };
}

/** Reads a model directory's model.json once per run; bad input is a one-line CLIError. */
function readModelConfig(modelDir: string): ModelConfig {
  const configFile = path.join(modelDir, 'model.json');
  if (!fs.existsSync(configFile))
    throw new CLIError(`${modelDir}: not a model directory (no model.json)`, 'E_BAD_INPUT');
  try {
    return parseModelConfig(fs.readFileSync(configFile, 'utf8'), configFile);
  } catch (error) {
    throw new CLIError(error instanceof Error ? error.message : String(error), 'E_BAD_INPUT');
  }
}

/** sha256 of every model file the requested variants open (plus model.json and vocab.json). */
function hashModelFiles(modelDir: string, ext: string, variants: readonly string[]): Record<string, string> {
  const names = new Set(['model.json', 'vocab.json']);
  for (const v of variants) {
    let spec;
    try {
      spec = variantSpec(executionVariant(v));
    } catch (error) {
      throw new CLIError(`unknown variant '${v}': ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const name of Object.values(variantFiles(spec, ext as never))) names.add(name);
  }
  // A fused file built from other decoder/joint weights would make the whole comparison meaningless.
  if (ext === 'onnx') {
    for (const v of variants) {
      const exec = executionVariant(v);
      if (!isVariantKind(exec)) continue;
      try {
        checkVariantSources(modelDir, exec);
      } catch (error) {
        if (error instanceof FusionError) throw new CLIError(error.message.split('\n')[0]!, 'E_BAD_INPUT');
        throw error;
      }
    }
  }
  const out: Record<string, string> = {};
  for (const name of [...names].sort()) {
    const file = path.join(modelDir, name);
    if (!fs.existsSync(file)) {
      const hint = /fused|pipeline|projected/.test(name)
        ? ` (build it with \`eou fuse --model ${modelDir} --variant ...\`)`
        : '';
      throw new CLIError(`${modelDir}: ${name} is missing${hint}`, 'E_BAD_INPUT');
    }
    out[name] = sha256(fs.readFileSync(file));
  }
  return out;
}

function settingsRecord(settings: GateSettings, modelFiles: Record<string, string>, corpus: Corpus) {
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
    toolkit: packageVersions(),
  };
}

function framesPathOf(dataDir: string, entry: ManifestEntry): string {
  return path.join(dataDir, entry.frames);
}

function wordCount(text: string, normalizer: NormalizerName): number {
  return normalizerOf(normalizer)(text).length;
}

/** Turns a decoded file into its results line (scoring happens here, on the main thread). */
export function toFileResult(
  entry: ManifestEntry,
  index: number,
  decoded: DecodedFile,
  settings: GateSettings,
): FileResult {
  const base = {
    kind: 'file' as const,
    id: entry.id,
    index,
    reference: entry.text,
    words: wordCount(entry.text, settings.normalizer),
  };
  const duration = typeof entry.extra.duration === 'number' ? { durationSec: entry.extra.duration } : {};
  if (!decoded.ok)
    return { ...base, ...duration, status: 'error', reason: decoded.reason, frames: 0, variants: {} };
  const normalizer = normalizerOf(settings.normalizer);
  const refTokens = decoded.variants[settings.reference]!.tokens;
  const variants: Record<string, VariantFileResult> = {};
  for (const [name, v] of Object.entries(decoded.variants)) {
    const c = processWords(entry.text, v.text, { normalizer });
    variants[name] = {
      tokens: v.tokens,
      text: v.text,
      errors: c.errors,
      substitutions: c.substitutions,
      deletions: c.deletions,
      insertions: c.insertions,
      seqDiff: v.tokens.length !== refTokens.length || v.tokens.some((t, i) => t !== refTokens[i]),
      decodeMs: Math.round(v.decodeMs * 1000) / 1000,
      eouFrames: v.eouFrames,
      steps: v.steps,
    };
  }
  return { ...base, ...duration, status: 'ok', frames: decoded.frames, variants };
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function writeReports(outDir: string, report: GateReport): void {
  writeAtomic(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  writeAtomic(path.join(outDir, 'report.md'), renderMarkdown(report));
  writeAtomic(path.join(outDir, 'report.html'), renderHtml(report));
}

/**
 * Argmax flips of each candidate at teacher-forced steps of the files whose token sequence differs
 * from the reference's, with the reference's top-1 minus top-2 logit margin (when it has a top-k
 * head). Bounded to the first `limit` differing files per candidate, in manifest order.
 */
export async function flipMargins(
  settings: GateSettings,
  model: ModelConfig,
  files: readonly FileResult[],
  framesPathOf: ReadonlyMap<string, string>,
  limit = 40,
): Promise<FlipMargins[]> {
  const config = resolveParityConfig({
    blankId: model.blankId,
    eouId: model.eouId,
    maxSymbolsPerFrame: model.maxSymbolsPerFrame,
    eouPolicy: settings.eouPolicy,
    vocabSize: model.vocabSize,
  });
  const open = (p: string) => openOnnxSession(p, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const out: FlipMargins[] = [];
  // The reference is loaded only when some candidate differs from it (usually none does).
  let ref: Awaited<ReturnType<typeof openVariantStepper>> | undefined;
  try {
    for (const candidate of settings.candidates) {
      const diffs = files.filter((f) => f.status === 'ok' && f.variants[candidate]?.seqDiff).slice(0, limit);
      const margins: number[] = [];
      if (diffs.length) {
        ref ??= await openVariantStepper(settings.modelDir, executionVariant(settings.reference), open);
        const b = await openVariantStepper(settings.modelDir, executionVariant(candidate), open);
        try {
          for (const f of diffs) {
            const framesPath = framesPathOf.get(f.id);
            if (framesPath === undefined)
              throw new CLIError(`${settings.dataDir}/manifest.jsonl: no entry '${f.id}'`, 'E_BAD_INPUT');
            const npy = parseNpy(new Uint8Array(fs.readFileSync(framesPath)), framesPath);
            const r = await teacherForced(ref, b, npy.data, npy.dims[0], config);
            for (const flip of r.flips)
              if (flip.marginA !== null) margins.push(Math.round(flip.marginA * 1e6) / 1e6);
          }
        } finally {
          await b.close();
        }
      }
      out.push({ variant: candidate, margins, filesChecked: diffs.length });
    }
  } finally {
    await ref?.close();
  }
  return out;
}

export async function runGate(options: GateRunOptions): Promise<GateRunResult> {
  const started = performance.now();
  normalizerOf(options.normalizer);
  const variants = [options.reference, ...options.candidates];
  if (new Set(variants).size !== variants.length)
    throw new CLIError(`--ref/--candidates: a variant is listed twice (${variants.join(', ')})`);
  const corpus = loadCorpus(options.dataDir, options.maxFiles);
  const model = readModelConfig(options.modelDir);
  const modelFiles = hashModelFiles(options.modelDir, model.ext, variants);
  const settings = settingsRecord(options, modelFiles, corpus);
  const header: ResultsHeader = {
    kind: 'header',
    format: RESULTS_FORMAT,
    settingsHash: sha256(JSON.stringify(settings)),
    settings: {
      ...settings,
      modelDir: path.resolve(options.modelDir),
      dataDir: path.resolve(options.dataDir),
    },
    shard: formatShard(options.shard),
  };
  fs.mkdirSync(options.outDir, { recursive: true });
  const resultsFile = path.join(options.outDir, 'results.jsonl');
  const log = ResultsLog.open(resultsFile, header);
  const resumed = log.done.size;
  const selected = corpus.entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ index }) => inShard(index, options.shard));
  const todo = selected.filter(({ entry }) => !log.done.has(entry.id));
  const progress = createProgress(options.stderr, selected.length, options.showProgress);
  let done = selected.length - todo.length;
  progress.tick(done);

  const byIndex = new Map(todo.map((t) => [t.index, t]));
  const record = (index: number, decoded: DecodedFile) => {
    const { entry } = byIndex.get(index)!;
    log.append(toFileResult(entry, index, decoded, options));
    progress.tick(++done);
  };
  // Manifest lines without usable text or frames are reported per file and never decoded.
  for (const t of todo) if (t.entry.problem) record(t.index, { ok: false, reason: t.entry.problem });
  const decodable = todo.filter((t) => !t.entry.problem);
  // A model that cannot be loaded is bad input (one line, exit 2), not an internal error.
  const asModelError = (error: unknown): never => {
    if (
      error instanceof WorkerInitError ||
      (error instanceof Error && /^(RnntDecodeError|OnnxRuntimeError|FusionError)$/.test(error.name))
    ) {
      throw new CLIError(error.message.split('\n')[0]!, 'E_BAD_MODEL', { cause: error });
    }
    throw error;
  };
  let executionMode = 'in-process';
  let identicalCheck = 'single thread: no cross-check needed';
  try {
    if (options.workerUrl && options.workers > 1 && decodable.length > 1) {
      executionMode = 'worker-threads';
      const workerResults = new Map<number, DecodedFile>();
      const tasks: PoolTask[] = decodable.map(({ entry, index }) => ({
        index,
        id: entry.id,
        framesPath: framesPathOf(options.dataDir, entry),
      }));
      await runPool<unknown, DecodedFile>(
        tasks,
        {
          workerUrl: options.workerUrl,
          workers: options.workers,
          init: { modelDir: options.modelDir, variants, eouPolicy: options.eouPolicy },
        },
        (task, result) => {
          if (workerResults.size < 2) workerResults.set(task.index, result);
          record(task.index, result);
        },
      ).catch(asModelError);
      identicalCheck = await crossCheck(options, variants, workerResults, byIndex);
    } else {
      const decoder = await createFileDecoder({
        modelDir: options.modelDir,
        variants,
        eouPolicy: options.eouPolicy,
      }).catch(asModelError);
      try {
        for (const { entry, index } of decodable)
          record(index, await decoder.decodeFile(framesPathOf(options.dataDir, entry)));
      } finally {
        await decoder.close();
      }
    }
  } finally {
    log.close();
    progress.finish();
  }
  const context: ReportContext = {
    settings: options,
    header,
    command: options.command,
    wallSec: (performance.now() - started) / 1000,
    execution: {
      mode: executionMode,
      resumedFiles: resumed,
      workers: executionMode === 'in-process' ? 1 : options.workers,
      identicalCheck,
    },
    frameMs: model.frameMs,
  };
  if (options.shard.count > 1) return { decodedNow: todo.length, resumed, resultsFile };
  const files = readResults(resultsFile).files;
  const framesById = new Map(corpus.entries.map((e) => [e.id, framesPathOf(options.dataDir, e)]));
  const flips = await flipMargins(options, model, files, framesById);
  const report = buildReport(files, [formatShard(WHOLE)], context, flips);
  writeReports(options.outDir, report);
  return { report, decodedNow: todo.length, resumed, resultsFile };
}

/** Re-decodes the first files on this thread and insists the workers produced the same tokens. */
async function crossCheck(
  options: GateRunOptions,
  variants: readonly string[],
  workerResults: ReadonlyMap<number, DecodedFile>,
  byIndex: ReadonlyMap<number, { entry: ManifestEntry; index: number }>,
): Promise<string> {
  const decoder = await createFileDecoder({
    modelDir: options.modelDir,
    variants,
    eouPolicy: options.eouPolicy,
  });
  try {
    for (const [index, fromWorker] of workerResults) {
      const { entry } = byIndex.get(index)!;
      const here = await decoder.decodeFile(framesPathOf(options.dataDir, entry));
      for (const v of variants) {
        const a = fromWorker.ok ? fromWorker.variants[v]?.tokens : undefined;
        const b = here.ok ? here.variants[v]?.tokens : undefined;
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          throw new Error(
            `worker-thread decoding of '${entry.id}' (${v}) differs from single-thread decoding; rerun with --concurrency 1`,
          );
        }
      }
    }
  } finally {
    await decoder.close();
  }
  return `tokens of ${workerResults.size} file(s) re-decoded on the main thread: identical`;
}

/** `eou wer-gate merge`: combines shard logs into the report of one whole run. */
export async function mergeShards(
  dirs: readonly string[],
  outDir: string,
  command: string,
  stderr: Writable,
): Promise<GateReport> {
  void stderr;
  const started = performance.now();
  if (dirs.length === 0) throw new CLIError('eou wer-gate merge: name at least one shard directory');
  const logs = dirs.map((d) => {
    const file = path.join(d, 'results.jsonl');
    if (!fs.existsSync(file)) throw new CLIError(`${d}: no results.jsonl`, 'E_BAD_INPUT');
    return { dir: d, ...readResults(file) };
  });
  const first = logs[0]!.header;
  for (const l of logs) {
    if (l.header.settingsHash !== first.settingsHash) {
      throw new CLIError(
        `${l.dir}/results.jsonl: written with other settings than ${logs[0]!.dir} (settings ${l.header.settingsHash.slice(0, 12)} vs ${first.settingsHash.slice(0, 12)})`,
        'E_BAD_INPUT',
      );
    }
  }
  const count = Number(first.shard.split('/')[1]);
  const seen = new Set(logs.map((l) => l.header.shard));
  if (seen.size !== logs.length)
    throw new CLIError(
      `eou wer-gate merge: a shard is given twice (${logs.map((l) => l.header.shard).join(', ')})`,
      'E_BAD_INPUT',
    );
  const missing = Array.from({ length: count }, (_, i) => `${i + 1}/${count}`).filter((s) => !seen.has(s));
  if (missing.length)
    throw new CLIError(`eou wer-gate merge: shard(s) ${missing.join(', ')} missing`, 'E_BAD_INPUT');
  const s = first.settings as Record<string, unknown> & {
    variants: string[];
    modelDir: string;
    dataDir: string;
    files: number;
  };
  const files = logs.flatMap((l) => l.files).sort((a, b) => a.index - b.index);
  const expected = s.files;
  for (const l of logs) {
    const [i, n] = l.header.shard.split('/').map(Number) as [number, number];
    const want = Array.from({ length: expected }, (_, k) => k).filter((k) =>
      inShard(k, { index: i, count: n }),
    ).length;
    if (l.files.length !== want)
      throw new CLIError(
        `${l.dir}/results.jsonl: shard ${l.header.shard} is incomplete (${l.files.length} of ${want} files); rerun it to resume`,
        'E_BAD_INPUT',
      );
  }
  const settings: GateSettings = {
    modelDir: s.modelDir,
    dataDir: s.dataDir,
    reference: s.variants[0]!,
    candidates: s.variants.slice(1),
    rules: s.rules as GateRule[],
    blowupFraction: s.blowupFraction as number,
    maxFailedFiles: (s.maxFailedFiles as number | undefined) ?? 0,
    normalizer: s.normalizer as NormalizerName,
    eouPolicy: s.eouPolicy as EouPolicy,
  };
  const model = readModelConfig(settings.modelDir);
  const context: ReportContext = {
    settings,
    header: { ...first, shard: '1/1' },
    command,
    wallSec: (performance.now() - started) / 1000,
    execution: {
      mode: `merged from ${logs.length} shards`,
      resumedFiles: 0,
      workers: logs.length,
      identicalCheck: 'each shard checked its own execution',
    },
    frameMs: model.frameMs,
  };
  const corpus = loadCorpus(settings.dataDir, undefined);
  const framesById = new Map(corpus.entries.map((e) => [e.id, framesPathOf(settings.dataDir, e)]));
  const flips = await flipMargins(settings, model, files, framesById);
  const report = buildReport(files, [...seen].sort(), context, flips);
  fs.mkdirSync(outDir, { recursive: true });
  writeReports(outDir, report);
  return report;
}
