/**
 * The one mapping from an error to what `eou` prints: bad usage and bad input are one line on stderr
 * and exit 2; anything else is a bug (exit 3, with its stack, in `bin.ts`).
 *
 * Bad input is a `CLIError`, the error of any `@eou/*` package (each has a string `code` and a
 * one-line message naming the file and field), or a file-system failure on a path the user gave.
 */
import { CLIError } from './cliError';
import type { Command } from './command';

/**
 * The `@eou/*` error classes by name, with their package. Matched by name (and a string `code`) so
 * that `eou --help` and `eou wer` need not load ONNX Runtime to recognise an `OnnxRuntimeError`.
 */
export const packageErrors: Readonly<Record<string, string>> = {
  BenchError: '@eou/bench',
  CoreMLFormatError: '@eou/coreml-format',
  CoreMLRuntimeError: '@eou/coreml-runtime',
  FrontendError: '@eou/frontend',
  FusionError: '@eou/fusion',
  GateError: '@eou/gate',
  GraphError: '@eou/graph',
  OnnxRuntimeError: '@eou/onnx-runtime',
  RnntDecodeError: '@eou/rnnt-decode',
  WerError: '@eou/wer',
};

/** Whether `error` is the error class of an `@eou/*` package. */
export function isPackageError(error: unknown): error is Error & { readonly code: string } {
  return (
    error instanceof Error &&
    Object.hasOwn(packageErrors, error.name) &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

const firstLine = (text: string) => text.split('\n')[0]!;

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'is not a directory (or a parent of it is a file)',
  EEXIST: 'already exists and is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/** `path: reason` of a file-system failure on a path (a directory where a file belongs, ...). */
function fileSystemReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string' || !Object.hasOwn(FS_REASONS, code))
    return undefined;
  return `${path}: ${FS_REASONS[code]}`;
}

/**
 * The line `eou` prints for `error` with exit 2, or undefined when `error` is not bad usage or bad
 * input (a bug). Package errors get the command's `errorPrefix` (default `eou <command>: `).
 */
export function badInputLine(error: unknown, command?: Command): string | undefined {
  if (error instanceof CLIError) return firstLine(error.message);
  const prefix = command ? (command.errorPrefix ?? `eou ${command.name}: `) : 'eou: ';
  if (isPackageError(error)) return `${prefix}${firstLine(error.message)}`;
  const fsReason = fileSystemReason(error);
  if (fsReason) return `${command ? `eou ${command.name}: ` : 'eou: '}${fsReason}`;
  return undefined;
}

/**
 * For a command that hands values read from a user's files to a package: a `RangeError` (the package
 * refusing a value) becomes bad input with the command's prefix; anything else is rethrown as is.
 */
export function rangeErrorAsBadInput(command: string, error: unknown): never {
  if (error instanceof RangeError)
    throw new CLIError(`eou ${command}: ${firstLine(error.message)}`, 'E_BAD_INPUT', { cause: error });
  throw error;
}
