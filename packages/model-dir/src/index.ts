/**
 * `@eou/model-dir`: model directories of every layout the toolkit reads, detected and described
 * as one canonical model.json that the loaders take without a file being written.
 */
export { coremlGraph, deriveFluidAudio, fluidAudioGraphs } from './fluidAudioDirectory';
export { inspectModelDirectory } from './inspectModelDirectory';
export { ModelDirError } from './modelDirError';
export { detectLayout, readModelDirectory } from './readModelDirectory';
export { deriveSherpaOnnx, sherpaOnnxFiles, sherpaOnnxTailPaddingMs } from './sherpaOnnxDirectory';
export { modelJsonText, writeModelJson } from './writeModelJson';

export type { ModelDirectorySummary, StateSummary, VariantSummary } from './inspectModelDirectory';
export type { ModelDirErrorCode, ModelDirErrorContext } from './modelDirError';
export type { DirectoryLayout, ModelDirectory, ReadModelDirectoryOptions } from './readModelDirectory';
export type { DerivedModelJson, SherpaOnnxOptions } from './sherpaOnnxDirectory';
