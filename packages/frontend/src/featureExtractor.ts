/**
 * Features in any chunk sizes: push samples as they arrive, get every frame as soon as its window
 * is complete, `finish()` for the frames that need the end of the signal (centre padding,
 * reflection). The frames equal {@link computeFeatures} on the whole signal bit for bit: both hand
 * the same samples to the same per-frame kernel (`frameKernels.ts`); only the buffering differs.
 * The NeMo preemphasis runs on the sample stream and carries its last sample across pushes.
 */
import { describeValue } from './frontendError';
import { featureBins, type FeatureConfig } from './featureConfig';
import { geometryOf, kernelOf, reflectIndex, type FrameGeometry, type FrameKernel } from './frameKernels';
import { checkFinite } from './pcmEncoding';

/** Feature frames, frame-major: frame t's `bins` values at `t * bins`. */
export interface FeatureFrames {
  readonly frames: Float32Array;
  readonly count: number;
  readonly bins: number;
}

/** A streaming feature extractor; see {@link createFeatureExtractor}. */
export interface FeatureExtractor {
  readonly config: FeatureConfig;
  readonly bins: number;
  /** Frames emitted since the last reset. */
  readonly framesEmitted: number;
  /** Samples pushed since the last reset. */
  readonly samplesSeen: number;
  readonly finished: boolean;
  /**
   * Adds samples (at `config.sampleRate`) and returns the frames they complete.
   * @throws FrontendError `E_NON_FINITE` for a NaN or infinite sample
   * @throws TypeError after `finish()` (call `reset()` first)
   */
  push(samples: Float32Array): FeatureFrames;
  /** Ends the signal and returns its remaining frames. */
  finish(): FeatureFrames;
  /** Starts a new signal. */
  reset(): void;
}

/** Options of {@link computeFeatures}. */
export interface ComputeFeaturesOptions {
  /**
   * NeMo log-mel only: the sample before `samples[0]`, for the first preemphasis step (default 0).
   * Per-chunk features (the seed's production chunks) pass the sample preceding the chunk.
   */
  readonly previousSample?: number;
}

const empty = (bins: number): FeatureFrames => ({ frames: new Float32Array(0), count: 0, bins });

/**
 * Creates a streaming extractor for a feature description (see `parseFeatureConfig`).
 * @throws TypeError for a config that is not an object
 */
export function createFeatureExtractor(config: FeatureConfig): FeatureExtractor {
  if (typeof config !== 'object' || config === null)
    throw new TypeError(`config must be a feature config, got ${describeValue(config)}`);
  return new StreamingExtractor(config);
}

class StreamingExtractor implements FeatureExtractor {
  readonly bins: number;
  framesEmitted = 0;
  samplesSeen = 0;
  finished = false;
  private readonly geometry: FrameGeometry;
  private readonly kernel: FrameKernel;
  private readonly preemphasis: number;
  private previous = 0;
  /** Buffered (preemphasised) samples; `buffer[0]` is signal sample `bufferStart`. */
  private buffer = new Float64Array(4096);
  private bufferStart = 0;
  private bufferLength = 0;
  private readonly frame: Float64Array;

  constructor(readonly config: FeatureConfig) {
    this.bins = featureBins(config);
    this.geometry = geometryOf(config);
    this.kernel = kernelOf(config);
    this.preemphasis = config.kind === 'nemo-logmel' ? config.preemphasis : 0;
    this.frame = new Float64Array(this.geometry.frameSize);
  }

  push(samples: Float32Array): FeatureFrames {
    if (!(samples instanceof Float32Array))
      throw new TypeError(`samples must be a Float32Array, got ${describeValue(samples)}`);
    if (this.finished) throw new TypeError('push() after finish(): call reset() to start a new signal');
    checkFinite(samples, 'samples');
    this.append(samples);
    const { hop, left, frameSize } = this.geometry;
    const available = this.samplesSeen;
    // Frame t is complete when its last sample t*hop - left + frameSize - 1 has arrived.
    const ready = available + left - frameSize < 0 ? 0 : Math.floor((available + left - frameSize) / hop) + 1;
    return this.emit(ready, available);
  }

  finish(): FeatureFrames {
    if (this.finished) return empty(this.bins);
    this.finished = true;
    return this.emit(this.geometry.frameCount(this.samplesSeen), this.samplesSeen);
  }

  reset(): void {
    this.framesEmitted = 0;
    this.samplesSeen = 0;
    this.finished = false;
    this.previous = 0;
    this.bufferStart = 0;
    this.bufferLength = 0;
  }

