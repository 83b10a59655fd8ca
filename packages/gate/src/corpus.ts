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
import type { ManifestTruth } from './resultsLog';

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

const isInside = (root: string, p: string) => p === root || p.startsWith(root + path.sep);

/**
 * Why an entry's frames cannot be read from the corpus, or undefined: its path resolves (through
 * symlinks, `realpath`) outside the corpus directory. The manifest's textual `..` check cannot see a
 * symlink inside the corpus pointing elsewhere. A missing file is left to the decoder, which names it.
 */
export function framesOutsideCorpus(corpus: Corpus, entry: ManifestEntry): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(framesPathOf(corpus.dir, entry));
  } catch {
    return undefined;
  }
  const root = fs.realpathSync(corpus.dir);
  if (isInside(root, real)) return undefined;
  return `${corpus.manifestFile} line ${entry.line}: \`frames\` ${JSON.stringify(entry.frames)} resolves outside the corpus directory (to ${real}); copy the file into the corpus`;
}

/**
 * Words of every reference of `corpus` under `normalizer` (entries usable as they stand).
 * @throws {GateError} `E_BAD_CORPUS` when they hold none: every WER would be undefined (a gate of empty
 *   texts said PASS at "WER 10800%").
 */
export function checkReferenceWords(
  corpus: Corpus,
  normalizer: (text: string) => string[],
  name: string,
): number {
  let words = 0;
  for (const e of corpus.entries) if (e.problem === undefined) words += normalizer(e.text).length;
  if (words === 0)
    throw new GateError(
      'E_BAD_CORPUS',
      `${corpus.manifestFile}: the references hold no words (after the ${name} normaliser), so WER is undefined; give each file its reference text`,
      { file: corpus.manifestFile, field: 'text' },
    );
  return words;
}

/** Each manifest id's position and text, for checking a log's records against the corpus. */
export function manifestTruth(corpus: Corpus): Map<string, ManifestTruth> {
  return new Map(corpus.entries.map((e, index) => [e.id, { index, text: e.text }]));
}
