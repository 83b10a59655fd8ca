/**
 * The production streaming loop: audio -> features -> cache-aware encoder -> the RNNT loop of
 * `@eou/rnnt-decode` (decoder state carried across chunks) -> partial and final transcripts with
 * token times in ms, under a named chunk schedule, with a pluggable end-of-utterance detector (the
 * EOU debounce by default; the Kaldi endpoint rules for models without an EOU token). A stream may
 * hold several utterances: decoding goes on after each end of utterance. Time spent in each stage
 * (features, encoder, decode) is recorded, since end-to-end speed is priced from it.
 */
import {
  createStreamingDecoder,
  detokenize,
  type AnyStepModel,
  type DecodeConfigInput,
  type StreamingDecoder,
  type Vocab,
} from '@eou/rnnt-decode';
import type { ChunkSchedule } from './chunkSchedule';
import { createEouDebounceDetector } from './eouDebounce';
import { createChunkedEncoder, type ChunkedEncoder, type ScheduledChunk } from './chunkedEncoder';
import type { EndOfUtteranceDetector } from './endpointRules';
import type { FeatureConfig } from './featureConfig';
import { describeValue, FrontendError } from './frontendError';
import type { StreamingEncoder } from './streamingEncoder';

/** Options of {@link createStreamingTranscriber}. */
export interface StreamingTranscriberOptions {
  /** The model's features (`model.json` `encoder.features`). */
  readonly features: FeatureConfig;
  readonly encoder: StreamingEncoder;
  /** The prediction net + joint, as a step model of `@eou/rnnt-decode` (LSTM or stateless). */
  readonly decoder: AnyStepModel;
  /** Token ids and policies; `eouPolicy` defaults to the schedule's, else `stop-chunk`. */
  readonly decodeConfig: DecodeConfigInput;
  readonly schedule: ChunkSchedule;
  /** For text; without it, `text` is empty and only token ids are given. */
  readonly vocab?: Vocab;
  /** Default: the EOU debounce (silence since last token, 1280 ms); null: none. */
  readonly endOfUtterance?: EndOfUtteranceDetector | null;
  /** Reset the decoder state when an utterance ends (default false, as the seed; sherpa-onnx resets). */
  readonly resetDecoderOnEndOfUtterance?: boolean;
  /** Called when a chunk adds tokens, with the current utterance so far. */
  readonly onPartial?: (partial: PartialTranscript) => void;
  /** Called when an utterance ends. */
  readonly onEndOfUtterance?: (utterance: Utterance) => void;
}

/** The current utterance while it is being decoded. */
export interface PartialTranscript {
  readonly utterance: number;
  readonly text: string;
  readonly tokens: readonly number[];
  readonly tokenTimesMs: readonly number[];
}

/** One utterance of a stream. */
export interface Utterance extends PartialTranscript {
  /** Audio time (ms of audio processed) when it ended. */
  readonly endMs: number;
  /** What ended it: `eou`, an endpoint rule name, or `end-of-stream`. */
  readonly endedBy: string;
}

/** Milliseconds spent per stage. */
export interface StageTiming {
  featuresMs: number;
  encoderMs: number;
  decodeMs: number;
}

/** What {@link StreamingTranscriber.process} reports. */
export interface StreamUpdate {
  readonly chunks: number;
  readonly newTokens: readonly number[];
  readonly newTokenTimesMs: readonly number[];
  readonly endedUtterances: readonly Utterance[];
}

/** The whole stream's result. */
export interface Transcript {
  /** The schedule the stream was cut with. */
  readonly schedule: string;
  /** The end-of-utterance detector, or `none`. */
  readonly endOfUtterance: string;
  /** All utterances' text joined by single spaces. */
  readonly text: string;
  /** Every emitted token id (EOU and blank never). */
  readonly tokens: readonly number[];
  readonly tokenTimesMs: readonly number[];
  /** When each end of utterance was confirmed (audio ms). */
  readonly eouTimesMs: readonly number[];
  /** When the decoder emitted an EOU token (audio ms of its frame), before any debounce. */
  readonly eouSignalTimesMs: readonly number[];
  readonly utterances: readonly Utterance[];
  readonly audioSeconds: number;
  /** Encoder calls. */
  readonly chunks: number;
  /** Milliseconds per decoded frame used for the token times. */
  readonly frameMs: number;
  readonly timing: Readonly<StageTiming>;
}

