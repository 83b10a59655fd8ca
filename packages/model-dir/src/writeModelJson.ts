/**
 * Writes a directory's description out as its model.json (temp file + rename, so a reader never
 * sees half a file), after which the directory is an ordinary toolkit model directory.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelDirError } from './modelDirError';
import type { ModelDirectory } from './readModelDirectory';

/**
 * The model.json text of a directory: two-space JSON with a final newline.
 */
export function modelJsonText(md: ModelDirectory): string {
  return JSON.stringify(md.modelJson, null, 2) + '\n';
}

/**
 * Writes `md`'s model.json to `out` (default `DIR/model.json`).
 * @returns the path written
 * @throws ModelDirError `E_WRITE` naming the path and the system's reason, with `--out` as the fix
 */
export function writeModelJson(md: ModelDirectory, out: string = join(md.dir, 'model.json')): string {
  const tmp = join(dirname(out), `.model.json.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, modelJsonText(md));
    renameSync(tmp, out);
  } catch (error) {
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ModelDirError(
      'E_WRITE',
      `${out}: cannot write the model.json (${code}); pass --out FILE to write it elsewhere`,
      { file: out, cause: error },
    );
  }
  return out;
}
