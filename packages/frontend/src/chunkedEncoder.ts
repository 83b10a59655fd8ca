/**
 * The front half of the streaming loop: audio -> features -> cache-aware encoder, cut by a named
 * chunk schedule, without decoding. The transcriber decodes what it gives; `@eou/gate`'s corpus
 * encoder stores it as cached frames. Each chunk says which of its columns a host decodes (all, or
 * the first `validOutLen`) and how far the stream advanced, so a stored corpus can be replayed with
 * the same chunk boundaries and times.
 */
import type { ChunkSchedule } from './chunkSchedule';
import { featureHop, type FeatureConfig } from './featureConfig';
import { computeFeatures, createFeatureExtractor, type FeatureExtractor } from './featureExtractor';
import { geometryOf } from './frameKernels';
import { describeValue, FrontendError } from './frontendError';
import { checkFinite } from './pcmEncoding';
import type { EncodedChunk, StreamingEncoder } from './streamingEncoder';

/** Options of {@link createChunkedEncoder}. */
export interface ChunkedEncoderOptions {
  readonly features: FeatureConfig;
  readonly encoder: StreamingEncoder;
  readonly schedule: ChunkSchedule;
}

/** One encoder call of a schedule. */
export interface ScheduledChunk {
  /** The encoder's output for this call (every column, frame-major). */
  readonly encoded: EncodedChunk;
  /** Columns a host decodes: the schedule's `validOutLen` (at most `encoded.count`), or all. */
  readonly decodeCount: number;
  /** `validOutLen` for the decoder, or undefined when every column is decoded. */
  readonly validOutLen: number | undefined;
  /** Samples the stream advanced by with this chunk (its shift; the tail's remainder at the end). */
  readonly advanceSamples: number;
}

/** Time spent in the two stages, ms. */
export interface EncodeTiming {
  featuresMs: number;
  encoderMs: number;
}

/** A scheduled encoder; see {@link createChunkedEncoder}. */
export interface ChunkedEncoder {
  readonly schedule: ChunkSchedule;
  readonly sampleRate: number;
  /**
   * Milliseconds per decoded column for timestamps: fixed by the schedule, or (for `decodeFrames:
   * 'all'` without `frameMs`) the chunk's shift spread over the first chunk's columns, so undefined
   * until then.
   */
  readonly frameMs: number | undefined;
  readonly timing: Readonly<EncodeTiming>;
  /** Samples given to {@link push} since the last reset. */
  readonly samplesIn: number;
  /**
   * Adds samples (mono, at the features' rate) and encodes every chunk they complete.
   * @throws FrontendError `E_NON_FINITE` for NaN or infinite samples
   */
  push(samples: Float32Array): Promise<ScheduledChunk[]>;
  /** Ends the stream by the schedule's tail rule and encodes what that leaves. */
  finish(): Promise<ScheduledChunk[]>;
  /** A new stream: buffers, encoder states and timing cleared. */
  reset(): void;
}

/**
 * Creates a scheduled encoder.
 * @throws FrontendError `E_MODEL_CONFIG` when the schedule does not fit the encoder (a fixed
 *   chunk size it does not produce, a partial tail on a fixed-size encoder, other feature bins)
 */
export function createChunkedEncoder(options: ChunkedEncoderOptions): ChunkedEncoder {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  return new Chunker(options);
}

class Chunker implements ChunkedEncoder {
  readonly schedule: ChunkSchedule;
  readonly sampleRate: number;
  frameMs: number | undefined;
  timing: EncodeTiming = { featuresMs: 0, encoderMs: 0 };
  samplesIn = 0;
  private readonly features: FeatureConfig;
  private readonly encoder: StreamingEncoder;
  private readonly hop: number;
  private readonly bins: number;
  private readonly extractor: FeatureExtractor | null;
  private readonly fixedFrameMs: number | undefined;
  // Audio (samples unit) or feature frames (frames unit) waiting for a whole window.
  private audio = new Float32Array(0);
  private audioLength = 0;
  private sampleBeforeAudio = 0;
  private frames = new Float32Array(0);
  private frameLength = 0;

