/**
 * Pure statistics over timing samples. Conventions (also in the README):
 *
 * - `median` is the average of the two middle values when n is even. It equals `quantile(x, 0.5)`.
 * - `quantile` (and so p90/p95/p99) interpolates linearly between closest ranks: h = (n - 1)·q,
 *   value = s[⌊h⌋] + (h - ⌊h⌋)·(s[⌊h⌋ + 1] - s[⌊h⌋]) on the sorted values s (Hyndman–Fan type 7,
 *   the default of numpy and R).
 * - The seed's own conventions are kept for comparisons: {@link medianUpper} = s[⌊n/2⌋] (Swift
 *   bench), {@link swiftP95} = s[⌊0.95·n⌋] (index 190 of 200), {@link pythonP95} =
 *   s[⌊0.95·n⌋ - 1] (index 189 of 200).
 * - `mad` is the raw median absolute deviation, median(|x - median(x)|); `madScaled` = 1.4826·mad
 *   estimates σ for normal data.
 *
 * Every function throws a RangeError on an empty input and never mutates its argument.
 */

/** Factor turning a raw MAD into a σ estimate for normal data (1 / Φ⁻¹(3/4)). */
export const MAD_SCALE = 1.4826;

/** Default modified z-score threshold (Iglewicz & Hoaglin). */
export const OUTLIER_Z_THRESHOLD = 3.5;

/**
 * hyperfine's outlier warning threshold expressed on this module's scale. hyperfine divides by the
 * raw MAD and warns above 1.4826·10 ≈ 14.8, i.e. beyond 10 scaled MADs; with the 0.6745 factor used
 * here that is a modified z-score of 10.
 */
export const HYPERFINE_Z_THRESHOLD = 10;

function checked(values: readonly number[], name: string): void {
  if (values.length === 0) throw new RangeError(`\`${name}\` needs at least one value, got an empty array`);
}

/** Ascending numeric copy. */
export function sortAscending(values: readonly number[]): number[] {
  return Array.from(values).sort((a, b) => a - b);
}

/** Interpolated quantile of already sorted values (see the module comment for the convention). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  checked(sorted, 'quantileSorted');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`\`q\` must be in [0, 1], got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const low = sorted[lo] as number;
  if (lo + 1 >= sorted.length) return low;
  return low + (h - lo) * ((sorted[lo + 1] as number) - low);
}

/**
 * Quantile q ∈ [0, 1] by linear interpolation between closest ranks (type 7).
 * @example quantile([1, 2, 3, 4], 0.5) === 2.5
 */
export function quantile(values: readonly number[], q: number): number {
  checked(values, 'quantile');
  return quantileSorted(sortAscending(values), q);
}

/** Median; the average of the two middle values when n is even. */
export function median(values: readonly number[]): number {
  checked(values, 'median');
  return quantileSorted(sortAscending(values), 0.5) + 0; // +0, never -0 (see medianInPlace)
}

/** The Swift seed bench's median: sorted[⌊n/2⌋] (the upper middle value when n is even). */
export function medianUpper(values: readonly number[]): number {
  checked(values, 'medianUpper');
  return sortAscending(values)[Math.floor(values.length / 2)] as number;
}

/** The Swift seed bench's p95: sorted[⌊0.95·n⌋] (index 190 of 200), clamped to the last value. */
export function swiftP95(values: readonly number[]): number {
  checked(values, 'swiftP95');
  const s = sortAscending(values);
  return s[Math.min(Math.floor(s.length * 0.95), s.length - 1)] as number;
}

/**
 * The Python seed bench's p95: sorted[int(n·0.95) - 1] (index 189 of 200). As in Python, the index
 * -1 (n = 1) means the last value.
 */
export function pythonP95(values: readonly number[]): number {
  checked(values, 'pythonP95');
  const s = sortAscending(values);
  const i = Math.floor(s.length * 0.95) - 1;
  return s[i < 0 ? s.length + i : i] as number;
}

