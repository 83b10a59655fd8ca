/**
 * `@eou/gate`: the N-way WER gate as a library. Every variant decodes the same cached encoder frames
 * of a corpus; results go to a resumable log; shards merge into the report of one whole run.
 */
export { buildReport } from './buildReport';
export { framesPathOf, readCorpus } from './corpus';
export { createFileDecoder } from './fileDecoder';
export { toFileResult } from './fileResult';
export { GateError } from './gateError';
export { ALIGNED_EXAMPLES_PER_CANDIDATE, deterministicPart, REPORT_FORMAT } from './gateReport';
export { parseManifest } from './manifest';
export { mergeShards } from './mergeShards';
export { hashModelFiles, readModelConfig } from './modelDirectory';
export { buildMissingVariants, prepareCachedModel } from './prepareCachedModel';
export { renderHtml, renderMarkdown } from './renderReport';
export { readResults, RESULTS_FORMAT } from './resultsLog';
export { runGate } from './runGate';
export { defaultWorkers, gateDefaults, resolveSettings } from './settings';
export { formatShard, inShard, parseShard, SHARD_SYNTAX, shardSize, WHOLE } from './shard';
export { shardEngineNames, shardFromEnvironment } from './shardEnvironment';
export { writeSynthCorpus } from './synthCorpus';
export { prepareSyntheticDefault, SYNTHETIC_DEFAULT_FILES } from './syntheticDefault';
export { removeStaleTemps } from './tempSiblings';
export { gateVersions } from './versions';
export { writeReports } from './writeReports';

export type { ReportContext } from './buildReport';
export type { Corpus } from './corpus';
export type { DecodedFile, FileDecoder, FileDecoderInit, VariantDecode } from './fileDecoder';
export type { GateErrorCode, GateErrorContext } from './gateError';
export type {
  AlignedExample,
  AlignedHypothesis,
  Blowup,
  FailedFile,
  FlipMargins,
  GateReport,
  RuleOutcome,
  SignificanceSummary,
  TimingSummary,
  VariantSummary,
} from './gateReport';
export type { ManifestEntry, ParseManifestOptions } from './manifest';
export type { MergeShardsOptions } from './mergeShards';
export type { PrepareCachedModelOptions, PrepareEvent } from './prepareCachedModel';
export type { FileResult, LoadedResults, ResultsHeader, VariantFileResult } from './resultsLog';
export type { GateProgress, GateProvenance, GateRunResult, RunGateOptions } from './runGate';
export type { GateSettings, GateSettingsInput } from './settings';
export type { Shard } from './shard';
export type { EnvironmentShard, ShardEngine } from './shardEnvironment';
export type { SynthCorpusSummary, WriteSynthCorpusOptions } from './synthCorpus';
export type { PrepareSyntheticDefaultOptions } from './syntheticDefault';
