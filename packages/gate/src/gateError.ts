/**
 * The one error class of `@eou/gate`, for bad input: a corpus, manifest, model directory, results log
 * or set of shards that cannot be used. Caller mistakes (wrong option types or values) are
 * `TypeError` / `RangeError` naming the option instead.
 */

/** Machine-readable reason of a {@link GateError}, stable for scripts that branch on it. */
export type GateErrorCode =
  /** A corpus directory without `manifest.jsonl`, or with no entries. */
  | 'E_BAD_CORPUS'
  /** A `manifest.jsonl` line is not a valid entry (or the file is not UTF-8 text). */
  | 'E_BAD_MANIFEST'
  /** A model directory that cannot be used: no or bad `model.json`, a missing or stale variant file, a model that fails to load. */
  | 'E_BAD_MODEL'
  /** No file of the corpus (slice) could be decoded, so there is nothing to score. */
  | 'E_NOTHING_DECODED'
  /** A `results.jsonl` that cannot be read. */
  | 'E_BAD_RESULTS'
  /** A `results.jsonl` written with other settings than the run that would resume it. */
  | 'E_RESULTS_MISMATCH'
  /** Shard logs that do not make one whole run: missing, repeated, incomplete or from other settings. */
  | 'E_BAD_SHARDS'
  /** A shard text that is not `i/n` with 1 <= i <= n. */
  | 'E_BAD_SHARD'
  /** The output directory is held by another gate (its lock file names the holder). */
  | 'E_LOCKED'
  /** The file system refused a write to the output (full disk, read-only, no permission). */
  | 'E_WRITE_FAILED';

/** Where an error was found; every field optional. */
export interface GateErrorContext {
  /** The file or directory the problem is in. */
  readonly file?: string;
  /** 1-based line of `file`, for line-oriented files (`manifest.jsonl`, `results.jsonl`). */
  readonly line?: number;
  /** The field, key or option involved. */
  readonly field?: string;
  readonly cause?: unknown;
}

/**
 * Raised for input the gate cannot use. The message is one line naming the file (and line and
 * field when known), what was expected and what arrived; `file`, `line` and `field` carry the same.
 */
export class GateError extends Error {
  override readonly name = 'GateError';
  readonly code: GateErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;

  constructor(code: GateErrorCode, message: string, context: GateErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.file = context.file;
    this.line = context.line;
    this.field = context.field;
  }
}
