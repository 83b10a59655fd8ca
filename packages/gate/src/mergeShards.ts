/**
 * Merges the results logs of shard runs (`shard: i/n`) into the report of one whole run. Records are
 * merged by file id: each manifest file is counted once whatever the shards overlap (a 1/1 run plus
 * shard 1/3 reported 534 files of a 403-file corpus), a file two logs hold with the same results is
 * kept once with a note, one they disagree on is refused, and every file of the manifest must be there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EouPolicy } from '@eou/rnnt-decode';
import { presets, type GateRule, type NormalizerName } from '@eou/wer';
import { buildReport, type ReportContext } from './buildReport';
import { checkReferenceWords, framesPathOf, manifestTruth, readCorpus } from './corpus';
import { readCorpusProvenance, scheduleInfoOf } from './corpusProvenance';
import { resolveEouDetector, type EouDetectorInput } from './eouDetectorSpec';
import { flipMargins } from './flipMargins';
import { GateError } from './gateError';
import type { GateReport } from './gateReport';
import { readModelConfig } from './modelDirectory';
import { lockOutputDir, removeIfEmpty } from './outputLock';
import { readResults, readResultsHeader, type FileResult, type ResultsHeader } from './resultsLog';
import type { GateProvenance } from './runGate';
import { gateDefaults, type GateSettings } from './settings';
import { inShard, parseShard, shardSize } from './shard';
import { gateVersions } from './versions';
import { writeReports } from './writeReports';

/** Options of {@link mergeShards}. */
export interface MergeShardsOptions {
  /** Where to write `report.json`, `report.md` and `report.html` (created if missing). */
  readonly outDir: string;
  readonly provenance?: GateProvenance;
  /** Told of files held by more than one shard with the same results (kept once), and of torn lines dropped. */
  readonly onNote?: (line: string) => void;
}

const badShards = (message: string, file?: string): GateError =>
  new GateError('E_BAD_SHARDS', message, file === undefined ? {} : { file });

/** A record without its timing, which two decodes of the same file need not share. */
function resultsOf(r: FileResult): string {
  const variants = Object.entries(r.variants).map(([name, v]) => {
    const { decodeMs: _ms, ...rest } = v;
    return [name, rest];
  });
  return JSON.stringify({ ...r, variants });
}

interface Held {
  readonly record: FileResult;
  readonly file: string;
  readonly line: number;
}

/**
 * Reads `<dir>/results.jsonl` of every shard directory, checks that they are logs of one run with the
 * same settings over the same manifest that together hold every file of it, and writes the report
 * of the whole run to `outDir`.
 *
 * @returns the merged report (its deterministic part equals that of an uninterrupted run).
 * @throws RangeError when `dirs` is empty; {@link GateError} `E_BAD_SHARDS` for a missing log, other
 *   settings, a manifest changed since, two logs disagreeing on a file, files of the manifest no log
 *   holds (a missing or incomplete shard); `E_BAD_RESULTS` for a bad record; `E_LOCKED` when another
 *   gate or merge holds `outDir` (checked before any log is read; `outDir` is locked for the whole
 *   merge); `E_WRITE_FAILED` when `outDir` cannot be written; and the corpus and model errors of
 *   {@link runGate}.
 */
export async function mergeShards(dirs: readonly string[], options: MergeShardsOptions): Promise<GateReport> {
  const started = performance.now();
  if (!Array.isArray(dirs) || dirs.length === 0)
    throw new RangeError('`dirs` must name at least one shard directory');
  // Held from before the logs are read until the reports are written: a gate or another merge into
  // the same directory cannot interleave with this one.
  const outDir = options.outDir;
  const { lock, created } = lockOutputDir(outDir, options.onNote);
  try {
    return await mergeLocked(dirs, options, started);
  } catch (error) {
    // A merge that failed leaves no directory it created (reports are written whole or not at all).
    lock.release();
    if (created) removeIfEmpty(outDir);
    throw error;
  } finally {
    lock.release();
  }
}

