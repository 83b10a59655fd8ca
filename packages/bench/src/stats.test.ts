import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HYPERFINE_Z_THRESHOLD,
  MAD_SCALE,
  mad,
  mean,
  median,
  medianInPlace,
  medianUpper,
  modifiedZScores,
  outlierIndices,
  pythonP95,
  quantile,
  stdev,
  summarize,
  swiftP95,
} from './stats';

const oneTo200 = Array.from({ length: 200 }, (_, i) => 200 - i); // unsorted on purpose

describe('median', () => {
  it('is the middle value for odd n', () => {
    expect(median([3, 1, 2])).toBe(2);
  });
  it('averages the two middle values for even n', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median(oneTo200)).toBe(100.5);
  });
  it('does not mutate its input', () => {
    const x = [3, 1, 2];
    median(x);
    expect(x).toEqual([3, 1, 2]);
  });
  it('matches a sort-and-pick reference on any array', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1 }), (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const n = s.length;
        const ref = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
        expect(median(xs)).toBeCloseTo(ref, 6);
      }),
    );
  });
  it('BAD CALL - throws a RangeError on an empty array', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([])).toThrow('`median` needs at least one value, got an empty array');
  });
});

describe('medianInPlace', () => {
  it('equals median on any array, including many ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 })), {
          minLength: 1,
          maxLength: 200,
        }),
        (xs) => {
          expect(medianInPlace(Float64Array.from(xs))).toBe(median(xs));
        },
      ),
    );
  });
  it('gives +0, never -0, when -0 and 0 tie in the middle (a shrunk counterexample)', () => {
    expect(Object.is(medianInPlace(Float64Array.from([-0, 0, 1])), 0)).toBe(true);
    expect(Object.is(median([-0, 0, 1]), 0)).toBe(true);
    expect(Object.is(medianInPlace(Float64Array.from([0, -0])), 0)).toBe(true);
  });
  it('BAD CALL - throws a RangeError on an empty array', () => {
    expect(() => medianInPlace(new Float64Array(0))).toThrow(RangeError);
  });
});

describe('seed conventions', () => {
  it('medianUpper is sorted[n/2], the upper middle value (Swift bench)', () => {
    expect(medianUpper([4, 1, 3, 2])).toBe(3);
    expect(medianUpper(oneTo200)).toBe(101);
    expect(medianUpper([7])).toBe(7);
  });
  it('swiftP95 is sorted[int(0.95 n)], index 190 of 200', () => {
    expect(swiftP95(oneTo200)).toBe(191);
    expect(swiftP95([5])).toBe(5);
  });
  it('pythonP95 is sorted[int(0.95 n) - 1], index 189 of 200, and wraps to the last value for n = 1', () => {
    expect(pythonP95(oneTo200)).toBe(190);
    expect(pythonP95([2, 1])).toBe(1);
    expect(pythonP95([9])).toBe(9);
  });
});

describe('quantile', () => {
  it('interpolates linearly between closest ranks (type 7)', () => {
    const x = [5, 1, 4, 2, 3];
    expect(quantile(x, 0)).toBe(1);
    expect(quantile(x, 1)).toBe(5);
    expect(quantile(x, 0.9)).toBeCloseTo(4.6, 12); // h = 3.6
    expect(quantile(x, 0.95)).toBeCloseTo(4.8, 12); // h = 3.8
    expect(quantile(x, 0.99)).toBeCloseTo(4.96, 12); // h = 3.96
    expect(quantile(oneTo200, 0.95)).toBeCloseTo(190.05, 9); // h = 189.05
  });
  it('is monotone in q and stays within [min, max]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, q1, q2) => {
          const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
          expect(quantile(xs, lo)).toBeLessThanOrEqual(quantile(xs, hi) + 1e-9);
          expect(quantile(xs, lo)).toBeGreaterThanOrEqual(Math.min(...xs));
          expect(quantile(xs, hi)).toBeLessThanOrEqual(Math.max(...xs));
        },
      ),
    );
  });
  it('BAD CALL - throws a RangeError when q is outside [0, 1]', () => {
    expect(() => quantile([1], 1.5)).toThrow('`q` must be in [0, 1], got 1.5');
  });
});

describe('mean and stdev', () => {
  it('give the textbook values', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(x)).toBe(5);
    expect(stdev(x)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(stdev([3])).toBe(0);
  });
});

describe('mad', () => {
  it('is the raw median absolute deviation', () => {
    // median 2; |x - 2| = 1,1,0,0,2,4,7 -> sorted 0,0,1,1,2,4,7 -> 1
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(mad([10, 10, 10])).toBe(0);
  });
});

describe('modifiedZScores', () => {
  it('divides the distance to the median by 1.4826 MAD', () => {
    const z = modifiedZScores([1, 1, 2, 2, 4, 6, 9]);
    expect(z[6]).toBeCloseTo(7 / MAD_SCALE, 12); // 4.7214
    expect(z[0]).toBeCloseTo(-1 / MAD_SCALE, 12);
    expect(z[2]).toBe(0);
  });
  it('falls back to 1.2533 x mean absolute deviation when MAD is 0', () => {
    // median 5, MAD 0, mean |x - 5| = 4/5
    const z = modifiedZScores([5, 5, 5, 5, 9]);
    expect(z[4]).toBeCloseTo(4 / (0.8 * 1.2533), 12);
    expect(modifiedZScores([3, 3, 3])).toEqual([0, 0, 0]);
  });
});

describe('outlierIndices', () => {
  it('flags |z| > 3.5 by default and keeps every value', () => {
    const x = [1, 1, 2, 2, 4, 6, 9];
    expect(outlierIndices(x)).toEqual([6]);
    expect(x).toHaveLength(7);
  });
  it('accepts hyperfine-like thresholds (10 scaled MADs)', () => {
    expect(outlierIndices([1, 1, 2, 2, 4, 6, 9], HYPERFINE_Z_THRESHOLD)).toEqual([]);
    expect(outlierIndices([1, 1, 2, 2, 4, 6, 20], HYPERFINE_Z_THRESHOLD)).toEqual([6]); // z = 18/1.4826 = 12.1
  });
});

describe('summarize', () => {
  it('agrees with the single-purpose functions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: 0, max: 1e7 }), { minLength: 1, maxLength: 300 }),
        (xs) => {
          const s = summarize(xs);
          expect(s.n).toBe(xs.length);
          expect(s.median).toBeCloseTo(median(xs), 6);
          expect(s.p95).toBeCloseTo(quantile(xs, 0.95), 6);
          expect(s.mad).toBeCloseTo(mad(xs), 6);
          expect(s.madScaled).toBeCloseTo(mad(xs) * MAD_SCALE, 6);
          expect(s.medianUpper).toBe(medianUpper(xs));
          expect(s.swiftP95).toBe(swiftP95(xs));
          expect(s.pythonP95).toBe(pythonP95(xs));
        },
      ),
    );
  });
  it('gives hand-computed values on 1..200', () => {
    const s = summarize(oneTo200);
    expect(s).toMatchObject({
      n: 200,
      min: 1,
      max: 200,
      median: 100.5,
      medianUpper: 101,
      swiftP95: 191,
      pythonP95: 190,
      mad: 50,
    });
    expect(s.p90).toBeCloseTo(180.1, 9); // h = 179.1
    expect(s.p99).toBeCloseTo(198.01, 9); // h = 197.01
  });
});
