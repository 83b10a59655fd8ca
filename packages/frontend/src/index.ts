/** Package version, kept in step with package.json by the release tooling. */
export { version } from './version';

export { decodeAudio, readAudioFile, readAudioFiles } from './readAudio';
export { createChunkedEncoder } from './chunkedEncoder';
export {
  HARNESS_SUFFIX,
  harnessOf,
  parseChunkSchedule,
  resolveSchedule,
  seedSchedules,
} from './chunkSchedule';
export {
  createEouDebounceDetector,
  eouDebounceSemantics,
  evaluateEouDebounce,
  initialEouDebounceState,
} from './eouDebounce';
export { createEndpointDetector, kaldiEndpointRules, parseEndpointRules } from './endpointRules';
export { loadStreamingModel } from './loadStreamingModel';
export { createStreamingTranscriber, transcribe } from './streamingTranscriber';
export { transcribeFiles } from './transcribeFiles';
export { computeFeatures, createFeatureExtractor, toBinMajor } from './featureExtractor';
export { featureFrameCount } from './featureFrameCount';
export {
  featureBins,
  featureHop,
  featureKinds,
  kaldiFbankDefaults,
  nemoLogMelDefaults,
  parseFeatureConfig,
} from './featureConfig';
export { decodeFlac, isFlac, readFlacStreamInfo } from './flac';
export { describeValue, FrontendError } from './frontendError';
export { bytesPerSample, checkFinite, pcmEncodings } from './pcmEncoding';
export { checkRawPcmFormat, decodeRawPcm } from './rawPcm';
export { defaultResampleQuality, resample, resampleQualities, resamplerName } from './resample';
export { createStreamingEncoder } from './streamingEncoder';
export {
  parakeetStreamingEncoderSpec,
  parseStreamingEncoderSpec,
  zipformerStreamingEncoderSpec,
} from './streamingEncoderSpec';
export { decodeWav, isWav } from './wav';
export { encodeWav } from './encodeWav';
export { createSileroVad, detectSpeech, sileroVadContract, speechSegments } from './sileroVad';

export type { ChunkedEncoder, ChunkedEncoderOptions, EncodeTiming, ScheduledChunk } from './chunkedEncoder';
export type { ChunkSchedule, FrameSchedule, SampleSchedule } from './chunkSchedule';
export type { DecodedAudio } from './decodedAudio';
export type {
  EouDebounceInput,
  EouDebounceOptions,
  EouDebounceSemantics,
  EouDebounceState,
} from './eouDebounce';
export type { DecodedChunkFacts, EndOfUtteranceDetector, EndpointRule } from './endpointRules';
export type { StreamingModel } from './loadStreamingModel';
export type {
  PartialTranscript,
  StageTiming,
  StreamingTranscriber,
  StreamingTranscriberOptions,
  StreamUpdate,
  Transcript,
  Utterance,
} from './streamingTranscriber';
export type { FileTranscript, TranscribeFilesOptions } from './transcribeFiles';
export type { ComputeFeaturesOptions, FeatureExtractor, FeatureFrames } from './featureExtractor';
export type { FeatureConfig, KaldiFbankConfig, KaldiWindow, NemoLogMelConfig } from './featureConfig';
export type { FlacContents, FlacStreamInfo } from './flac';
export type { FrontendErrorCode, FrontendErrorContext } from './frontendError';
export type { PcmEncoding } from './pcmEncoding';
export type { RawPcmFormat } from './rawPcm';
export type { AudioReadResult, ReadAudioOptions } from './readAudio';
export type { ResampleQuality } from './resample';
export type { EncodedChunk, EncoderState, StreamingEncoder } from './streamingEncoder';
export type { StatePair, StreamingEncoderSpec, TensorLayout } from './streamingEncoderSpec';
export type { WavContents } from './wav';
export type { WavWriteEncoding } from './encodeWav';
export type { SileroVad, SpeechSegment, SpeechSegmentOptions, VoiceActivity } from './sileroVad';
