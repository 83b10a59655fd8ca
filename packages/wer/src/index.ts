/**
 * `@eou/wer`: explicit normalisers, word/character alignment, WER/CER, multi-system comparison,
 * significance tests, gate rules and text/JSON writers.
 */
export { alignIds } from './alignIds';
export { alignIdsSclite } from './alignIdsSclite';
export { alignmentCostNames, costModels } from './alignmentCosts';
export { formatAlignment } from './alignmentText';
export { britishToAmerican } from './britishToAmerican';
export { compareSystems } from './compareSystems';
export { editDistance } from './editDistance';
export { collectErrorCounts, formatErrorCounts } from './errorCounts';
export {
  americanizeSpelling,
  cleanNumberPunctuation,
  expandContractions,
  expandTitles,
  normalizeEnglish,
  normalizeNumbers,
  removeBracketedSpans,
  removeFillers,
  removeStraySymbols,
  removeSymbolsAndDiacritics,
} from './englishNormalizer';
export { spelledNumbersToDigits } from './englishNumbers';
export { decodeText, parseKaldiText } from './kaldiText';
export { parsePlainText } from './plainText';
export { pairTranscripts, readTranscriptPair, readTranscripts } from './readTranscripts';
export { detectTranscriptFormat, transcriptFormats } from './transcriptFormat';
export { parseTranscriptJsonl } from './transcriptJsonl';
export { errorRate, measures, sumCounts, toErrorCounts } from './measures';
export { rateOutcome, requireDefinedRate, sentenceErrorRate } from './measures';
export { normalizerByName, normalizerNames, presets } from './presets';
export { cer, processCharacters, processTokens, processWords, wer } from './processWords';
export { formatPercent, formatScoreSummary, toJson } from './reports';
export { defaultGateRules, evaluateRules, parseRules, parseRuleText, ruleMetrics, ruleName } from './rules';
export { pairById, scoreCorpus, toTranscriptMap } from './scoreCorpus';
export { formatPra, formatSysSummary } from './scliteReports';
export {
  binomialTwoSided,
  mapsswe,
  mapssweSegments,
  mcnemar,
  normalUpperTail,
  pairedBootstrap,
  seededRandom,
  signTest,
  wilcoxonSignedRank,
} from './significance';
export { utteranceSignTest, utteranceWilcoxonTest } from './significance';
export {
  scliteSpeakerSignTest,
  scliteSpeakerWilcoxonTest,
  speakerErrorRates,
  speakerOf,
} from './speakerTests';
export {
  collapseWhitespace,
  compose,
  lowercase,
  removeKaldiNonWords,
  removePunctuation,
  removeWords,
  splitCharacters,
  splitWords,
  substituteRegexes,
  substituteWords,
  toNormalizer,
  uppercase,
} from './transforms';
export { formatTrn, parseTrn } from './trn';
export { utteranceRecords } from './utteranceRecords';
export { version } from './version';
export { Vocabulary } from './vocabulary';
export { WerError } from './werError';

export type { AlignmentChunk, ChunkKind, EditCounts, IdAlignment } from './alignIds';
export type { AlignmentCosts, CostModel } from './alignmentCosts';
export type { AlignedUtterance, AlignmentTextOptions } from './alignmentText';
export type {
  CandidateComparison,
  CompareOptions,
  Comparison,
  SystemOutput,
  SystemSummary,
  UtteranceDelta,
} from './compareSystems';
export type { ErrorFrequencies } from './errorCounts';
export type { TranscriptEntry } from './kaldiText';
export type { ReadPairOptions, ReadTranscriptsOptions, TranscriptFile } from './readTranscripts';
export type { FormatDetection, TranscriptFormat } from './transcriptFormat';
export type { JsonlTranscriptEntry, TranscriptJsonlOptions } from './transcriptJsonl';
export type { ErrorCounts, Measures } from './measures';
export type { RateOutcome, UndefinedRateReason } from './measures';
export type { NormalizerName } from './presets';
export type { ProcessOptions, UtteranceOutput, WordOutput } from './processWords';
export type { ScoreSummaryOptions } from './reports';
export type { TokenOptions } from './processWords';
export type {
  ExtraRuleMetrics,
  GateRule,
  ParseRuleOptions,
  RuleMetric,
  RuleOp,
  RuleResult,
  Verdict,
} from './rules';
export type {
  CorpusScore,
  MissingPolicy,
  ScoreCorpusOptions,
  Transcripts,
  UtteranceScore,
} from './scoreCorpus';
export type {
  BootstrapResult,
  MapssweResult,
  McNemarResult,
  PairedUtterance,
  SignTestResult,
  WilcoxonResult,
} from './significance';
export type { SpeakerRate, SpeakerSignTestResult, SpeakerWilcoxonResult } from './speakerTests';
export type { Normalizer, Transform } from './transforms';
export type { TrnEntry } from './trn';
export type { UtteranceRecord } from './utteranceRecords';
export type { ScliteReportOptions, ScoredUtterance } from './scliteReports';
export type { WerErrorCode } from './werError';
