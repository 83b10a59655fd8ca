/** The one error class of the CLI: a caller mistake or bad input, reported in one line, exit 2. */
export class CLIError extends Error {
  override readonly name = 'CLIError';
  /** Stable code for scripts and tests, e.g. `E_USAGE`, `E_BAD_INPUT`. */
  readonly code: string;
  constructor(message: string, code = 'E_USAGE', options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Exit codes of the CLI contract (`docs/design.md`). */
export const ExitCode = { ok: 0, gateFailed: 1, badInput: 2 } as const;
