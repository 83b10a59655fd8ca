/**
 * A corpus directory: `manifest.jsonl` and the `.npy` encoder frames it names (relative paths).
 * Read leniently: an entry without usable text or frames is kept with its `problem`, so the gate
 * reports that file and goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GateError } from './gateError';
import { parseManifest, type ManifestEntry } from './manifest';
import { sha256 } from './modelDirectory';

/** A corpus as one gate run sees it. */
export interface Corpus {
  readonly dir: string;
  readonly manifestFile: string;
  /** sha256 of the whole manifest, so a log is never resumed against an edited corpus. */
  readonly manifestSha256: string;
  /** Entries in manifest order (only the first `maxFiles` when asked). */
  readonly entries: readonly ManifestEntry[];
}

/**
 * Reads `<dir>/manifest.jsonl`.
 *
 * @param options.maxFiles keep only the first N entries (the hash still covers the whole manifest).
 * @throws {GateError} `E_BAD_CORPUS` when there is no manifest or it has no entries; `E_BAD_MANIFEST`
 *   naming the line and field of an invalid line (bad JSON, id, duplicate id).
 */
export function readCorpus(dir: string, options: { readonly maxFiles?: number } = {}): Corpus {
  const manifestFile = path.join(dir, 'manifest.jsonl');
  if (!fs.existsSync(manifestFile))
    throw new GateError(
      'E_BAD_CORPUS',
      `${dir}: no manifest.jsonl (a corpus directory holds manifest.jsonl and the .npy frames it names)`,
      { file: dir },
    );
  const bytes = fs.readFileSync(manifestFile);
  const entries = parseManifest(new Uint8Array(bytes), manifestFile, { lenient: true });
  if (entries.length === 0)
    throw new GateError('E_BAD_CORPUS', `${manifestFile}: no entries`, { file: manifestFile });
  return {
    dir,
    manifestFile,
    manifestSha256: sha256(bytes),
    entries: options.maxFiles === undefined ? entries : entries.slice(0, options.maxFiles),
  };
}

/** Where an entry's frames are. */
export function framesPathOf(dir: string, entry: ManifestEntry): string {
  return path.join(dir, entry.frames);
}
