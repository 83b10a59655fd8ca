/**
 * The one mapping from an error to what `eou` prints: bad usage and bad input are one line on stderr
 * and exit 2; anything else is a bug (exit 3, with its stack, in `bin.ts`).
 *
 * Bad input is a `CLIError`, the error of any `@eou/*` package (each has a string `code` and a
 * one-line message naming the file and field), or a file-system failure on a path the user gave.
 */
import path from 'node:path';
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
  ModelDirError: '@eou/model-dir',
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
  EDQUOT: 'disk quota exceeded',
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

/** Codes of a write that the file system refused (not a bug): full, read-only, not permitted. */
const WRITE_FAILURES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EACCES',
  'EPERM',
  'ENOTDIR',
  'EISDIR',
  'EEXIST',
]);

/** Whether `file` is `target`, inside it, or a temp sibling of it (`x.tmp-1`, `.x.ab12.tmp`, `x.1.2.tmp`). */
function belongsTo(file: string, target: string): boolean {
  if (file === target || file.startsWith(target + path.sep)) return true;
  const base = path.basename(target);
  const name = path.basename(file);
  return (
    path.dirname(file) === path.dirname(target) &&
    (name.startsWith(`${base}.`) || name.startsWith(`.${base}.`))
  );
}

/**
 * A file-system failure while writing the output `target` (the path the user gave) as one line,
 * exit 2: `eou <command>: <target>: cannot write: no space left on the device`. The error's own path
 * (often the writer's temp file, or none: a failed `write` names no file) is not shown; a failure on
 * another path (an input read on the way) keeps its own mapping. Anything else is rethrown as is.
 */
export function writeFailureAsBadInput(command: string, target: string, error: unknown): never {
  // A package's write error (FusionError `E_WRITE`) carries the file system's as its cause.
  const fsError = (isPackageError(error) && error.cause instanceof Error ? error.cause : error) as
    NodeJS.ErrnoException | undefined;
  const code = fsError instanceof Error ? fsError.code : undefined;
  if (
    typeof code === 'string' &&
    WRITE_FAILURES.has(code) &&
    (typeof fsError!.path !== 'string' || belongsTo(path.resolve(fsError!.path), target))
  )
    throw new CLIError(`eou ${command}: ${target}: cannot write: ${FS_REASONS[code]}`, 'E_WRITE', {
      cause: error,
    });
  throw error;
}
