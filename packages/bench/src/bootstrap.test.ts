import { describe, expect, it } from 'vitest';
import { bootstrapMedian, bootstrapMedianRatio, bootstrapMedianRatios } from './bootstrap';
import { createPrng } from './prng';

describe('createPrng', () => {
  it('is deterministic per seed and uniform in [0, 1)', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const xs = Array.from({ length: 20_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(createPrng(43)()).not.toBe(createPrng(42)());
  });
});

describe('bootstrapMedianRatios', () => {
  it('gives a zero-width interval when one arm is exactly twice the other, round by round', () => {
    const base = [10, 12, 9, 30, 11, 10, 13];
    const r = bootstrapMedianRatio(
      base,
      base.map((x) => 2 * x),
      { resamples: 500 },
    );
    expect(r).toMatchObject({ ratio: 2, ciLow: 2, ciHigh: 2, confidence: 0.95, resamples: 500, seed: 1 });
  });

  it('puts the interval ends on the hand-computed resample distribution', () => {
    // n = 2: base [1, 3], arm [2, 2]. Index pairs (0,0), (1,1) and the two mixed ones give ratios
    // 2/1, 2/3 and 2/2 with probabilities 1/4, 1/4, 1/2; so the 2.5 % and 97.5 % points are 2/3 and 2.
    const r = bootstrapMedianRatio([1, 3], [2, 2], { resamples: 4000, seed: 7 });
    expect(r.ratio).toBe(1);
    expect(r.ciLow).toBeCloseTo(2 / 3, 12);
    expect(r.ciHigh).toBe(2);
  });

  it('is deterministic for a fixed seed and resamples rounds jointly across arms', () => {
    const base = [5, 7, 6, 9, 5, 8, 6, 7, 30, 6];
    const arms = [base, base.map((x) => x * 3), base.map((x, i) => x + i)];
    const one = bootstrapMedianRatios(arms, { seed: 99, resamples: 300 });
    const two = bootstrapMedianRatios(arms, { seed: 99, resamples: 300 });
    expect(one).toEqual(two);
    expect(one).toHaveLength(2);
    expect(one[0]).toMatchObject({ ratio: 3, ciLow: 3, ciHigh: 3 });
    expect(one[1]!.ciLow).toBeLessThanOrEqual(one[1]!.ratio);
    expect(one[1]!.ciHigh).toBeGreaterThanOrEqual(one[1]!.ratio);
  });

  it('BAD CALL - rejects arms of different lengths', () => {
    expect(() => bootstrapMedianRatios([[1, 2], [1]])).toThrow(RangeError);
    expect(() => bootstrapMedianRatios([[1, 2], [1]])).toThrow(
      '`samplesByArm[1]` has 1 samples, expected 2 (paired by round)',
    );
  });

  it('BAD CALL - rejects a single arm and a confidence outside (0, 1)', () => {
    expect(() => bootstrapMedianRatios([[1]])).toThrow('`samplesByArm` needs at least 2 arms, got 1');
    expect(() => bootstrapMedianRatio([1], [1], { confidence: 1 })).toThrow(
      '`options.confidence` must be in (0, 1), got 1',
    );
  });
});

describe('bootstrapMedian', () => {
  it('gives a zero-width interval for a constant sample, and the sample median', () => {
    expect(bootstrapMedian([4, 4, 4, 4], { resamples: 200 })).toMatchObject({
      median: 4,
      ciLow: 4,
      ciHigh: 4,
      confidence: 0.95,
      resamples: 200,
    });
  });

  it('brackets the median and stays inside the sample range; the same seed gives the same interval', () => {
    const random = createPrng(7);
    const xs = Array.from({ length: 41 }, () => 100 + 20 * random());
    const a = bootstrapMedian(xs, { seed: 3 });
    const sorted = [...xs].sort((p, q) => p - q);
    expect(a.median).toBe(sorted[20]);
    expect(a.ciLow).toBeLessThanOrEqual(a.median);
    expect(a.ciHigh).toBeGreaterThanOrEqual(a.median);
    expect(a.ciLow).toBeGreaterThanOrEqual(sorted[0]!);
    expect(a.ciHigh).toBeLessThanOrEqual(sorted[40]!);
    expect(bootstrapMedian(xs, { seed: 3 })).toEqual(a);
  });

  it('refuses an empty sample', () => {
    expect(() => bootstrapMedian([])).toThrow(RangeError);
  });
});
