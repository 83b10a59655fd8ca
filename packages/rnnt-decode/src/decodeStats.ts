/** Counters of loop steps and model calls, the evidence for the `cache` policy's saving. */

/** Loop steps and model calls. Batched calls count once per call, not per row. */
export interface DecodeStats {
  /** Encoder frames visited. */
  frames: number;
  /** Loop steps (one joint decision each). */
  steps: number;
  /** Prediction-net calls (split and projected models). */
  predictCalls: number;
  /** Joint calls (split and projected models). */
  jointCalls: number;
  /** Fused step calls. */
  stepCalls: number;
  /** Encoder projection calls (projected models, one per chunk). */
  projectCalls: number;
}

/** A zeroed {@link DecodeStats}. */
export function emptyStats(): DecodeStats {
  return { frames: 0, steps: 0, predictCalls: 0, jointCalls: 0, stepCalls: 0, projectCalls: 0 };
}

/** Zeroes every counter of `s` in place. */
export function clearStats(s: DecodeStats): void {
  s.frames = 0;
  s.steps = 0;
  s.predictCalls = 0;
  s.jointCalls = 0;
  s.stepCalls = 0;
  s.projectCalls = 0;
}

/** A copy of `s`. */
export function copyStats(s: DecodeStats): DecodeStats {
  return {
    frames: s.frames,
    steps: s.steps,
    predictCalls: s.predictCalls,
    jointCalls: s.jointCalls,
    stepCalls: s.stepCalls,
    projectCalls: s.projectCalls,
  };
}

/** Adds `b` into `a` and returns `a`. */
export function addStats(a: DecodeStats, b: DecodeStats): DecodeStats {
  a.frames += b.frames;
  a.steps += b.steps;
  a.predictCalls += b.predictCalls;
  a.jointCalls += b.jointCalls;
  a.stepCalls += b.stepCalls;
  a.projectCalls += b.projectCalls;
  return a;
}

/** Total model calls of any kind. */
export function totalCalls(s: DecodeStats): number {
  return s.predictCalls + s.jointCalls + s.stepCalls + s.projectCalls;
}
