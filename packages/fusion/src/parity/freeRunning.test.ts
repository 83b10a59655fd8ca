import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFreeRunning, harnessRunner } from './freeRunning';
import type { FreeRunTrace } from './freeRunning';
import type { VariantStepper } from './variantStepper';

const BLANK = 5;
const EOU = 4;

/** A stepper that answers from a queue and records each call's inputs (h[0] carries the last token). */
function scripted(answers: number[]) {
  const calls: { token: number; h0: number; t: number }[] = [];
  const stepper: VariantStepper = {
    name: 'scripted',
    hiddenSize: 1,
    encoderDim: 1,
    hasTopK: false,
    async step(token, h, _c, enc) {
      calls.push({ token, h0: h[0]!, t: enc[0]! });
      const next = answers.shift() ?? BLANK;
      return { token: next, prob: 0.5, h: Float32Array.of(next + 100), c: Float32Array.of(0) };
    },
    async close() {},
  };
  return { stepper, calls };
}

const frames = (n: number) => Float32Array.from({ length: n }, (_, t) => t);
const cfg = (eouPolicy: 'reset' | 'stop-chunk') => ({
  blankId: BLANK,
  eouId: EOU,
  maxSymbolsPerFrame: 2,
  eouPolicy,
  vocabSize: 6,
});

describe(harnessRunner, () => {
  it('moves on at blank without a state update and caps symbols per frame', async () => {
    // frame 0: 1, blank; frame 1: 2, 3 (cap); frame 2: blank
    const { stepper, calls } = scripted([1, BLANK, 2, 3, BLANK]);
    const trace = await harnessRunner(stepper, frames(3), 3, cfg('reset'));
    expect(trace.tokens).toEqual([1, 2, 3]);
    expect(trace.steps.map((s) => [s.t, s.s, s.token])).toEqual([
      [0, 0, 1],
      [0, 1, BLANK],
      [1, 0, 2],
      [1, 1, 3],
      [2, 0, BLANK],
    ]);
    // Committed state: after 1 the input state is h = 101; the blank did not change it for frame 1.
    expect(calls.map((c) => [c.t, c.token, c.h0])).toEqual([
      [0, BLANK, 0],
      [0, 1, 101],
      [1, 1, 101],
      [1, 2, 102],
      [2, 3, 103],
    ]);
  });

  it('records EOU, resets the state and goes on with the next frame under `reset`', async () => {
    const { stepper, calls } = scripted([1, EOU, 2, BLANK]);
    const trace = await harnessRunner(stepper, frames(3), 3, cfg('reset'));
    expect(trace.tokens).toEqual([1, EOU, 2]);
    expect(calls.map((c) => [c.t, c.token, c.h0])).toEqual([
      [0, BLANK, 0],
      [0, 1, 101],
      [1, BLANK, 0],
      [1, 2, 102],
      [2, 2, 102],
    ]);
  });

  it('drops EOU and stops the file under `stop-chunk`', async () => {
    const { stepper, calls } = scripted([1, EOU, 2, BLANK]);
    const trace = await harnessRunner(stepper, frames(3), 3, cfg('stop-chunk'));
    expect(trace.tokens).toEqual([1]);
    expect(calls).toHaveLength(2);
  });
});

const trace = (tokens: number[]): FreeRunTrace => ({
  steps: tokens.map((token, i) => ({
    t: i,
    s: 0,
    token,
    prob: token / 10,
    h: Float32Array.of(token),
    c: Float32Array.of(-token),
  })),
  tokens: tokens.filter((t) => t !== BLANK),
});

describe(compareFreeRunning, () => {
  it('finds no difference between a trace and itself', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 30 }), (tokens) => {
        const r = compareFreeRunning(trace(tokens), trace(tokens));
        expect(r).toMatchObject({
          sequenceEqual: true,
          mismatchedSteps: 0,
          firstDivergence: null,
          maxAbsDProb: 0,
          maxAbsDH: 0,
          maxAbsDC: 0,
        });
      }),
    );
  });

  it('counts aligned mismatches, leaves them out of the maxima, and reports the first', () => {
    const r = compareFreeRunning(trace([1, 2, 3, 5]), trace([1, 3, 3, 5, 2]));
    expect(r.mismatchedSteps).toBe(1);
    expect(r.firstDivergence).toEqual({ index: 1, t: 1, s: 0, tokenA: 2, tokenB: 3 });
    expect(r.maxAbsDProb).toBe(0);
    expect(r.sequenceEqual).toBe(false);
  });

  it('reports where a shorter trace ends when all aligned steps match', () => {
    const r = compareFreeRunning(trace([1, 2]), trace([1, 2, 3]));
    expect(r.firstDivergence).toEqual({ index: 2, t: 2, s: 0, tokenA: null, tokenB: 3 });
    expect(r.mismatchedSteps).toBe(0);
    expect(r.sequenceEqual).toBe(false);
  });
});
