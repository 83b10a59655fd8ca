/**
 * Gate test fixtures from the packages' own generators: a tiny synthetic model (`@eou/fusion`, shape
 * `tiny`: E=32) with variants built from its weights, and a corpus it decodes (this package's
 * `writeSynthCorpus`), optionally with files that cannot be decoded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeSynthModelDirectory } from '@eou/fusion';
import { encodeNpy, parseNpy } from '@eou/rnnt-decode';
import { buildMissingVariants } from '../src/prepareCachedModel';
import { writeSynthCorpus } from '../src/synthCorpus';

/** Encoder width of the fixture model. */
export const FIXTURE_E = 32;

export function makeModel(dir: string, seed = 7, variants: readonly string[] = ['pipeline', 'lean']): string {
  writeSynthModelDirectory(dir, { shape: 'tiny', seed });
  buildMissingVariants(dir, variants);
  return dir;
}

export interface FixtureCorpusOptions {
  readonly files: number;
  readonly seed?: number;
  readonly framesPerFile?: number;
  readonly lowMarginShare?: number;
  /** Make files 3 (a NaN), 5 (truncated) and 7 (frames path missing) undecodable. */
  readonly broken?: boolean;
}

export function makeCorpus(dir: string, modelDir: string, options: FixtureCorpusOptions): string {
  writeSynthCorpus(modelDir, dir, {
    files: options.files,
    seed: options.seed ?? 3,
    framesPerFile: options.framesPerFile ?? 24,
    lowMarginShare: options.lowMarginShare ?? 0.2,
  });
  if (!options.broken) return dir;
  const manifest = path.join(dir, 'manifest.jsonl');
  const entries = fs
    .readFileSync(manifest, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; frames: string });
  const nan = path.join(dir, entries[3]!.frames);
  const npy = parseNpy(new Uint8Array(fs.readFileSync(nan)), nan);
  npy.data[5] = NaN;
  fs.writeFileSync(nan, encodeNpy(npy.data, npy.dims));
  const cut = path.join(dir, entries[5]!.frames);
  fs.truncateSync(cut, fs.statSync(cut).size - 7);
  entries[7]!.frames = `frames/missing-${entries[7]!.id}.npy`;
  fs.writeFileSync(manifest, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return dir;
}

/** The ids of a corpus, in manifest order. */
export function corpusIds(dir: string): string[] {
  return fs
    .readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { id: string }).id);
}
