/**
 * `@eou/gate`: the N-way WER gate as a library. Every variant decodes the same cached encoder frames
 * of a corpus (or of audio, encoded once under a named chunk schedule); results go to a resumable
 * log; shards merge into the report of one whole run; EOU timing and end-to-end benchmarks price
 * what the frames alone cannot show.
 */
export { readAudioManifest } from './audioManifest';
export { describeAudioModel, encoderFileHashes, openAudioModel } from './audioModel';
export { benchEndToEnd } from './benchEndToEnd';
export { buildReport } from './buildReport';
export {
  chunkLayoutOf,
  defaultChunkLayout,
  expandLayout,
  layoutFrames,
  parseChunkLayout,
} from './chunkLayout';
export { CORPUS_PROVENANCE_FORMAT, readCorpusProvenance } from './corpusProvenance';
export { corpusKey, ENCODE_LOG_FORMAT, encodeCorpus } from './encodeCorpus';
export { eouHandling } from './eouHandling';
export {
  createEouDetector,
  defaultDebounce,
  describeEouDetector,
  resolveEouDetector,
} from './eouDetectorSpec';
export {
  defaultEouRules,
  EOU_DEFINITIONS,
  EOU_DEFINITIONS_WITHOUT_TOKEN,
  eouRuleMetricNames,
  eouRuleMetrics,
  summarizeEou,
} from './eouSummary';
export { fileEouTiming, replayEndOfUtterance } from './eouTiming';
export { openVad } from './openVad';
export { runAudioGate } from './runAudioGate';
export { compareSchedules, renderScheduleComparison, SCHEDULE_COMPARISON_FORMAT } from './scheduleComparison';
export { speechTruthOf } from './speechTruth';
export { writeMultiUtteranceCorpus } from './writeMultiUtteranceCorpus';
export { framesPathOf, readCorpus } from './corpus';
export { createFileDecoder } from './fileDecoder';
export { toFileResult } from './fileResult';
export { GateError } from './gateError';
export { ALIGNED_EXAMPLES_PER_CANDIDATE, deterministicPart, REPORT_FORMAT } from './gateReport';
export { parseManifest } from './manifest';
export { mergeShards } from './mergeShards';
export { hashModelFiles, readModelConfig } from './modelDirectory';
export { LOCK_NAME } from './outputLock';
export { buildMissingVariants, prepareCachedModel } from './prepareCachedModel';
export { renderHtml, renderMarkdown } from './renderReport';
export { readResults, RESULTS_FORMAT } from './resultsLog';
export { runGate } from './runGate';
export { defaultBatch, defaultWorkers, gateDefaults, resolveSettings } from './settings';
export { filesPerTask, runBatched } from './batchedRun';
export { createBatchFileDecoder } from './batchFileDecoder';
export { formatShard, inShard, parseShard, SHARD_SYNTAX, shardSize, WHOLE } from './shard';
export { shardEngineNames, shardFromEnvironment } from './shardEnvironment';
export { writeSynthCorpus } from './synthCorpus';
export { prepareSyntheticDefault, SYNTHETIC_DEFAULT_FILES } from './syntheticDefault';
export { removeStaleTemps } from './tempSiblings';
export { gateVersions } from './versions';
export { writeReports } from './writeReports';

export type { BatchedFile, BatchSummary, RunBatchedOptions } from './batchedRun';
export type { BatchFileDecoder, BatchFileDecoderInit, BatchPlan } from './batchFileDecoder';
export type { AudioEntry, AudioManifest } from './audioManifest';
export type { OpenAudioModelOptions } from './audioModel';
export type { BenchEndToEndOptions, EndToEndResult, EndToEndVariant, StageSplit } from './benchEndToEnd';
export type { ReportContext } from './buildReport';
export type { ChunkLayout, LayoutChunk } from './chunkLayout';
export type { CorpusProvenance, ScheduleInfo } from './corpusProvenance';
export type { EncodeCorpusOptions, EncodeCorpusResult, EncodeInputs } from './encodeCorpus';
export type {
  DebounceDetectorSpec,
  EndpointDetectorSpec,
  EouDetectorInput,
  EouDetectorSpec,
} from './eouDetectorSpec';
export type { EouContext, EouSummary, EouVariantSummary, LatencyPercentiles } from './eouSummary';
export type { DecodeEvents, FileEouTiming, UtteranceOutcome } from './eouTiming';
export type { FileFacts } from './fileResult';
export type { OpenedVad } from './openVad';
export type { AudioGateResult, RunAudioGateOptions, ScheduleRun } from './runAudioGate';
export type { ScheduleComparison, ScheduleEntry } from './scheduleComparison';
export type { SpeechTruth, UtteranceTruth } from './speechTruth';
export type { MultiUtteranceCorpusOptions, StreamClip } from './writeMultiUtteranceCorpus';
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
export type {
  FileResult,
  LoadedResults,
  ManifestTruth,
  ReadResults,
  ReadResultsOptions,
  ResultsHeader,
  VariantFileResult,
} from './resultsLog';
export type { GateProgress, GateProvenance, GateRunResult, RunGateOptions } from './runGate';
export type { GateSettings, GateSettingsInput } from './settings';
export type { Shard } from './shard';
export type { EnvironmentShard, ShardEngine } from './shardEnvironment';
export type { SynthCorpusSummary, WriteSynthCorpusOptions } from './synthCorpus';
export type { PrepareSyntheticDefaultOptions } from './syntheticDefault';
