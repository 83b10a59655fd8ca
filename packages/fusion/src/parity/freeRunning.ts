/**
 * Free-running parity: A and B each run their own greedy loop over the same frames; their step
 * records are aligned by index (docs/reference-system.md §3.7). A step mismatches when (t, s, token)
 * differ; mismatched steps are left out of the numeric maxima, which therefore measure only
 * matched trajectories. The first divergence of each file is reported with both tokens.
 */
import type { ResolvedParityConfig } from './parityConfig';
import type { VariantStepper } from './variantStepper';

/** One step of a loop, blanks included (the harness's (t, s, tok, prob, h, c) record). */
export interface FreeRunStep {
  readonly t: number;
  readonly s: number;
  readonly token: number;
  readonly prob: number;
  readonly h?: Float32Array;
  readonly c?: Float32Array;
}

/** A whole free-running loop over one file. */
export interface FreeRunTrace {
  readonly steps: readonly FreeRunStep[];
  /** Emitted tokens (EOU included under the `reset` policy). */
  readonly tokens: readonly number[];
}

/** Runs one variant's loop over one file and returns its trace. */
export type FreeRunner = (
  stepper: VariantStepper,
  frames: Float32Array,
  frameCount: number,
  config: ResolvedParityConfig,
) => Promise<FreeRunTrace>;

/** The first step where the two loops part. */
export interface Divergence {
  /** Step index (aligned). */
  readonly index: number;
  readonly t: number;
  readonly s: number;
  /** Token of A at that step (null when A's trace ended first). */
  readonly tokenA: number | null;
  readonly tokenB: number | null;
}

/** Free-running result of one file. */
export interface FreeRunningResult {
  readonly stepsA: number;
  readonly stepsB: number;
  readonly tokensA: readonly number[];
  readonly tokensB: readonly number[];
  readonly sequenceEqual: boolean;
  /** Aligned steps (index < min length) whose (t, s, token) differ. */
  readonly mismatchedSteps: number;
  readonly firstDivergence: Divergence | null;
  /** Maxima over matched steps. h/c maxima are null when a trace has no states. */
  readonly maxAbsDProb: number;
  readonly maxAbsDH: number | null;
  readonly maxAbsDC: number | null;
}

/**
 * The research harness's loop (docs/reference-system.md §2.3) on a stepper: at most `maxSymbolsPerFrame`
 * steps a frame, blank moves on without a state update, a token commits token, h and c; EOU is
 * recorded and resets the state (`reset`) or ends the file (`stop-chunk`, not recorded).
 */
export const harnessRunner: FreeRunner = async (stepper, frames, frameCount, config) => {
  const H = stepper.hiddenSize;
  const E = stepper.encoderDim;
  let token = config.blankId;
  let h: Float32Array = new Float32Array(H);
  let c: Float32Array = new Float32Array(H);
  const steps: FreeRunStep[] = [];
  const tokens: number[] = [];
  frames: for (let t = 0; t < frameCount; t++) {
    const enc = frames.subarray(t * E, (t + 1) * E);
    for (let s = 0; s < config.maxSymbolsPerFrame; s++) {
      const r = await stepper.step(token, h, c, enc);
      steps.push({ t, s, token: r.token, prob: r.prob, h: r.h, c: r.c });
      if (r.token === config.blankId) break;
      if (r.token === config.eouId) {
        if (config.eouPolicy === 'stop-chunk') break frames;
        tokens.push(r.token);
        token = config.blankId;
        h = new Float32Array(H);
        c = new Float32Array(H);
        break;
      }
      tokens.push(r.token);
      token = r.token;
      h = r.h;
      c = r.c;
    }
  }
  return { steps, tokens };
};

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k]! - b[k]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Compares two free-running traces of the same file. */
export function compareFreeRunning(a: FreeRunTrace, b: FreeRunTrace): FreeRunningResult {
  const n = Math.min(a.steps.length, b.steps.length);
  let mismatched = 0;
  let first: Divergence | null = null;
  let dProb = 0;
  let dH: number | null = 0;
  let dC: number | null = 0;
  for (let i = 0; i < n; i++) {
    const x = a.steps[i]!;
    const y = b.steps[i]!;
    if (x.t !== y.t || x.s !== y.s || x.token !== y.token) {
      mismatched++;
      first ??= { index: i, t: x.t, s: x.s, tokenA: x.token, tokenB: y.token };
      continue;
    }
    dProb = Math.max(dProb, Math.abs(x.prob - y.prob));
    if (x.h && y.h && dH !== null) dH = Math.max(dH, maxAbsDiff(x.h, y.h));
    else dH = null;
    if (x.c && y.c && dC !== null) dC = Math.max(dC, maxAbsDiff(x.c, y.c));
    else dC = null;
  }
  if (first === null && a.steps.length !== b.steps.length) {
    const longer = a.steps.length > b.steps.length ? a.steps[n]! : b.steps[n]!;
    first = {
      index: n,
      t: longer.t,
      s: longer.s,
      tokenA: a.steps[n]?.token ?? null,
      tokenB: b.steps[n]?.token ?? null,
    };
  }
  const sequenceEqual =
    a.tokens.length === b.tokens.length && a.tokens.every((tok, k) => tok === b.tokens[k]);
  return {
    stepsA: a.steps.length,
    stepsB: b.steps.length,
    tokensA: a.tokens,
    tokensB: b.tokens,
    sequenceEqual,
    mismatchedSteps: mismatched,
    firstDivergence: first,
    maxAbsDProb: dProb,
    maxAbsDH: dH,
    maxAbsDC: dC,
  };
}