/**
 * Median of `values` in expected linear time (quickselect with a median-of-three pivot), with the
 * same convention as {@link median}. Reorders `values`: pass a scratch copy. For the bootstrap,
 * which takes thousands of medians of resamples.
 */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) throw new RangeError('`medianInPlace` needs at least one value, got an empty array');
  const mid = n >> 1;
  const upper = selectInPlace(values, mid);
  // `+ 0` turns -0 into +0: -0 and 0 tie in the order, so which one lands in the middle depends
  // on the algorithm; the sorted-copy median must not differ from this one by the sign of zero.
  if (n % 2 === 1) return upper + 0;
  // Everything left of `mid` is <= values[mid] now, so the lower middle value is their maximum.
  let lower = values[0] as number;
  for (let i = 1; i < mid; i++) if ((values[i] as number) > lower) lower = values[i] as number;
  return lower + 0.5 * (upper - lower) + 0; // the same arithmetic as quantileSorted
}

// k-th smallest (0-based); afterwards a[0..k-1] <= a[k] <= a[k+1..].
function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const swap = (i: number, j: number): void => {
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  };
  while (hi > lo) {
    const m = (lo + hi) >>> 1;
    if ((a[m] as number) < (a[lo] as number)) swap(lo, m);
    if ((a[hi] as number) < (a[lo] as number)) swap(lo, hi);
    if ((a[hi] as number) < (a[m] as number)) swap(m, hi);
    const pivot = a[m] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) swap(i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

/** Arithmetic mean. */
export function mean(values: readonly number[]): number {
  checked(values, 'mean');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n - 1 denominator); 0 for a single value. */
export function stdev(values: readonly number[]): number {
  checked(values, 'stdev');
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

/** Raw median absolute deviation: median(|x - median(x)|). Multiply by {@link MAD_SCALE} for σ. */
export function mad(values: readonly number[]): number {
  checked(values, 'mad');
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/**
 * Modified z-scores 0.6745·(x - median)/MAD (Iglewicz & Hoaglin), i.e. (x - median)/(MAD·1.4826).
 * When MAD is 0 (more than half the values equal) the mean absolute deviation stands in, scaled
 * by 1.2533 (√(π/2)); when that is 0 too, every score is 0.
 */
export function modifiedZScores(values: readonly number[]): number[] {
  checked(values, 'modifiedZScores');
  const m = median(values);
  let scale = mad(values) * MAD_SCALE;
  if (scale === 0) {
    let sum = 0;
    for (const v of values) sum += Math.abs(v - m);
    scale = (sum / values.length) * 1.2533;
  }
  if (scale === 0) return values.map(() => 0);
  return values.map((v) => (v - m) / scale);
}

/**
 * Indices of values whose |modified z-score| exceeds `threshold` (default 3.5). Outliers are
 * reported, never removed: the summary statistics always use every sample.
 */
export function outlierIndices(values: readonly number[], threshold: number = OUTLIER_Z_THRESHOLD): number[] {
  const z = modifiedZScores(values);
  const out: number[] = [];
  z.forEach((score, i) => {
    if (Math.abs(score) > threshold) out.push(i);
  });
  return out;
}

/** Summary of one arm's samples. All values are in the samples' unit (ns in this package). */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly stdev: number;
  /** Average of the two middle values when n is even. */
  readonly median: number;
  /** Interpolated quantiles (type 7). */
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  /** Raw MAD. */
  readonly mad: number;
  /** 1.4826 · MAD. */
  readonly madScaled: number;
  /** Seed conventions, for comparison with its published numbers. */
  readonly medianUpper: number;
  readonly swiftP95: number;
  readonly pythonP95: number;
}

/** Every statistic of {@link Summary} at once (one sort). */
export function summarize(values: readonly number[]): Summary {
  checked(values, 'summarize');
  const s = sortAscending(values);
  const n = s.length;
  const m = quantileSorted(s, 0.5);
  const rawMad = quantileSorted(sortAscending(s.map((v) => Math.abs(v - m))), 0.5);
  const py = Math.floor(n * 0.95) - 1;
  return {
    n,
    min: s[0] as number,
    max: s[n - 1] as number,
    mean: mean(s),
    stdev: stdev(s),
    median: m,
    p90: quantileSorted(s, 0.9),
    p95: quantileSorted(s, 0.95),
    p99: quantileSorted(s, 0.99),
    mad: rawMad,
    madScaled: rawMad * MAD_SCALE,
    medianUpper: s[Math.floor(n / 2)] as number,
    swiftP95: s[Math.min(Math.floor(n * 0.95), n - 1)] as number,
    pythonP95: s[py < 0 ? n + py : py] as number,
  };
}
