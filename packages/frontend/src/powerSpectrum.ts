/**
 * |rfft|^2 of one real frame through fft.js (Fedor Indutny's radix-4 FFT, float64): the one FFT
 * both feature kinds share. Buffers are preallocated, so a frame allocates nothing.
 */
import FFT from 'fft.js';

/** Power spectrum of real frames of a fixed power-of-two size. */
export class PowerSpectrum {
  readonly size: number;
  /** Bins 0..size/2. */
  readonly bins: number;
  private readonly fft: FFT;
  private readonly complex: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0)
      throw new RangeError(`FFT size must be a power of two >= 2, got ${String(size)}`);
    this.size = size;
    this.bins = size / 2 + 1;
    this.fft = new FFT(size);
    this.complex = new Float64Array(2 * size);
  }

  /** Writes `re^2 + im^2` of bins 0..size/2 of `frame` (length `size`) into `out`. */
  compute(frame: Float64Array, out: Float64Array): void {
    const c = this.complex;
    this.fft.realTransform(c, frame);
    for (let k = 0; k < this.bins; k++) {
      const re = c[2 * k]!;
      const im = c[2 * k + 1]!;
      out[k] = re * re + im * im;
    }
  }
}
