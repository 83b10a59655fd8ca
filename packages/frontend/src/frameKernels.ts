/**
 * What each feature kind does to one frame, and where its frames sit in the signal. The streaming
 * extractor and the whole-utterance function both call these, so their frames are bit-identical
 * as long as they hand the kernels the same samples.
 */
import type { FeatureConfig, KaldiFbankConfig, KaldiWindow, NemoLogMelConfig } from './featureConfig';
import { applyMelFilters, kaldiMelFilters, slaneyMelFilters, type MelFilter } from './melFilterbank';
import { PowerSpectrum } from './powerSpectrum';

/** Where frame t's samples come from, in signal coordinates. */
export interface FrameGeometry {
  /** Samples that enter a frame (the window length). */
  readonly frameSize: number;
  readonly hop: number;
  /** Frame t starts at sample `t * hop - left` (may be negative). */
  readonly left: number;
  /** Samples outside [0, N): zeros (centre padding) or Kaldi's mirror reflection. */
  readonly edge: 'zero' | 'reflect';
  /** Frames of a finished signal of `n` samples. */
  frameCount(n: number): number;
}

/** Turns one frame of `frameSize` samples into `bins` features. */
export interface FrameKernel {
  readonly bins: number;
  /** Consumes `frame` (it may be overwritten) and writes `bins` features to `out` at `at`. */
  run(frame: Float64Array, out: Float32Array, at: number): void;
}

/** Kaldi's FLT_EPSILON floor of the log (torchaudio `torch.finfo(torch.float).eps`). */
const FLT_EPSILON = 1.1920928955078125e-7;

export function geometryOf(config: FeatureConfig): FrameGeometry {
  if (config.kind === 'nemo-logmel') {
    const { nFft, winLength, hop } = config;
    return {
      frameSize: winLength,
      hop,
      left: winLength / 2,
      edge: 'zero',
      frameCount: (n) => 1 + Math.floor((n + nFft - winLength) / hop),
    };
  }
  const size = (config.frameLengthMs * config.sampleRate) / 1000;
  const shift = (config.frameShiftMs * config.sampleRate) / 1000;
  if (config.snipEdges) {
    return {
      frameSize: size,
      hop: shift,
      left: 0,
      edge: 'zero',
      frameCount: (n) => (n < size ? 0 : 1 + Math.floor((n - size) / shift)),
    };
  }
  return {
    frameSize: size,
    hop: shift,
    left: Math.floor(size / 2) - Math.floor(shift / 2),
    edge: 'reflect',
    frameCount: (n) => Math.floor((n + Math.floor(shift / 2)) / shift),
  };
}

export function kernelOf(config: FeatureConfig): FrameKernel {
  return config.kind === 'nemo-logmel' ? new NemoKernel(config) : new KaldiKernel(config);
}

/** Window, rfft power, Slaney mels, log(mel + guard). The frame is already preemphasised. */
class NemoKernel implements FrameKernel {
  readonly bins: number;
  private readonly window: Float64Array;
  private readonly offset: number;
  private readonly fft: PowerSpectrum;
  private readonly filters: MelFilter[];
  private readonly buffer: Float64Array;
  private readonly power: Float64Array;
  private readonly mel: Float64Array;
  private readonly guard: number;

  constructor(c: NemoLogMelConfig) {
    this.bins = c.nMels;
    // Symmetric Hann: 0.5 (1 - cos(2 pi n / (N - 1))).
    this.window = Float64Array.from(
      { length: c.winLength },
      (_, n) => 0.5 * (1 - Math.cos((2 * Math.PI * n) / (c.winLength - 1))),
    );
    this.offset = (c.nFft - c.winLength) / 2;
    this.fft = new PowerSpectrum(c.nFft);
    this.filters = slaneyMelFilters(c.sampleRate, c.nFft, c.nMels, c.fMin, c.fMax);
    this.buffer = new Float64Array(c.nFft);
    this.power = new Float64Array(this.fft.bins);
    this.mel = new Float64Array(c.nMels);
    this.guard = c.logGuard;
  }

  run(frame: Float64Array, out: Float32Array, at: number): void {
    const { buffer, window, offset } = this;
    for (let i = 0; i < window.length; i++) buffer[offset + i] = frame[i]! * window[i]!;
    this.fft.compute(buffer, this.power);
    applyMelFilters(this.filters, this.power, this.mel);
    for (let m = 0; m < this.bins; m++) out[at + m] = Math.log(this.mel[m]! + this.guard);
  }
}

function kaldiWindow(kind: KaldiWindow, n: number): Float64Array {
  const a = (i: number) => (2 * Math.PI * i) / (n - 1);
  return Float64Array.from({ length: n }, (_, i) => {
    switch (kind) {
      case 'povey':
        return Math.pow(0.5 - 0.5 * Math.cos(a(i)), 0.85);
      case 'hann':
        return 0.5 - 0.5 * Math.cos(a(i));
      case 'hamming':
        return 0.54 - 0.46 * Math.cos(a(i));
      case 'rectangular':
        return 1;
    }
  });
}

/** DC removal, in-frame preemphasis, window, zero padding, rfft power, Kaldi mels, log. */
class KaldiKernel implements FrameKernel {
  readonly bins: number;
  private readonly window: Float64Array;
  private readonly fft: PowerSpectrum;
  private readonly filters: MelFilter[];
  private readonly buffer: Float64Array;
  private readonly power: Float64Array;
  private readonly mel: Float64Array;
  private readonly preemphasis: number;
  private readonly removeDc: boolean;

  constructor(c: KaldiFbankConfig) {
    const size = (c.frameLengthMs * c.sampleRate) / 1000;
    let padded = 1;
    while (padded < size) padded *= 2;
    this.bins = c.numMelBins;
    this.window = kaldiWindow(c.window, size);
    this.fft = new PowerSpectrum(padded);
    this.filters = kaldiMelFilters(c.sampleRate, padded, c.numMelBins, c.lowFreq, c.highFreq);
    this.buffer = new Float64Array(padded);
    this.power = new Float64Array(this.fft.bins);
    this.mel = new Float64Array(c.numMelBins);
    this.preemphasis = c.preemphasis;
    this.removeDc = c.removeDcOffset;
  }

  run(frame: Float64Array, out: Float32Array, at: number): void {
    const n = this.window.length;
    if (this.removeDc) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += frame[i]!;
      const mean = sum / n;
      for (let i = 0; i < n; i++) frame[i] = frame[i]! - mean;
    }
    const p = this.preemphasis;
    if (p !== 0) {
      for (let i = n - 1; i > 0; i--) frame[i] = frame[i]! - p * frame[i - 1]!;
      frame[0] = frame[0]! - p * frame[0]!;
    }
    const { buffer, window } = this;
    for (let i = 0; i < n; i++) buffer[i] = frame[i]! * window[i]!;
    this.fft.compute(buffer, this.power);
    applyMelFilters(this.filters, this.power, this.mel);
    for (let m = 0; m < this.bins; m++) out[at + m] = Math.log(Math.max(this.mel[m]!, FLT_EPSILON));
  }
}

/** Index of sample `s` of a signal of `n` samples under Kaldi's reflection (`-s-1` left, `2n-1-s` right). */
export function reflectIndex(s: number, n: number): number {
  while (s < 0 || s >= n) s = s < 0 ? -s - 1 : 2 * n - 1 - s;
  return s;
}
