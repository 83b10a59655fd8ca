import type { RatioEstimate, BootstrapOptions } from './bootstrap';
import { createPrng } from './prng';
import { medianInPlace, quantileSorted } from './stats';

/**
 * Two-level percentile bootstrap of median(arm k) / median(arm 0) over process replicates: each
 * resample draws processes with replacement, then rounds with replacement within each drawn
 * process (paired across arms), and takes the ratio of the pooled medians. Variation between
 * processes (weight placement, shared caches) then widens the interval, which a bootstrap over
 * the rounds of one process cannot show.
 *
 * @param replicates one entry per process: one sample array per arm, all arms of a process of equal length.
 * @returns one estimate per arm k ≥ 1; `ratio` is the ratio of pooled medians over all processes.
 */
export function bootstrapHierarchicalRatios(
  replicates: readonly (readonly (readonly number[])[])[],
  options: BootstrapOptions = {},
): RatioEstimate[] {
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  const p = replicates.length;
  if (p === 0) throw new RangeError('`replicates` needs at least one process, got 0');
  const arms = (replicates[0] as readonly (readonly number[])[]).length;
  if (arms < 2) throw new RangeError(`\`replicates\` needs at least 2 arms, got ${arms}`);
  replicates.forEach((rep, i) => {
    if (rep.length !== arms)
      throw new RangeError(`\`replicates[${i}]\` has ${rep.length} arms, expected ${arms}`);
    const n = (rep[0] as readonly number[]).length;
    if (n === 0) throw new RangeError(`\`replicates[${i}]\` holds no samples`);
    rep.forEach((s, k) => {
      if (s.length !== n)
        throw new RangeError(
          `\`replicates[${i}][${k}]\` has ${s.length} samples, expected ${n} (paired by round)`,
        );
    });
  });
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`\`options.resamples\` must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`\`options.confidence\` must be in (0, 1), got ${confidence}`);

  const random = createPrng(seed);
  const sizes = replicates.map((rep) => (rep[0] as readonly number[]).length);
  const maxTotal = Math.max(...sizes) * p;
  const pooled = Array.from({ length: arms }, () => new Float64Array(maxTotal));
  const ratios = Array.from({ length: arms - 1 }, () => new Float64Array(resamples));
  for (let b = 0; b < resamples; b++) {
    let total = 0;
    for (let q = 0; q < p; q++) {
      const rep = replicates[Math.floor(random() * p)] as readonly (readonly number[])[];
      const n = (rep[0] as readonly number[]).length;
      for (let i = 0; i < n; i++) {
        const r = Math.floor(random() * n);
        for (let k = 0; k < arms; k++)
          (pooled[k] as Float64Array)[total] = (rep[k] as readonly number[])[r] as number;
        total++;
      }
    }
    const base = medianInPlace((pooled[0] as Float64Array).subarray(0, total));
    for (let k = 1; k < arms; k++)
      (ratios[k - 1] as Float64Array)[b] =
        medianInPlace((pooled[k] as Float64Array).subarray(0, total)) / base;
  }
  const all = (k: number): Float64Array =>
    Float64Array.from(replicates.flatMap((rep) => Array.from(rep[k] as readonly number[])));
  const baseMedian = medianInPlace(all(0));
  const tail = (1 - confidence) / 2;
  return ratios.map((r, i) => {
    const sorted = Array.from(r.sort());
    return {
      ratio: medianInPlace(all(i + 1)) / baseMedian,
      ciLow: quantileSorted(sorted, tail),
      ciHigh: quantileSorted(sorted, 1 - tail),
      confidence,
      resamples,
      seed,
    };
  });
}
