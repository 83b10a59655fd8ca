/** The one error class of `@eou/wer`: bad input files, manifests, rule documents and undefined rates. */

/** Machine-readable reason of a {@link WerError}. */
export type WerErrorCode =
  /** A transcript file is not text: invalid UTF-8 or NUL bytes. */
  | 'E_BINARY'
  /** A transcript line has no utterance id. */
  | 'E_NO_ID'
  /** The same utterance id appears twice in one file. */
  | 'E_DUPLICATE_ID'
  /** Utterance ids present on one side only (references vs hypotheses, or systems). */
  | 'E_MISSING_ID'
  /** A `manifest.jsonl` line is not a valid entry. */
  | 'E_BAD_MANIFEST'
  /** A gate-rules document is not valid. */
  | 'E_BAD_RULES'
  /** An error rate asked for where it is undefined (no reference words). */
  | 'E_UNDEFINED_RATE'
  /** A transcript file's format cannot be told from its content, or two files' formats cannot be paired. */
  | 'E_FORMAT'
  /** Line-paired (plain) files with different numbers of lines. */
  | 'E_LINE_COUNT';

/**
 * Raised for bad input data. `file`, `line` and `field` say where; the message is one line that
 * names them, says what was expected and what arrived.
 */
export class WerError extends Error {
  override name = 'WerError';
  readonly code: WerErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;

  constructor(
    code: WerErrorCode,
    message: string,
    context: { file?: string; line?: number; field?: string; cause?: unknown } = {},
  ) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.file = context.file;
    this.line = context.line;
    this.field = context.field;
  }
}
