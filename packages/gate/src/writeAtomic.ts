/** Writing a file so that a reader never sees half of it. */
import fs from 'node:fs';

/**
 * Writes `data` to `file` through `<file>.tmp-<pid>` and a rename; on failure the temp file is removed
 * and the error rethrown.
 */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}
