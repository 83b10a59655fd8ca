/**
 * Mel filterbanks of both feature kinds, in float64, stored sparse (each filter's non-zero run of
 * FFT bins): Slaney-scale triangles with Slaney area normalisation (librosa's default, the NeMo /
 * tiny-eou recipe's `mel_filterbank`) and Kaldi's triangles on the 1127 ln(1 + f/700) scale
 * (`torchaudio.compliance.kaldi.get_mel_banks`, no normalisation, the Nyquist bin left out).
 */

/** One triangular filter: weights of FFT bins `start .. start + weights.length - 1`. */
export interface MelFilter {
  readonly start: number;
  readonly weights: Float64Array;
}

function sparse(dense: Float64Array[]): MelFilter[] {
  return dense.map((row) => {
    let start = 0;
    while (start < row.length && row[start] === 0) start++;
    let end = row.length;
    while (end > start && row[end - 1] === 0) end--;
    return { start, weights: row.slice(start, end) };
  });
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

function slaneyHzToMel(f: number): number {
  return f >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(Math.max(f, 1e-10) / MIN_LOG_HZ) / LOGSTEP : f / F_SP;
}

function slaneyMelToHz(m: number): number {
  return m >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL)) : F_SP * m;
}

/** Slaney mel filters over `nFft/2 + 1` bins (librosa `mel(htk=False, norm='slaney')`). */
export function slaneyMelFilters(
  sampleRate: number,
  nFft: number,
  nMels: number,
  fMin: number,
  fMax: number,
): MelFilter[] {
  const nBins = nFft / 2 + 1;
  const fftFreqs = Float64Array.from({ length: nBins }, (_, k) => (k * (sampleRate / 2)) / (nBins - 1));
  const melMin = slaneyHzToMel(fMin);
  const melMax = slaneyHzToMel(fMax);
  const melF = Float64Array.from({ length: nMels + 2 }, (_, i) =>
    slaneyMelToHz(melMin + ((melMax - melMin) * i) / (nMels + 1)),
  );
  const rows: Float64Array[] = [];
  for (let m = 0; m < nMels; m++) {
    const row = new Float64Array(nBins);
    const lower = melF[m + 1]! - melF[m]!;
    const upper = melF[m + 2]! - melF[m + 1]!;
    const enorm = 2 / (melF[m + 2]! - melF[m]!);
    for (let k = 0; k < nBins; k++) {
      const down = -(melF[m]! - fftFreqs[k]!) / lower;
      const up = (melF[m + 2]! - fftFreqs[k]!) / upper;
      row[k] = Math.max(0, Math.min(down, up)) * enorm;
    }
    rows.push(row);
  }
  return sparse(rows);
}

function kaldiMel(f: number): number {
  return 1127 * Math.log(1 + f / 700);
}

/**
 * Kaldi mel filters over the first `paddedWindow/2` FFT bins (the Nyquist bin gets no weight).
 * `highFreq <= 0` counts down from the Nyquist frequency (Kaldi's convention: -400 = 7600 Hz at 16 kHz).
 */
export function kaldiMelFilters(
  sampleRate: number,
  paddedWindow: number,
  numBins: number,
  lowFreq: number,
  highFreq: number,
): MelFilter[] {
  const nyquist = sampleRate / 2;
  const high = highFreq <= 0 ? highFreq + nyquist : highFreq;
  const numFftBins = paddedWindow / 2;
  const binWidth = sampleRate / paddedWindow;
  const melLow = kaldiMel(lowFreq);
  const melHigh = kaldiMel(high);
  const delta = (melHigh - melLow) / (numBins + 1);
  const rows: Float64Array[] = [];
  for (let b = 0; b < numBins; b++) {
    const left = melLow + b * delta;
    const centre = melLow + (b + 1) * delta;
    const right = melLow + (b + 2) * delta;
    const row = new Float64Array(numFftBins + 1);
    for (let k = 0; k < numFftBins; k++) {
      const mel = kaldiMel(binWidth * k);
      const up = (mel - left) / (centre - left);
      const down = (right - mel) / (right - centre);
      row[k] = Math.max(0, Math.min(up, down));
    }
    rows.push(row);
  }
  return sparse(rows);
}

/** `out[m] = sum_k filters[m][k] * power[k]`. */
export function applyMelFilters(filters: readonly MelFilter[], power: Float64Array, out: Float64Array): void {
  for (let m = 0; m < filters.length; m++) {
    const { start, weights } = filters[m]!;
    let sum = 0;
    for (let k = 0; k < weights.length; k++) sum += weights[k]! * power[start + k]!;
    out[m] = sum;
  }
}