async function mergeLocked(
  dirs: readonly string[],
  options: MergeShardsOptions,
  started: number,
): Promise<GateReport> {
  const logs = dirs.map((d) => {
    const file = path.join(d, 'results.jsonl');
    if (!fs.existsSync(file)) throw badShards(`${d}: no results.jsonl`, d);
    return { dir: d, file, header: readResultsHeader(file) };
  });
  const first = logs[0]!.header;
  for (const l of logs) {
    if (l.header.settingsHash !== first.settingsHash) {
      throw badShards(
        `${l.file}: written with other settings than ${logs[0]!.dir} (settings ${l.header.settingsHash.slice(0, 12)} vs ${first.settingsHash.slice(0, 12)})`,
        l.file,
      );
    }
  }
  const s = first.settings as Record<string, unknown> & {
    variants: string[];
    modelDir: string;
    dataDir: string;
    files: number;
    manifestSha256: string;
  };
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
    ...(s.defaultEouRules === false ? { defaultEouRules: false } : {}),
  };
  const corpus = readCorpus(settings.dataDir, { maxFiles: s.files });
  if (corpus.manifestSha256 !== s.manifestSha256 || corpus.entries.length !== s.files)
    throw badShards(
      `${corpus.manifestFile}: changed since the shards ran (sha256 ${corpus.manifestSha256.slice(0, 12)}, the shards' ${String(s.manifestSha256).slice(0, 12)}); rerun the shards`,
      corpus.manifestFile,
    );
  checkReferenceWords(corpus, presets[settings.normalizer], settings.normalizer);
  const truth = manifestTruth(corpus);

  const byId = new Map<string, Held>();
  const shared: string[] = [];
  const counts = logs.map((l) => {
    const shard = parseShard(l.header.shard);
    const read = readResults(l.file, {
      manifest: truth,
      holds: (index) => inShard(index, shard),
      ...(options.onNote === undefined ? {} : { onNote: options.onNote }),
    });
    read.files.forEach((record, i) => {
      const line = read.lines[i]!;
      const before = byId.get(record.id);
      if (before === undefined) return void byId.set(record.id, { record, file: l.file, line });
      if (resultsOf(before.record) !== resultsOf(record))
        throw badShards(
          `${l.file} line ${line}: file '${record.id}' has other results than ${before.file} line ${before.line}; these logs are not of one run`,
          l.file,
        );
      shared.push(record.id);
    });
    return { ...l, shard, held: read.files.length };
  });
  if (shared.length)
    options.onNote?.(
      `${shared.length} file(s) held by more than one log with the same results (first: '${shared[0]}'), counted once`,
    );
  const missing = corpus.entries.filter((e) => !byId.has(e.id));
  if (missing.length) throw badShards(coverageProblem(counts, s.files, missing.length, missing[0]!.id));

  const files = [...byId.values()].map((h) => h.record).sort((a, b) => a.index - b.index);
  const labels = [...new Set(logs.map((l) => l.header.shard))].sort();
  const model = readModelConfig(settings.modelDir);
  const origin = readCorpusProvenance(settings.dataDir);
  const context: ReportContext = {
    settings,
    header: { ...first, shard: '1/1' },
    command: options.provenance?.command ?? 'mergeShards()',
    versions: options.provenance?.versions ?? gateVersions(),
    wallSec: (performance.now() - started) / 1000,
    execution: {
      mode: `merged from ${logs.length} shards`,
      resumedFiles: 0,
      workers: logs.length,
      identicalCheck: 'each shard checked its own execution',
    },
    frameMs: model.frameMs,
    ...(origin === undefined ? {} : { schedule: scheduleInfoOf(origin) }),
    eou: {
      detector: resolveEouDetector(s.eouDetector as EouDetectorInput | undefined),
      eouId: model.eouId,
      listenMs: typeof s.eouListenMs === 'number' ? s.eouListenMs : gateDefaults.eouListenMs,
      resetOnEndOfUtterance: s.resetOnEndOfUtterance === true,
    },
    shardSources: [...counts]
      .sort((a, b) => a.shard.count - b.shard.count || a.shard.index - b.shard.index)
      .flatMap((l) =>
        l.header.shardSource === undefined ? [] : [`${l.header.shard}: ${l.header.shardSource}`],
      ),
  };
  const framesById = new Map(corpus.entries.map((e) => [e.id, framesPathOf(settings.dataDir, e)]));
  const flips = await flipMargins(settings, model, files, framesById);
  const report = buildReport(files, labels, context, flips);
  writeReports(options.outDir, report);
  return report;
}

/** Why the logs do not cover the manifest: missing shards, incomplete ones, or just the count. */
function coverageProblem(
  logs: readonly {
    file: string;
    header: ResultsHeader;
    shard: { index: number; count: number };
    held: number;
  }[],
  files: number,
  missing: number,
  firstMissing: string,
): string {
  const count = logs[0]!.shard.count;
  if (logs.every((l) => l.shard.count === count)) {
    const seen = new Set(logs.map((l) => l.shard.index));
    const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (absent.length) return `shard(s) ${absent.map((i) => `${i}/${count}`).join(', ')} missing`;
  }
  const short = logs.find((l) => l.held < shardSize(files, l.shard));
  if (short !== undefined)
    return `${short.file}: shard ${short.header.shard} is incomplete (${short.held} of ${shardSize(files, short.shard)} files); rerun it to resume`;
  return `${missing} of ${files} manifest file(s) are in no log (first: '${firstMissing}')`;
}
