import { describe, expect, it } from 'vitest';
import { tinyPair } from '../variants/tinyPair.fixture';
import { frames, perturbed, referenceStepper } from './parity.fixture';
import { harnessRunner } from './freeRunning';
import { renderParity } from './renderParity';
import { runParity } from './runParity';

const dims = { V: 12, H: 6, E: 5, J: 8, K: 4 };
const config = { blankId: 11, eouId: 9 };
const corpus = (n: number) =>
  Array.from({ length: n }, (_, k) => ({ id: `u${k}`, frames: frames(7 + k, 5, k + 1), frameCount: 7 + k }));

describe(runParity, () => {
  it('gives STRICT with all-zero differences for a variant against itself', async () => {
    const p = tinyPair(dims, 4);
    const a = referenceStepper(p, 'ref');
    const report = await runParity(a, referenceStepper(p, 'copy'), corpus(3), { config });
    expect(report.verdict.label).toBe('STRICT');
    expect(report.summary).toMatchObject({
      files: 3,
      sequencesIdentical: 3,
      mismatchedSteps: 0,
      maxAbsDProb: 0,
      maxAbsDH: 0,
      maxAbsDC: 0,
    });
    expect(report.summary.teacherForced).toMatchObject({
      flips: 0,
      maxAbsDTopLogit: 0,
      topKIdMismatchSteps: 0,
    });
    expect(report.summary.steps).toBeGreaterThan(20);
    expect(renderParity(report)).toContain('verdict: STRICT (tolerance 0.00001)');
  });

  it('is FUNCTIONAL, not STRICT, when only probabilities differ', async () => {
    const p = tinyPair(dims, 4);
    const b = perturbed(referenceStepper(p), 'noisy', (_, r) => ({ ...r, prob: r.prob + 1e-3 }));
    const report = await runParity(referenceStepper(p, 'ref'), b, corpus(2), { config });
    expect(report.verdict.label).toBe('FUNCTIONAL');
    expect(report.summary.maxAbsDProb).toBeCloseTo(1e-3, 6);
    expect(report.verdict.checks.filter((c) => !c.pass).map((c) => c.name)).toEqual(['prob']);
  });

  it('reports a flip at the same step teacher-forced and as the first divergence free-running, and FAILs', async () => {
    const p = tinyPair(dims, 4);
    const a = referenceStepper(p, 'ref');
    const file = corpus(1)[0]!;
    const resolved = { ...config, maxSymbolsPerFrame: 2, eouPolicy: 'reset' as const, vocabSize: 12 };
    // Record the inputs of A's trajectory, then make B pick its second-best token at step k's inputs.
    const inputs: string[] = [];
    const key = (token: number, h: Float32Array, enc: Float32Array) => `${token}|${h[0]}|${h[1]}|${enc[0]}`;
    const recorder = {
      ...a,
      step: (token: number, h: Float32Array, c: Float32Array, enc: Float32Array) => (
        inputs.push(key(token, h, enc)),
        a.step(token, h, c, enc)
      ),
    };
    const trace = await harnessRunner(recorder, file.frames, file.frameCount, resolved);
    const k = trace.steps.findIndex((st, i) => i >= 2 && st.token !== 11);
    expect(k).toBeGreaterThanOrEqual(2);
    const inner = referenceStepper(p);
    const b = {
      ...inner,
      name: 'flip',
      async step(token: number, h: Float32Array, c: Float32Array, enc: Float32Array) {
        const r = await inner.step(token, h, c, enc);
        if (key(token, h, enc) !== inputs[k]) return r;
        const ids = r.topKIds!;
        return { ...r, token: ids[1]!, topKIds: Int32Array.of(ids[1]!, ids[0]!, ...ids.slice(2)) };
      },
    };
    const report = await runParity(a, b, [file], { config });
    const f = report.files[0]!;
    expect(f.teacherForced.flips).toHaveLength(1);
    expect(f.teacherForced.flips[0]).toMatchObject({
      t: trace.steps[k]!.t,
      s: trace.steps[k]!.s,
      tokenA: trace.steps[k]!.token,
    });
    expect(f.teacherForced.flips[0]!.marginA).toBeGreaterThan(0);
    expect(f.freeRunning.firstDivergence).toMatchObject({
      index: k,
      t: trace.steps[k]!.t,
      s: trace.steps[k]!.s,
      tokenA: trace.steps[k]!.token,
    });
    expect(f.freeRunning.mismatchedSteps).toBeGreaterThan(0);
    expect(f.freeRunning.sequenceEqual).toBe(false);
    expect(report.verdict.label).toBe('FAIL');
    expect(renderParity(report)).toMatch(/flip t=\d+ s=\d: \d+ \(p [\d.]+, margin [\d.e+-]+\) vs \d+/);
    expect(renderParity(report)).toContain(`first divergence at step ${k}`);
  });

  it('walks the same steps teacher-forced as the free-running loop, under either EOU policy', async () => {
    const p = tinyPair(dims, 4);
    for (const eouPolicy of ['reset', 'stop-chunk'] as const) {
      const report = await runParity(referenceStepper(p, 'ref'), referenceStepper(p, 'copy'), corpus(3), {
        config: { ...config, eouPolicy },
      });
      for (const f of report.files) expect(f.teacherForced.steps).toBe(f.freeRunning.stepsA);
      expect(report.config.eouPolicy).toBe(eouPolicy);
    }
  });

  it('reports n/a top-k metrics when B has no top-k head', async () => {
    const p = tinyPair(dims, 4);
    const b = perturbed(referenceStepper(p), 'lean-like', (_, r) => r, false);
    const report = await runParity(referenceStepper(p, 'ref'), b, corpus(1), { config });
    expect(report.summary.teacherForced.maxAbsDTopLogit).toBeNull();
    expect(report.summary.teacherForced.minMarginA).not.toBeNull();
    expect(report.verdict.label).toBe('STRICT');
  });

  it('BAD CALL - rejects variants of different sizes and a bad config', async () => {
    const a = referenceStepper(tinyPair(dims, 4));
    const b = referenceStepper(tinyPair({ ...dims, H: 7 }, 4));
    await expect(runParity(a, b, corpus(1), { config })).rejects.toThrow(
      'variants ref-ts and ref-ts differ in size: H 6 vs 7, E 5 vs 5',
    );
    await expect(
      runParity(a, a, corpus(1), { config: { ...config, maxSymbolsPerFrame: 0 } }),
    ).rejects.toThrow('config.maxSymbolsPerFrame must be a positive integer, got 0');
  });
});