  constructor({ features, encoder, schedule }: ChunkedEncoderOptions) {
    this.features = features;
    this.encoder = encoder;
    this.schedule = schedule;
    this.sampleRate = features.sampleRate;
    this.hop = featureHop(features);
    this.bins = features.kind === 'nemo-logmel' ? features.nMels : features.numMelBins;
    const fail = (message: string): never => {
      throw new FrontendError('E_MODEL_CONFIG', `${encoder.session.path}: ${message}`, {
        file: encoder.session.path,
      });
    };
    if (encoder.featureBins !== this.bins)
      fail(`takes ${encoder.featureBins} feature bins, the features give ${this.bins}`);
    if (schedule.unit === 'samples') {
      const perChunk = geometryOf(features).frameCount(schedule.chunkSamples);
      if (encoder.chunkFrames !== undefined && perChunk !== encoder.chunkFrames)
        fail(
          `takes ${encoder.chunkFrames} feature frames per call; schedule ${schedule.name} gives ${perChunk} (${schedule.chunkSamples} samples)`,
        );
      if (typeof schedule.decodeFrames === 'number')
        this.fixedFrameMs =
          schedule.frameMs ??
          Math.round((schedule.shiftSamples * 1000) / (this.sampleRate * schedule.decodeFrames));
      else this.fixedFrameMs = schedule.frameMs;
      this.extractor = null;
    } else {
      if (encoder.chunkFrames !== undefined && encoder.chunkFrames !== schedule.windowFrames)
        fail(
          `takes ${encoder.chunkFrames} feature frames per call; schedule ${schedule.name} has windows of ${schedule.windowFrames}`,
        );
      if (encoder.chunkFrames !== undefined && schedule.tail === 'partial')
        fail(`takes fixed chunks, so schedule ${schedule.name} cannot end with a partial window`);
      if (schedule.frameMs !== undefined) this.fixedFrameMs = schedule.frameMs;
      else if (typeof schedule.decodeFrames === 'number')
        this.fixedFrameMs =
          (schedule.shiftFrames * this.hop * 1000) / (this.sampleRate * schedule.decodeFrames);
      this.extractor = createFeatureExtractor(features);
    }
    this.frameMs = this.fixedFrameMs;
    // The encoder may have served another stream: start from zero states.
    encoder.reset();
  }

  async push(samples: Float32Array): Promise<ScheduledChunk[]> {
    if (!(samples instanceof Float32Array))
      throw new TypeError(`samples must be a Float32Array, got ${describeValue(samples)}`);
    checkFinite(samples, 'samples');
    this.samplesIn += samples.length;
    const out: ScheduledChunk[] = [];
    if (this.extractor === null) {
      this.appendAudio(samples);
      await this.runAudioChunks(out);
    } else {
      const t0 = performance.now();
      const f = this.extractor.push(samples);
      this.timing.featuresMs += performance.now() - t0;
      this.appendFrames(f.frames);
      await this.runFrameWindows(out);
    }
    return out;
  }

  async finish(): Promise<ScheduledChunk[]> {
    const out: ScheduledChunk[] = [];
    const s = this.schedule;
    if (s.unit === 'samples') {
      // The seed's finish(): whatever remains (overlap included) is zero-padded into one last chunk.
      if (s.tail === 'pad' && this.audioLength > 0) {
        const last = new Float32Array(s.chunkSamples);
        last.set(this.audio.subarray(0, this.audioLength));
        await this.runAudioChunk(last, s.shiftSamples, out);
      }
      this.audioLength = 0;
      return out;
    }
    const t0 = performance.now();
    const pad = Math.round(((s.tailPaddingMs ?? 0) * this.sampleRate) / 1000);
    if (pad > 0) this.appendFrames(this.extractor!.push(new Float32Array(pad)).frames);
    this.appendFrames(this.extractor!.finish().frames);
    this.timing.featuresMs += performance.now() - t0;
    await this.runFrameWindows(out);
    const remaining = this.frameLength / this.bins;
    if (s.tail === 'partial' && remaining > s.windowFrames - s.shiftFrames) {
      await this.encodeChunk(
        this.frames.subarray(0, this.frameLength),
        remaining,
        (remaining - (s.windowFrames - s.shiftFrames)) * this.hop,
        out,
      );
    }
    this.frameLength = 0;
    return out;
  }

