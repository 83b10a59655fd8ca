/**
 * @eou/bench: interleaved A/B/C benchmarking with robust statistics, bootstrap ratio intervals,
 * RTFx and baseline comparison.
 */
export { armOrder, orderCycle } from './armOrder';
export { BenchError } from './benchError';
export { BENCH_RESULTS_SCHEMA, CONVENTIONS, checkBenchResults, readBenchResults } from './benchResults';
export { bootstrapMedian, bootstrapMedianRatio, bootstrapMedianRatios } from './bootstrap';
export { compareToBaseline, formatComparisonMarkdown } from './compareToBaseline';
export { deepEqual, firstDifference } from './deepEqual';
export { bootstrapHierarchicalRatios } from './hierarchicalBootstrap';
export { REPLICATE_OUT_ENV, combineReplicates, defaultProcesses, replicate } from './replicate';
export { ratioTrust } from './trust';
export { formatMarkdown, formatNs, formatSuiteMarkdown } from './formatMarkdown';
export { interleave, measureTimerFloor } from './interleave';
export { machineInfo } from './machineInfo';
export { createPrng } from './prng';
export { quickMode } from './quickMode';
export { measureRtfx, rtfx } from './rtfx';
export {
  HYPERFINE_Z_THRESHOLD,
  MAD_SCALE,
  OUTLIER_Z_THRESHOLD,
  mad,
  mean,
  median,
  medianInPlace,
  medianUpper,
  modifiedZScores,
  outlierIndices,
  pythonP95,
  quantile,
  quantileSorted,
  sortAscending,
  stdev,
  summarize,
  swiftP95,
} from './stats';
/** Package version, kept in step with package.json by the release tooling. */
export { version } from './version';
export { writeBenchResults, writeFileAtomic } from './writeBenchResults';

export type { ArmOrder } from './armOrder';
export type { BenchErrorCode } from './benchError';
export type { BenchResults } from './benchResults';
export type { BootstrapOptions, MedianEstimate, RatioEstimate } from './bootstrap';
export type {
  BaselineComparison,
  CompareOptions,
  ComparisonRow,
  ComparisonStatus,
} from './compareToBaseline';
export type { Arm, ArmResult, InterleaveOptions, OutputMismatch, SuiteResult } from './interleave';
export type { MachineInfo } from './machineInfo';
export type { ReplicateOptions, ReplicateOutcome, ReplicatedSuite, SuiteReplicates } from './replicate';
export type { TrustInputs, TrustThresholds, TrustVerdict } from './trust';
export type { RtfxEntry, RtfxItem, RtfxSummary } from './rtfx';
export type { Summary } from './stats';
export type { WriteBenchResultsOptions } from './writeBenchResults';
