import { describe, expect, it } from 'vitest';
import { around, suite } from '../test/suiteFixture';
import { compareToBaseline, formatComparisonMarkdown } from './compareToBaseline';

describe('compareToBaseline', () => {
  const baseline = { suites: [suite('step', { ref: around(200_000), lean: around(120_000, 100, 1) })] };

  it('finds nothing to flag when a run repeats the baseline within its noise', () => {
    const current = {
      suites: [suite('step', { ref: around(201_000, 100, 2), lean: around(120_500, 100, 3) })],
    };
    const c = compareToBaseline(current, baseline);
    expect(c.regressed).toBe(false);
    expect(c.improved).toBe(false);
    expect(c.rows.map((r) => `${r.arm}:${r.metric}:${r.status}`)).toEqual([
      'ref:median:unchanged',
      'lean:ratio:unchanged',
      'lean:median:unchanged',
    ]);
  });

  it('flags a ratio regression whose interval lies above baseline ratio x (1 + tolerance)', () => {
    const current = { suites: [suite('step', { ref: around(200_000), lean: around(150_000, 100, 1) })] };
    const c = compareToBaseline(current, baseline);
    expect(c.regressed).toBe(true);
    const row = c.rows.find((r) => r.metric === 'ratio')!;
    expect(row.status).toBe('regression');
    expect(row.baseline).toBeCloseTo(0.6, 2);
    expect(row.current).toBeCloseTo(0.75, 2);
    expect(row.change).toBeCloseTo(0.25, 1);
  });

  it('flags a median change only beyond both k noise units and the median tolerance', () => {
    // 8 % slower on both: beyond the (tiny) noise but within the 10 % median tolerance -> unchanged
    const small = compareToBaseline(
      { suites: [suite('step', { ref: around(216_000), lean: around(129_600, 100, 1) })] },
      baseline,
    );
    expect(small.rows.filter((r) => r.metric === 'median').map((r) => r.status)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    expect(
      compareToBaseline(
        { suites: [suite('step', { ref: around(216_000), lean: around(129_600, 100, 1) })] },
        baseline,
        {
          medianTolerance: 0.05,
        },
      ).regressed,
    ).toBe(true);
    // 15 % faster on both: improvement on the medians, ratio unchanged
    const fast = compareToBaseline(
      { suites: [suite('step', { ref: around(170_000), lean: around(102_000, 100, 1) })] },
      baseline,
    );
    expect(fast.rows.map((r) => r.status)).toEqual(['improvement', 'unchanged', 'improvement']);
    expect(fast.improved).toBe(true);
    expect(fast.regressed).toBe(false);
  });

  it('reports arms that are new or missing, and warns when the machines differ', () => {
    const machine = { cpuModel: 'A', cpus: 2, node: 'v20', onnxruntimeNode: null } as never;
    const current = {
      machine: { ...(machine as object), cpuModel: 'B' } as never,
      suites: [suite('step', { ref: around(200_000), topk: around(150_000) })],
    };
    const c = compareToBaseline(current, { ...baseline, machine });
    expect(c.rows.map((r) => `${r.arm}:${r.metric}:${r.status}`)).toEqual([
      'lean:ratio:missing',
      'lean:median:missing',
      'ref:median:unchanged',
      'topk:ratio:new',
      'topk:median:new',
    ]);
    expect(c.warnings).toEqual(['CPU differs: A (baseline) vs B']);
  });

  it('formats a Markdown table with a verdict line', () => {
    const current = { suites: [suite('step', { ref: around(200_000), lean: around(150_000, 100, 1) })] };
    const md = formatComparisonMarkdown(compareToBaseline(current, baseline));
    expect(md).toContain('| step | lean | ratio | 0.600 | 0.750 | +25.0 % |');
    expect(md).toContain('**regression**');
    expect(md.trim().endsWith('Verdict: REGRESSION beyond noise.')).toBe(true);
  });

  it('BAD CALL - rejects a negative tolerance', () => {
    expect(() => compareToBaseline(baseline, baseline, { medianTolerance: -0.1 })).toThrow(
      '`options.medianTolerance` must be >= 0, got -0.1',
    );
    expect(() => compareToBaseline(baseline, baseline, { tolerance: -1 })).toThrow(
      '`options.tolerance` must be >= 0, got -1',
    );
  });
});