  reset(): void {
    this.extractor?.reset();
    this.encoder.reset();
    this.timing = { featuresMs: 0, encoderMs: 0 };
    this.samplesIn = 0;
    this.audioLength = 0;
    this.sampleBeforeAudio = 0;
    this.frameLength = 0;
    this.frameMs = this.fixedFrameMs;
  }

  // --- samples unit: each audio window featurised on its own ---

  private appendAudio(samples: Float32Array): void {
    const need = this.audioLength + samples.length;
    if (need > this.audio.length) {
      const grown = new Float32Array(Math.max(need, 2 * this.audio.length, 4096));
      grown.set(this.audio.subarray(0, this.audioLength));
      this.audio = grown;
    }
    this.audio.set(samples, this.audioLength);
    this.audioLength = need;
  }

  private async runAudioChunks(out: ScheduledChunk[]): Promise<void> {
    const s = this.schedule;
    if (s.unit !== 'samples') return;
    while (this.audioLength >= s.chunkSamples) {
      await this.runAudioChunk(this.audio.subarray(0, s.chunkSamples), s.shiftSamples, out);
      const drop = Math.min(s.shiftSamples, this.audioLength);
      this.sampleBeforeAudio = this.audio[drop - 1]!;
      this.audio.copyWithin(0, drop, this.audioLength);
      this.audioLength -= drop;
    }
  }

  private async runAudioChunk(chunk: Float32Array, advance: number, out: ScheduledChunk[]): Promise<void> {
    const t0 = performance.now();
    const f = computeFeatures(chunk, this.features, { previousSample: this.sampleBeforeAudio });
    this.timing.featuresMs += performance.now() - t0;
    await this.encodeChunk(f.frames, f.count, advance, out);
  }

  // --- frames unit: one continuous feature stream, cut into windows ---

  private appendFrames(frames: Float32Array): void {
    const need = this.frameLength + frames.length;
    if (need > this.frames.length) {
      const grown = new Float32Array(Math.max(need, 2 * this.frames.length, 64 * this.bins));
      grown.set(this.frames.subarray(0, this.frameLength));
      this.frames = grown;
    }
    this.frames.set(frames, this.frameLength);
    this.frameLength = need;
  }

  private async runFrameWindows(out: ScheduledChunk[]): Promise<void> {
    const s = this.schedule;
    if (s.unit !== 'frames') return;
    const bins = this.bins;
    while (this.frameLength >= s.windowFrames * bins) {
      await this.encodeChunk(
        this.frames.subarray(0, s.windowFrames * bins),
        s.windowFrames,
        s.shiftFrames * this.hop,
        out,
      );
      const drop = Math.min(s.shiftFrames * bins, this.frameLength);
      this.frames.copyWithin(0, drop, this.frameLength);
      this.frameLength -= drop;
    }
  }

  private async encodeChunk(
    features: Float32Array,
    frameCount: number,
    advanceSamples: number,
    out: ScheduledChunk[],
  ): Promise<void> {
    const t0 = performance.now();
    const encoded = await this.encoder.encode(features, frameCount);
    this.timing.encoderMs += performance.now() - t0;
    const s = this.schedule;
    const validOutLen =
      typeof s.decodeFrames === 'number' ? Math.min(s.decodeFrames, encoded.count) : undefined;
    if (this.frameMs === undefined) {
      // `decodeFrames: 'all'`: the chunk's time is spread over the columns of the first chunk.
      const shiftMs =
        s.unit === 'samples'
          ? (s.shiftSamples * 1000) / this.sampleRate
          : (s.shiftFrames * this.hop * 1000) / this.sampleRate;
      this.frameMs = shiftMs / encoded.count;
    }
    out.push({ encoded, decodeCount: validOutLen ?? encoded.count, validOutLen, advanceSamples });
  }
}
