/**
 * A write the file system refuses (full disk, read-only, no permission) is bad input naming the
 * output the caller gave, not a crash: the gate's results log and reports turn it into one
 * `GateError` `E_WRITE_FAILED` line. Other errors pass through unchanged.
 */
import { GateError } from './gateError';

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a parent of it is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists and is not a directory',
  EFBIG: 'file too large for the file system',
  EIO: 'input/output error',
};

/** Whether `error` is a file-system refusal of a write (as opposed to a bug). */
export function isWriteFailure(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && Object.hasOwn(REASONS, code);
}

/**
 * Runs `write`; a refused write becomes `E_WRITE_FAILED` naming `target` (the errno's own path is often
 * a temp file, or absent for a failed `write(2)`).
 * @throws {GateError} `E_WRITE_FAILED`, or whatever else `write` throws
 */
export function writingTo<T>(target: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw asWriteFailure(target, error);
  }
}

/** `error` as `E_WRITE_FAILED` naming `target` when the file system refused a write, else `error`. */
export function asWriteFailure(target: string, error: unknown): unknown {
  if (!isWriteFailure(error)) return error;
  return new GateError('E_WRITE_FAILED', `${target}: cannot write: ${REASONS[error.code!]}`, {
    file: target,
    cause: error,
  });
}
