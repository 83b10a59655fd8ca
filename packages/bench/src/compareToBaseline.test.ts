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
    // with a 5 % median tolerance both medians regressed: reported, but only ratios decide by default
    const slower = { suites: [suite('step', { ref: around(216_000), lean: around(129_600, 100, 1) })] };
    const reported = compareToBaseline(slower, baseline, { medianTolerance: 0.05 });
    expect(reported).toMatchObject({ regressed: false, regressions: 2, medians: 'report' });
    expect(formatComparisonMarkdown(reported)).toContain(
      'Verdict: no ratio regression beyond noise; 2 absolute median(s) moved beyond noise',
    );
    expect(compareToBaseline(slower, baseline, { medianTolerance: 0.05, medians: 'fail' }).regressed).toBe(
      true,
    );
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
    const loaded = compareToBaseline(
      { ...current, machine: { ...(machine as object), loadAverage: [9, 9, 9] } as never },
      { ...baseline, machine: { ...(machine as object), loadAverage: [1, 1, 1] } as never },
    );
    expect(loaded.warnings).toEqual(['load average differs: 1.00 (baseline) vs 9.00 on 2 CPUs']);
  });

  it('formats a Markdown table with a verdict line', () => {
    const current = { suites: [suite('step', { ref: around(200_000), lean: around(150_000, 100, 1) })] };
    const md = formatComparisonMarkdown(compareToBaseline(current, baseline));
    expect(md).toContain('| step | lean | ratio | 0.600 | 0.750 | +25.0 % |');
    expect(md).toContain('**regression**');
    expect(md.trim().endsWith('Verdict: REGRESSION beyond noise.')).toBe(true);
  });

  it('BAD CALL - rejects a negative tolerance and an unknown medians mode', () => {
    expect(() => compareToBaseline(baseline, baseline, { medians: 'warn' as never })).toThrow(
      `\`options.medians\` must be 'fail' or 'report', got "warn"`,
    );
    expect(() => compareToBaseline(baseline, baseline, { medianTolerance: -0.1 })).toThrow(
      '`options.medianTolerance` must be >= 0, got -0.1',
    );
    expect(() => compareToBaseline(baseline, baseline, { tolerance: -1 })).toThrow(
      '`options.tolerance` must be >= 0, got -1',
    );
  });
});

describe('compareToBaseline across modes', () => {
  const full = {
    quick: false,
    suites: [suite('step', { ref: around(200_000), lean: around(120_000, 100, 1) })],
  };
  const quick = { ...full, quick: true };

  it('EXPECTED FAILURE - refuses quick-mode results against a full-mode baseline, and the reverse', () => {
    expect(() => compareToBaseline(quick, full)).toThrow(
      /cannot compare: the current results are quick mode, the baseline full mode/,
    );
    expect(() => compareToBaseline(full, quick)).toThrow(/the baseline results are quick mode/);
    expect(compareToBaseline(quick, quick).regressed).toBe(false);
  });

  it('warns about untrusted ratios and differing process counts', () => {
    const s = suite('step', { ref: around(200_000), lean: around(120_000, 100, 1) });
    const untrusted = {
      processes: 3,
      suites: [
        {
          ...s,
          arms: [
            s.arms[0]!,
            {
              ...s.arms[1]!,
              trust: { trusted: false, reasons: ['load average 9.00 on 2 CPUs exceeds 1 per CPU'] },
            },
          ],
        },
      ],
    };
    const c = compareToBaseline(untrusted, { ...full, quick: undefined });
    expect(c.warnings).toContain('process replicates differ: 1 (baseline) vs 3');
    expect(c.warnings).toContain(
      'step / lean: ratio untrusted (load average 9.00 on 2 CPUs exceeds 1 per CPU)',
    );
  });
});