  private append(samples: Float32Array): void {
    this.compact();
    const need = this.bufferLength + samples.length;
    if (need > this.buffer.length) {
      let size = this.buffer.length;
      while (size < need) size *= 2;
      const grown = new Float64Array(size);
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    const buffer = this.buffer;
    const p = this.preemphasis;
    let at = this.bufferLength;
    if (p === 0) for (let i = 0; i < samples.length; i++) buffer[at++] = samples[i]!;
    else {
      let prev = this.previous;
      for (let i = 0; i < samples.length; i++) {
        const x = samples[i]!;
        buffer[at++] = x - p * prev;
        prev = x;
      }
      this.previous = prev;
    }
    this.bufferLength = at;
    this.samplesSeen += samples.length;
  }

  /** Drops samples no future frame needs (reflection near the end reaches back at most one frame). */
  private compact(): void {
    const { hop, left, frameSize } = this.geometry;
    const keepFrom = Math.max(0, this.framesEmitted * hop - left - frameSize);
    const drop = keepFrom - this.bufferStart;
    if (drop <= 0 || drop < this.bufferLength / 2) return;
    this.buffer.copyWithin(0, drop, this.bufferLength);
    this.bufferLength -= drop;
    this.bufferStart = keepFrom;
  }

  private emit(until: number, n: number): FeatureFrames {
    const count = Math.max(0, until - this.framesEmitted);
    if (count === 0) return empty(this.bins);
    const out = new Float32Array(count * this.bins);
    const { hop, left, frameSize, edge } = this.geometry;
    const frame = this.frame;
    const buffer = this.buffer;
    const base = this.bufferStart;
    for (let k = 0; k < count; k++) {
      const start = (this.framesEmitted + k) * hop - left;
      if (start >= 0 && start + frameSize <= n) {
        frame.set(buffer.subarray(start - base, start - base + frameSize));
        this.kernel.run(frame, out, k * this.bins);
        continue;
      }
      for (let i = 0; i < frameSize; i++) {
        let s = start + i;
        if (s < 0 || s >= n) {
          if (edge === 'zero') {
            frame[i] = 0;
            continue;
          }
          s = reflectIndex(s, n);
        }
        frame[i] = buffer[s - base]!;
      }
      this.kernel.run(frame, out, k * this.bins);
    }
    this.framesEmitted += count;
    return { frames: out, count, bins: this.bins };
  }
}

/**
 * Whole-utterance features: pads the signal once (zeros or reflection), frames it directly and
 * runs the same kernel per frame.
 * @throws FrontendError `E_NON_FINITE` for a NaN or infinite sample
 */
export function computeFeatures(
  samples: Float32Array,
  config: FeatureConfig,
  options: ComputeFeaturesOptions = {},
): FeatureFrames {
  if (!(samples instanceof Float32Array))
    throw new TypeError(`samples must be a Float32Array, got ${describeValue(samples)}`);
  checkFinite(samples, 'samples');
  const geometry = geometryOf(config);
  const kernel = kernelOf(config);
  const bins = featureBins(config);
  const n = samples.length;
  const count = geometry.frameCount(n);
  const { hop, left, frameSize, edge } = geometry;
  // The padded signal covers every frame: [ -left, (count-1)*hop - left + frameSize ).
  const padLeft = left;
  const padRight = Math.max(0, (count - 1) * hop - left + frameSize - n);
  const padded = new Float64Array(padLeft + n + padRight);
  const p = config.kind === 'nemo-logmel' ? config.preemphasis : 0;
  let prev = options.previousSample ?? 0;
  if (p !== 0 && (typeof prev !== 'number' || !Number.isFinite(prev)))
    throw new RangeError(`options.previousSample must be a finite number, got ${describeValue(prev)}`);
  for (let i = 0; i < n; i++) {
    const x = samples[i]!;
    padded[padLeft + i] = p === 0 ? x : x - p * prev;
    prev = x;
  }
  if (edge === 'reflect' && n > 0) {
    for (let s = -padLeft; s < 0; s++) padded[padLeft + s] = padded[padLeft + reflectIndex(s, n)]!;
    for (let s = n; s < n + padRight; s++) padded[padLeft + s] = padded[padLeft + reflectIndex(s, n)]!;
  }
  const out = new Float32Array(count * bins);
  const frame = new Float64Array(frameSize);
  for (let t = 0; t < count; t++) {
    const start = padLeft + t * hop - left;
    frame.set(padded.subarray(start, start + frameSize));
    kernel.run(frame, out, t * bins);
  }
  return { frames: out, count, bins };
}

/** Frame-major [T, bins] -> bin-major [bins, T] (the NeMo encoders' `[1, 128, T]` layout). */
export function toBinMajor(features: FeatureFrames): Float32Array {
  const { frames, count, bins } = features;
  const out = new Float32Array(frames.length);
  for (let t = 0; t < count; t++) for (let b = 0; b < bins; b++) out[b * count + t] = frames[t * bins + b]!;
  return out;
}
