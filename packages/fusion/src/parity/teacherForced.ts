/**
 * Teacher-forced parity: variant A drives the greedy loop (its decisions pick the trajectory) and
 * at every step both A and B get the same inputs (last token, h, c, encoder frame). Differences
 * are therefore per-step numerics, never accumulated drift: max |Δprob|, |Δh|, |Δc|, argmax
 * flips with the logit margins of both sides (when they have the top-k head), and top-k agreement.
 */
import type { ResolvedParityConfig } from './parityConfig';
import type { StepResult, VariantStepper } from './variantStepper';

/** A step where A and B chose different tokens. */
export interface ArgmaxFlip {
  /** Frame index. */
  readonly t: number;
  /** Symbol index within the frame. */
  readonly s: number;
  readonly tokenA: number;
  readonly tokenB: number;
  readonly probA: number;
  readonly probB: number;
  /** A's top-1 minus top-2 logit, when A has the top-k head. */
  readonly marginA: number | null;
  /** B's, when B has the head. */
  readonly marginB: number | null;
}

/** Teacher-forced result of one file. */
export interface TeacherForcedResult {
  readonly steps: number;
  readonly maxAbsDProb: number;
  readonly maxAbsDH: number;
  readonly maxAbsDC: number;
  /** Max |Δ| of the top-1 logit; null unless both have top-k. */
  readonly maxAbsDTopLogit: number | null;
  /** Steps whose top-k id lists differ; null unless both have top-k. */
  readonly topKIdMismatchSteps: number | null;
  /** Max |Δ| over top-k logits at steps whose id lists agree; null unless both have top-k. */
  readonly maxAbsDTopKLogits: number | null;
  /** Smallest A margin over all steps (how close to a tie the trajectory came); null without A's head. */
  readonly minMarginA: number | null;
  readonly flips: readonly ArgmaxFlip[];
}

export const margin = (r: StepResult): number | null =>
  r.topKLogits && r.topKLogits.length >= 2 ? r.topKLogits[0]! - r.topKLogits[1]! : null;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const d = Math.abs(a[k]! - b[k]!);
    if (d > m || Number.isNaN(d)) m = Number.isNaN(d) ? Infinity : d;
  }
  return a.length === b.length ? m : Infinity;
}

/**
 * Walks the greedy loop over `frames` ([frameCount*E]) with A's decisions, stepping both variants.
 * @param visit called with every step's A and B results (e.g. to collect a trace).
 */
export async function teacherForced(
  a: VariantStepper,
  b: VariantStepper,
  frames: Float32Array,
  frameCount: number,
  config: ResolvedParityConfig,
): Promise<TeacherForcedResult> {
  const H = a.hiddenSize;
  const E = a.encoderDim;
  if (b.hiddenSize !== H || b.encoderDim !== E) {
    throw new RangeError(
      `variants ${a.name} and ${b.name} differ in size: H ${H} vs ${b.hiddenSize}, E ${E} vs ${b.encoderDim}`,
    );
  }
  if (frames.length !== frameCount * E)
    throw new RangeError(`frames.length must be frameCount*E = ${frameCount * E}, got ${frames.length}`);
  const both = a.hasTopK && b.hasTopK;
  let token = config.blankId;
  let h: Float32Array = new Float32Array(H);
  let c: Float32Array = new Float32Array(H);
  let steps = 0;
  let dProb = 0;
  let dH = 0;
  let dC = 0;
  let dTop = 0;
  let dTopK = 0;
  let topKMismatch = 0;
  let minMarginA = Infinity;
  const flips: ArgmaxFlip[] = [];
  frames: for (let t = 0; t < frameCount; t++) {
    const enc = frames.subarray(t * E, (t + 1) * E);
    for (let s = 0; s < config.maxSymbolsPerFrame; s++) {
      const ra = await a.step(token, h, c, enc);
      const rb = await b.step(token, h, c, enc);
      steps++;
      dProb = Math.max(dProb, Math.abs(ra.prob - rb.prob));
      dH = Math.max(dH, maxAbsDiff(ra.h, rb.h));
      dC = Math.max(dC, maxAbsDiff(ra.c, rb.c));
      const mA = margin(ra);
      if (mA !== null) minMarginA = Math.min(minMarginA, mA);
      if (both) {
        dTop = Math.max(dTop, Math.abs(ra.topKLogits![0]! - rb.topKLogits![0]!));
        const idsEqual =
          ra.topKIds!.length === rb.topKIds!.length && ra.topKIds!.every((id, k) => id === rb.topKIds![k]);
        if (idsEqual) dTopK = Math.max(dTopK, maxAbsDiff(ra.topKLogits!, rb.topKLogits!));
        else topKMismatch++;
      }
      if (ra.token !== rb.token) {
        flips.push({
          t,
          s,
          tokenA: ra.token,
          tokenB: rb.token,
          probA: ra.prob,
          probB: rb.prob,
          marginA: mA,
          marginB: margin(rb),
        });
      }
      if (ra.token === config.blankId) break;
      if (ra.token === config.eouId) {
        if (config.eouPolicy === 'stop-chunk') break frames;
        token = config.blankId;
        h = new Float32Array(H);
        c = new Float32Array(H);
        break;
      }
      token = ra.token;
      h = ra.h;
      c = ra.c;
    }
  }
  return {
    steps,
    maxAbsDProb: dProb,
    maxAbsDH: dH,
    maxAbsDC: dC,
    maxAbsDTopLogit: both ? dTop : null,
    topKIdMismatchSteps: both ? topKMismatch : null,
    maxAbsDTopKLogits: both ? dTopK : null,
    minMarginA: a.hasTopK && steps > 0 ? minMarginA : null,
    flips,
  };
}
