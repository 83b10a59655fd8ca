/** Writing a command's output files so that a reader never sees half of one. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes each `name -> contents` into `dir` (created if missing) through `<name>.tmp-<pid>` and a
 * rename; on failure the temp files are removed and the error rethrown.
 */
export function writeFilesAtomically(dir: string, files: Readonly<Record<string, string>>): void {
  fs.mkdirSync(dir, { recursive: true });
  const temps: string[] = [];
  try {
    const staged = Object.entries(files).map(([name, data]) => {
      const target = path.join(dir, name);
      const tmp = `${target}.tmp-${process.pid}`;
      temps.push(tmp);
      fs.writeFileSync(tmp, data);
      return [tmp, target] as const;
    });
    for (const [tmp, target] of staged) fs.renameSync(tmp, target);
  } catch (error) {
    for (const tmp of temps) fs.rmSync(tmp, { force: true });
    throw error;
  }
}
