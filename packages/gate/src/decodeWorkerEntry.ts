/**
 * Finds the decode worker's entry. Built (`dist/`, installed): `decodeWorker.js` next to this module's
 * chunk. From the TypeScript source (this repository's tests): `decodeWorker.ts`, started through tsx
 * (a dev dependency of the workspace) with siblings resolved to their source, as vitest resolves them.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How to start a decode worker: what `new Worker(filename, options)` gets. */
export interface WorkerEntry {
  readonly filename: URL | string;
  readonly eval: boolean;
  readonly execArgv: readonly string[];
  /** `built` (dist) or `source` (TypeScript through tsx), for the report. */
  readonly kind: 'built' | 'source';
}

/** The decode worker's entry, or undefined when neither the built file nor a way to run the source exists. */
export function decodeWorkerEntry(): WorkerEntry | undefined {
  const built = new URL('./decodeWorker.js', import.meta.url);
  if (built.protocol === 'file:' && fs.existsSync(fileURLToPath(built)))
    return { filename: built, eval: false, execArgv: [], kind: 'built' };
  const source = new URL('./decodeWorker.ts', import.meta.url);
  if (source.protocol !== 'file:' || !fs.existsSync(fileURLToPath(source))) return undefined;
  let tsxApi: string;
  try {
    tsxApi = createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
  } catch {
    return undefined;
  }
  if (!fs.existsSync(tsxApi)) return undefined;
  const code = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return { filename: code, eval: true, execArgv: ['--conditions=@eou/source'], kind: 'source' };
}