/** A streaming transcriber; see {@link createStreamingTranscriber}. */
export interface StreamingTranscriber {
  readonly schedule: ChunkSchedule;
  readonly timing: Readonly<StageTiming>;
  /**
   * Adds samples (mono, at the features' sample rate) and runs every chunk they complete.
   * @throws FrontendError `E_NON_FINITE`, `E_BUSY` (a second call before the first settled)
   */
  process(samples: Float32Array): Promise<StreamUpdate>;
  /** Ends the stream (the schedule's tail rule), returns the whole transcript; `reset()` to reuse. */
  finish(): Promise<Transcript>;
  /** A new stream: buffers, encoder states, decoder state, detector and timing cleared. */
  reset(): void;
}

/**
 * Creates a transcriber.
 * @throws FrontendError `E_MODEL_CONFIG` when the schedule does not fit the encoder (a fixed
 *   chunk size it does not produce, a partial tail on a fixed-size encoder, other feature bins)
 */
export function createStreamingTranscriber(options: StreamingTranscriberOptions): StreamingTranscriber {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  return new Transcriber(options);
}

/** Transcribes a whole signal: `process(samples)` then `finish()`. */
export async function transcribe(
  samples: Float32Array,
  options: StreamingTranscriberOptions,
): Promise<Transcript> {
  const t = createStreamingTranscriber(options);
  await t.process(samples);
  return t.finish();
}

class Transcriber implements StreamingTranscriber {
  readonly schedule: ChunkSchedule;
  private readonly chunker: ChunkedEncoder;
  private decodeMs = 0;
  private readonly decoder: StreamingDecoder;
  private readonly eouId: number | undefined;
  private readonly detector: EndOfUtteranceDetector | null;
  private readonly rate: number;
  private busy = false;
  private finished = false;
  private totalSamples = 0;
  private decodedFrameBase = 0;
  private chunks = 0;
  // Results.
  private tokens: number[] = [];
  private tokenTimes: number[] = [];
  private eouTimes: number[] = [];
  private eouSignals: number[] = [];
  private utterances: Utterance[] = [];
  private utteranceStart = 0;

  constructor(private readonly options: StreamingTranscriberOptions) {
    const { features, encoder, schedule } = options;
    this.schedule = schedule;
    this.rate = features.sampleRate;
    this.chunker = createChunkedEncoder({ features, encoder, schedule });
    const decodeConfig = {
      ...options.decodeConfig,
      eouPolicy: options.decodeConfig.eouPolicy ?? schedule.eouPolicy ?? 'stop-chunk',
    };
    this.decoder = createStreamingDecoder(options.decoder, decodeConfig, { frameMs: 1 });
    this.eouId = this.decoder.config.eouId;
    this.detector =
      options.endOfUtterance === undefined ? createEouDebounceDetector() : options.endOfUtterance;
    this.detector?.reset();
  }

  get timing(): Readonly<StageTiming> {
    return { ...this.chunker.timing, decodeMs: this.decodeMs };
  }

  async process(samples: Float32Array): Promise<StreamUpdate> {
    if (!(samples instanceof Float32Array))
      throw new TypeError(`samples must be a Float32Array, got ${describeValue(samples)}`);
    if (this.finished) throw new TypeError('process() after finish(): call reset() to start a new stream');
    this.enter();
    const mark = this.mark();
    try {
      for (const chunk of await this.chunker.push(samples)) await this.decodeChunk(chunk);
    } finally {
      this.busy = false;
    }
    return this.since(mark);
  }

  async finish(): Promise<Transcript> {
    if (!this.finished) {
      this.enter();
      try {
        for (const chunk of await this.chunker.finish()) await this.decodeChunk(chunk);
      } finally {
        this.busy = false;
      }
      this.finished = true;
      this.closeUtterance('end-of-stream', true);
    }
    const text = this.utterances
      .map((u) => u.text)
      .filter((t) => t !== '')
      .join(' ');
    return {
      schedule: this.schedule.name,
      endOfUtterance: this.detector?.name ?? 'none',
      text,
      tokens: this.tokens.slice(),
      tokenTimesMs: this.tokenTimes.slice(),
      eouTimesMs: this.eouTimes.slice(),
      eouSignalTimesMs: this.eouSignals.slice(),
      utterances: this.utterances.slice(),
      audioSeconds: this.chunker.samplesIn / this.rate,
      chunks: this.chunks,
      frameMs: this.chunker.frameMs ?? 0,
      timing: this.timing,
    };
  }

