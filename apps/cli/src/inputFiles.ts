/**
 * Reading an input file the user named, whole: only a regular file (a directory, FIFO or device is
 * refused before it is opened: a FIFO would block and `/dev/zero` never ends), and only up to a size
 * limit, so a wrong path fails at once with a line naming it instead of filling the memory.
 */
import fs from 'node:fs';
import { CLIError } from './cliError';

/** Default limit of an input read whole (frames, transcripts, manifests, model metadata). */
export const DEFAULT_INPUT_LIMIT = 1 << 30;

/** The environment variable that sets the limit, in bytes. */
export const INPUT_LIMIT_ENV = 'EOU_MAX_INPUT_BYTES';

/** The input limit of `env` (`EOU_MAX_INPUT_BYTES`, a positive whole number of bytes). */
export function inputLimit(env: NodeJS.ProcessEnv): number {
  const text = env[INPUT_LIMIT_ENV];
  if (text === undefined || text === '') return DEFAULT_INPUT_LIMIT;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new CLIError(`eou: ${INPUT_LIMIT_ENV} must be a positive whole number of bytes, got '${text}'`);
  return n;
}

/** `1 GiB`, `512 KiB`, `1000 bytes`. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const)
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  return `${n} bytes`;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks that `file` is a regular file within `limit` bytes. A missing file is the file system's
 * error (with its path), which `errors.ts` prints as one line.
 * @param prefix what starts the message, e.g. `eou decode: ` (and the flag, when there is one).
 */
export function checkInputFile(file: string, limit: number, prefix: string): void {
  const stat = fs.statSync(file);
  if (!stat.isFile())
    throw new CLIError(`${prefix}${file}: ${kindOf(stat)}, expected a regular file`, 'E_BAD_INPUT');
  if (stat.size > limit)
    throw new CLIError(
      `${prefix}${file}: ${stat.size} bytes, more than the input limit of ${formatBytes(limit)} (set ${INPUT_LIMIT_ENV} to raise it)`,
      'E_BAD_INPUT',
    );
}

/** The bytes of `file` after {@link checkInputFile}. */
export function readInputFile(file: string, limit: number, prefix: string): Buffer {
  checkInputFile(file, limit, prefix);
  return fs.readFileSync(file);
}

/** The UTF-8 text of `file` after {@link checkInputFile}. */
export function readInputText(file: string, limit: number, prefix: string): string {
  checkInputFile(file, limit, prefix);
  return fs.readFileSync(file, 'utf8');
}
