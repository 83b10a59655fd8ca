/** Merges the results logs of shard runs (`shard: i/n`) into the report of one whole run. */
import fs from 'node:fs';
import path from 'node:path';
import type { EouPolicy } from '@eou/rnnt-decode';
import type { GateRule, NormalizerName } from '@eou/wer';
import { buildReport, type ReportContext } from './buildReport';
import { framesPathOf, readCorpus } from './corpus';
import { readCorpusProvenance, scheduleInfoOf } from './corpusProvenance';
import { resolveEouDetector, type EouDetectorInput } from './eouDetectorSpec';
import { flipMargins } from './flipMargins';
import { GateError } from './gateError';
import type { GateReport } from './gateReport';
import { readModelConfig } from './modelDirectory';
import { readResults } from './resultsLog';
import type { GateProvenance } from './runGate';
import { gateDefaults, type GateSettings } from './settings';
import { parseShard, shardSize } from './shard';
import { gateVersions } from './versions';
import { writeReports } from './writeReports';

/** Options of {@link mergeShards}. */
export interface MergeShardsOptions {
  /** Where to write `report.json`, `report.md` and `report.html` (created if missing). */
  readonly outDir: string;
  readonly provenance?: GateProvenance;
}

const badShards = (message: string, file?: string): GateError =>
  new GateError('E_BAD_SHARDS', message, file === undefined ? {} : { file });

/**
 * Reads `<dir>/results.jsonl` of every shard directory, checks that they are the shards 1/n..n/n of
 * one run with the same settings, each complete, and writes the report of the whole run to `outDir`.
 *
 * @returns the merged report (its deterministic part equals that of an uninterrupted run).
 * @throws RangeError when `dirs` is empty; {@link GateError} `E_BAD_SHARDS` for a missing log, other
 *   settings, a shard given twice, a missing or incomplete shard; `E_BAD_RESULTS` for an unreadable
 *   log; and the corpus and model errors of {@link runGate}.
 */
export async function mergeShards(dirs: readonly string[], options: MergeShardsOptions): Promise<GateReport> {
  const started = performance.now();
  if (!Array.isArray(dirs) || dirs.length === 0)
    throw new RangeError('`dirs` must name at least one shard directory');
  const logs = dirs.map((d) => {
    const file = path.join(d, 'results.jsonl');
    if (!fs.existsSync(file)) throw badShards(`${d}: no results.jsonl`, d);
    return { dir: d, ...readResults(file) };
  });
  const first = logs[0]!.header;
  for (const l of logs) {
    if (l.header.settingsHash !== first.settingsHash) {
      throw badShards(
        `${l.dir}/results.jsonl: written with other settings than ${logs[0]!.dir} (settings ${l.header.settingsHash.slice(0, 12)} vs ${first.settingsHash.slice(0, 12)})`,
        `${l.dir}/results.jsonl`,
      );
    }
  }
  const count = parseShard(first.shard).count;
  const seen = new Set(logs.map((l) => l.header.shard));
  if (seen.size !== logs.length)
    throw badShards(`a shard is given twice (${logs.map((l) => l.header.shard).join(', ')})`);
  const missing = Array.from({ length: count }, (_, i) => `${i + 1}/${count}`).filter((s) => !seen.has(s));
  if (missing.length) throw badShards(`shard(s) ${missing.join(', ')} missing`);
  const s = first.settings as Record<string, unknown> & {
    variants: string[];
    modelDir: string;
    dataDir: string;
    files: number;
  };
  for (const l of logs) {
    const want = shardSize(s.files, parseShard(l.header.shard));
    if (l.files.length !== want)
      throw badShards(
        `${l.dir}/results.jsonl: shard ${l.header.shard} is incomplete (${l.files.length} of ${want} files); rerun it to resume`,
        `${l.dir}/results.jsonl`,
      );
  }
  const files = logs.flatMap((l) => l.files).sort((a, b) => a.index - b.index);
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
    shardSources: [...logs]
      .sort((a, b) => parseShard(a.header.shard).index - parseShard(b.header.shard).index)
      .flatMap((l) =>
        l.header.shardSource === undefined ? [] : [`${l.header.shard}: ${l.header.shardSource}`],
      ),
  };
  const corpus = readCorpus(settings.dataDir);
  const framesById = new Map(corpus.entries.map((e) => [e.id, framesPathOf(settings.dataDir, e)]));
  const flips = await flipMargins(settings, model, files, framesById);
  const report = buildReport(files, [...seen].sort(), context, flips);
  writeReports(options.outDir, report);
  return report;
}