  reset(): void {
    if (this.busy)
      throw new FrontendError('E_BUSY', 'reset() while process() or finish() is running; await it first');
    this.chunker.reset();
    this.decoder.reset();
    this.detector?.reset();
    this.decodeMs = 0;
    this.finished = false;
    this.totalSamples = 0;
    this.decodedFrameBase = 0;
    this.chunks = 0;
    this.tokens = [];
    this.tokenTimes = [];
    this.eouTimes = [];
    this.eouSignals = [];
    this.utterances = [];
    this.utteranceStart = 0;
  }

  private enter(): void {
    if (this.busy)
      throw new FrontendError(
        'E_BUSY',
        'the previous process() or finish() has not settled; await it before calling again',
      );
    this.busy = true;
  }

  private mark(): { tokens: number; utterances: number; chunks: number } {
    return { tokens: this.tokens.length, utterances: this.utterances.length, chunks: this.chunks };
  }

  private since(mark: { tokens: number; utterances: number; chunks: number }): StreamUpdate {
    return {
      chunks: this.chunks - mark.chunks,
      newTokens: this.tokens.slice(mark.tokens),
      newTokenTimesMs: this.tokenTimes.slice(mark.tokens),
      endedUtterances: this.utterances.slice(mark.utterances),
    };
  }

  // --- decoder and detector, one scheduled chunk at a time ---

  private async decodeChunk(chunk: ScheduledChunk): Promise<void> {
    const { encoded: enc, validOutLen, decodeCount: decoded, advanceSamples } = chunk;
    const t1 = performance.now();
    const r = await this.decoder.decodeChunk(
      enc.frames,
      enc.count,
      validOutLen === undefined ? {} : { validOutLen },
    );
    this.decodeMs += performance.now() - t1;
    this.chunks++;
    this.totalSamples += advanceSamples;
    const frameMs = this.chunker.frameMs!;
    const tokenFrames: number[] = [];
    let added = false;
    for (let i = 0; i < r.tokens.length; i++) {
      const token = r.tokens[i]!;
      if (token === this.eouId) continue; // under `reset` the loop reports EOU ids among the tokens
      this.tokens.push(token);
      this.tokenTimes.push((this.decodedFrameBase + r.frames[i]!) * frameMs);
      tokenFrames.push(r.frames[i]!);
      added = true;
    }
    for (const t of r.eouFrames) this.eouSignals.push((this.decodedFrameBase + t) * frameMs);
    this.decodedFrameBase += decoded;
    if (added && this.options.onPartial) this.options.onPartial(this.partial());
    const fired = this.detector?.update({
      decodedFrames: decoded,
      tokenFrames,
      eouDetected: r.eouDetected,
      frameMs,
      totalSamples: this.totalSamples,
      sampleRate: this.rate,
    });
    if (fired !== null && fired !== undefined) {
      this.eouTimes.push((this.totalSamples * 1000) / this.rate);
      this.closeUtterance(fired, false);
      if (this.options.resetDecoderOnEndOfUtterance === true) this.decoder.reset();
    }
  }

  private partial(): PartialTranscript {
    const tokens = this.tokens.slice(this.utteranceStart);
    return {
      utterance: this.utterances.length,
      text:
        this.options.vocab === undefined ? '' : detokenize(tokens, this.options.vocab, this.decoder.config),
      tokens,
      tokenTimesMs: this.tokenTimes.slice(this.utteranceStart),
    };
  }

  private closeUtterance(endedBy: string, onlyIfTokens: boolean): void {
    if (onlyIfTokens && this.tokens.length === this.utteranceStart) return;
    const utterance: Utterance = {
      ...this.partial(),
      endMs: (this.totalSamples * 1000) / this.rate,
      endedBy,
    };
    this.utterances.push(utterance);
    this.utteranceStart = this.tokens.length;
    this.options.onEndOfUtterance?.(utterance);
  }
}
