// Types for fft.js 4.0.4 (it ships none): the parts this package uses.
declare module 'fft.js' {
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Fills `out` (interleaved re, im; length 2*size) with bins 0..size/2 of the DFT of real `data`. */
    realTransform(out: number[] | Float64Array, data: ArrayLike<number>): void;
    completeSpectrum(spectrum: number[] | Float64Array): void;
    transform(out: number[] | Float64Array, data: ArrayLike<number>): void;
  }
}
