/**
 * The seed's verdicts (docs/reference-system.md §3.7), as a pure function of the free-running summary:
 * STRICT = every token sequence equal, no mismatched step, and max |Δprob|, |Δh|, |Δc| below
 * 1e-5 on matched steps; FUNCTIONAL = the same without the prob check. `eou parity` exits 0 iff
 * FUNCTIONAL.
 */

/** Tolerance of both verdicts. */
export const parityTolerance = 1e-5;

/** What the verdict reads. */
export interface ParityVerdictInput {
  readonly files: number;
  readonly sequencesIdentical: number;
  readonly mismatchedSteps: number;
  readonly maxAbsDProb: number;
  /** null when a trace carried no states (then the check fails: nothing was shown). */
  readonly maxAbsDH: number | null;
  readonly maxAbsDC: number | null;
}

export interface ParityCheck {
  readonly name: 'sequences' | 'mismatchedSteps' | 'prob' | 'h' | 'c';
  readonly value: number | null;
  readonly threshold: number;
  readonly pass: boolean;
  /** False for `prob`: FUNCTIONAL ignores it. */
  readonly functional: boolean;
}

export interface ParityVerdict {
  readonly strict: boolean;
  readonly functional: boolean;
  /** `STRICT`, `FUNCTIONAL` or `FAIL`. */
  readonly label: 'STRICT' | 'FUNCTIONAL' | 'FAIL';
  readonly tolerance: number;
  readonly checks: readonly ParityCheck[];
}

/** Judges a parity summary. */
export function parityVerdict(s: ParityVerdictInput): ParityVerdict {
  const tol = parityTolerance;
  const below = (v: number | null) => v !== null && v < tol;
  const checks: ParityCheck[] = [
    {
      name: 'sequences',
      value: s.files - s.sequencesIdentical,
      threshold: 0,
      pass: s.sequencesIdentical === s.files,
      functional: true,
    },
    {
      name: 'mismatchedSteps',
      value: s.mismatchedSteps,
      threshold: 0,
      pass: s.mismatchedSteps === 0,
      functional: true,
    },
    { name: 'prob', value: s.maxAbsDProb, threshold: tol, pass: below(s.maxAbsDProb), functional: false },
    { name: 'h', value: s.maxAbsDH, threshold: tol, pass: below(s.maxAbsDH), functional: true },
    { name: 'c', value: s.maxAbsDC, threshold: tol, pass: below(s.maxAbsDC), functional: true },
  ];
  const functional = checks.every((c) => c.pass || !c.functional);
  const strict = checks.every((c) => c.pass);
  return {
    strict,
    functional,
    label: strict ? 'STRICT' : functional ? 'FUNCTIONAL' : 'FAIL',
    tolerance: tol,
    checks,
  };
}

/** Exit code of `eou parity`: 0 iff FUNCTIONAL (or STRICT). */
export function parityExitCode(verdict: ParityVerdict): 0 | 1 {
  return verdict.functional ? 0 : 1;
}
