import { describe, expect, it } from 'vitest';
import { around } from '../test/suiteFixture';
import { bootstrapMedianRatios } from './bootstrap';
import { bootstrapHierarchicalRatios } from './hierarchicalBootstrap';

describe('bootstrapHierarchicalRatios', () => {
  it('gives the one-level interval back for one process', () => {
    const base = around(100, 200);
    const arm = around(150, 200, 1);
    const [h] = bootstrapHierarchicalRatios([[base, arm]], { resamples: 400 });
    expect(h!.ratio).toBeCloseTo(bootstrapMedianRatios([base, arm])[0]!.ratio, 12);
    expect(h!.ciLow).toBeLessThanOrEqual(1.5);
    expect(h!.ciHigh).toBeGreaterThanOrEqual(1.5);
  });

  it('widens the interval to cover processes that disagree, which pooling rounds hides', () => {
    // Three processes whose ratios are 1.1, 1.0 and 0.9: tight within each, far apart between.
    const reps = [1.1, 1.0, 0.9].map((r, p) => [around(100, 200, p), around(100 * r, 200, p + 5)]);
    const [h] = bootstrapHierarchicalRatios(reps, { resamples: 1000 });
    const pooled = bootstrapMedianRatios([reps.flatMap((r) => r[0]!), reps.flatMap((r) => r[1]!)])[0]!;
    expect(h!.ciHigh - h!.ciLow).toBeGreaterThan(3 * (pooled.ciHigh - pooled.ciLow));
    expect(h!.ciLow).toBeLessThan(0.95);
    expect(h!.ciHigh).toBeGreaterThan(1.05);
  });

  it('is deterministic for a seed', () => {
    const reps = [0, 1].map((p) => [around(100, 50, p), around(120, 50, p + 2)]);
    expect(bootstrapHierarchicalRatios(reps, { seed: 7 })).toEqual(
      bootstrapHierarchicalRatios(reps, { seed: 7 }),
    );
  });

  it('BAD CALL - rejects unpaired or empty replicates', () => {
    expect(() => bootstrapHierarchicalRatios([])).toThrow(/at least one process/);
    expect(() => bootstrapHierarchicalRatios([[[1, 2], [1]]])).toThrow(
      /replicates\[0\]\[1\]` has 1 samples, expected 2/,
    );
    expect(() => bootstrapHierarchicalRatios([[[1]]])).toThrow(/at least 2 arms/);
  });
});
