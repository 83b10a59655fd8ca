/** What the audio readers return: mono float32 samples at a known rate, and where they came from. */

/** One decoded (and possibly resampled) audio file. */
export interface DecodedAudio {
  /** The file name used in messages (a path, or the name given with bytes). */
  readonly file: string;
  /** Container and encoding, e.g. `wav s16le`, `wav f32le (extensible)`, `flac 24-bit`, `raw s16le`. */
  readonly format: string;
  /** Sample rate of `samples` (after resampling, if any). */
  readonly sampleRate: number;
  /** The file's own sample rate. */
  readonly sourceSampleRate: number;
  /** Channels in the file; `samples` is their average. */
  readonly channels: number;
  /** Mono samples, nominally in [-1, 1]. */
  readonly samples: Float32Array;
  /** `samples.length / sampleRate`. */
  readonly durationSeconds: number;
  /** The resampler that was used, or undefined when the rate already matched. */
  readonly resampledWith: string | undefined;
}
