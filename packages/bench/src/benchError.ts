/** Machine-readable reason of a {@link BenchError}. */
export type BenchErrorCode =
  /** An arm threw during setup, warm-up, a timed round or teardown. */
  | 'E_ARM'
  /** An arm first ran synchronously, then returned a promise (or the other way round). */
  | 'E_ARM_KIND'
  /** A results file is not a bench results document. */
  | 'E_RESULTS'
  /** A process replicate of a benchmark failed. */
  | 'E_REPLICATE'
  /** Results that cannot be compared (quick mode against a full-mode baseline, or the reverse). */
  | 'E_INCOMPARABLE';

/**
 * The one error class of `@eou/bench`. `arm`, `phase` and `round` say where a run failed;
 * the original error is `cause`.
 */
export class BenchError extends Error {
  override name = 'BenchError';
  readonly code: BenchErrorCode;
  readonly arm: string | undefined;
  readonly phase: string | undefined;
  readonly round: number | undefined;
  readonly file: string | undefined;

  constructor(
    code: BenchErrorCode,
    message: string,
    context: { arm?: string; phase?: string; round?: number; file?: string; cause?: unknown } = {},
  ) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.arm = context.arm;
    this.phase = context.phase;
    this.round = context.round;
    this.file = context.file;
  }
}
