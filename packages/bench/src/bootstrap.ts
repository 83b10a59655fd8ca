import { createPrng } from './prng';
import { medianInPlace, quantileSorted } from './stats';

/** A median ratio with its percentile-bootstrap confidence interval. */
export interface RatioEstimate {
  /** median(arm) / median(baseline arm) on all samples. Above 1: the arm is slower. */
  readonly ratio: number;
  /** Lower and upper bounds of the interval. */
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Coverage of the interval, e.g. 0.95. */
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
}

/** Options of the bootstrap. */
export interface BootstrapOptions {
  /** Number of resamples (default 2000). */
  readonly resamples?: number;
  /** PRNG seed; the same seed and samples give the same interval (default 1). */
  readonly seed?: number;
  /** Interval coverage in (0, 1) (default 0.95). */
  readonly confidence?: number;
}

function medianOfIndices(values: readonly number[], indices: Uint32Array, scratch: Float64Array): number {
  for (let i = 0; i < indices.length; i++) scratch[i] = values[indices[i] as number] as number;
  return medianInPlace(scratch);
}

/**
 * Percentile-bootstrap confidence intervals of median(arm k) / median(arm 0) for every arm k ≥ 1.
 *
 * Samples are paired by round (sample i of every arm was taken in the same round), so each
 * resample draws round indices with replacement and applies the same indices to every arm: drift
 * that hits one round hits both sides of the ratio, as it did in the measurement.
 *
 * @param samplesByArm one array per arm, all of the same length n ≥ 1; arm 0 is the baseline.
 * @returns one estimate per arm k ≥ 1 (index k - 1).
 */
export function bootstrapMedianRatios(
  samplesByArm: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): RatioEstimate[] {
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  if (samplesByArm.length < 2)
    throw new RangeError(`\`samplesByArm\` needs at least 2 arms, got ${samplesByArm.length}`);
  const n = (samplesByArm[0] as readonly number[]).length;
  if (n === 0) throw new RangeError('`samplesByArm` arms must hold at least one sample, got 0');
  samplesByArm.forEach((arm, k) => {
    if (arm.length !== n)
      throw new RangeError(
        `\`samplesByArm[${k}]\` has ${arm.length} samples, expected ${n} (paired by round)`,
      );
  });
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`\`options.resamples\` must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`\`options.confidence\` must be in (0, 1), got ${confidence}`);

  const random = createPrng(seed);
  const indices = new Uint32Array(n);
  const scratch = new Float64Array(n);
  const identity = Uint32Array.from({ length: n }, (_, i) => i);
  const arms = samplesByArm.length;
  const ratios = Array.from({ length: arms - 1 }, () => new Float64Array(resamples));
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(random() * n);
    const base = medianOfIndices(samplesByArm[0] as readonly number[], indices, scratch);
    for (let k = 1; k < arms; k++) {
      (ratios[k - 1] as Float64Array)[b] =
        medianOfIndices(samplesByArm[k] as readonly number[], indices, scratch) / base;
    }
  }
  const baseMedian = medianOfIndices(samplesByArm[0] as readonly number[], identity, scratch);
  const tail = (1 - confidence) / 2;
  return ratios.map((r, i) => {
    const sorted = Array.from(r.sort());
    return {
      ratio: medianOfIndices(samplesByArm[i + 1] as readonly number[], identity, scratch) / baseMedian,
      ciLow: quantileSorted(sorted, tail),
      ciHigh: quantileSorted(sorted, 1 - tail),
      confidence,
      resamples,
      seed,
    };
  });
}

/** {@link bootstrapMedianRatios} for one pair: median(arm) / median(baseline) with its interval. */
export function bootstrapMedianRatio(
  baseline: readonly number[],
  arm: readonly number[],
  options: BootstrapOptions = {},
): RatioEstimate {
  return bootstrapMedianRatios([baseline, arm], options)[0] as RatioEstimate;
}

/** A median with its percentile-bootstrap confidence interval. */
export interface MedianEstimate {
  readonly median: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
}

/**
 * Percentile-bootstrap confidence interval of the median of `values` (resampled with replacement,
 * same PRNG and conventions as {@link bootstrapMedianRatios}).
 * @throws RangeError for an empty sample or bad options
 */
export function bootstrapMedian(values: readonly number[], options: BootstrapOptions = {}): MedianEstimate {
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  const n = values.length;
  if (n === 0) throw new RangeError('`values` must hold at least one sample, got 0');
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`\`options.resamples\` must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`\`options.confidence\` must be in (0, 1), got ${confidence}`);
  const random = createPrng(seed);
  const indices = new Uint32Array(n);
  const scratch = new Float64Array(n);
  const medians = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(random() * n);
    medians[b] = medianOfIndices(values, indices, scratch);
  }
  const sorted = Array.from(medians.sort());
  const tail = (1 - confidence) / 2;
  return {
    median: medianOfIndices(
      values,
      Uint32Array.from({ length: n }, (_, i) => i),
      scratch,
    ),
    ciLow: quantileSorted(sorted, tail),
    ciHigh: quantileSorted(sorted, 1 - tail),
    confidence,
    resamples,
    seed,
  };
}
