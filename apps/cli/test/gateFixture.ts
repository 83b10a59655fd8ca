/**
 * A small, deterministic model directory and corpus for gate tests: canonical decoder and
 * joint_decision graphs (docs/onnx-layout.md) with seeded weights, the pipeline and lean variants
 * built from them, and cached frames, including files that cannot be decoded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fuseModelDirectory } from '@eou/fusion';
import { encodeNpy } from '@eou/rnnt-decode';
import { writeTinyModel } from './tinyModel';

/** xorshift32: a seeded uniform source in [-1, 1). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 31 - 1;
  };
}

export const PIECES = ['▁yes', '▁no', '▁one', '▁two', '▁three', '▁go', '▁stop', 's', 'ing'];
export const DIMS = { V: PIECES.length + 3, H: 16, E: 12, J: 16 };

export function makeModelDir(
  dir: string,
  seed = 7,
  variants: readonly string[] = ['pipeline', 'lean'],
): string {
  // Blank favoured, as in a real model: a few tokens per utterance.
  writeTinyModel(dir, seed, {
    dims: DIMS,
    pieces: PIECES,
    topK: DIMS.V,
    blankBias: 1.2,
    producer: 'gate test fixture',
  });
  for (const variant of variants) fuseModelDirectory(dir, { variant });
  return dir;
}

export interface CorpusOptions {
  readonly files: number;
  readonly frames?: number;
  readonly seed?: number;
  /** Add a NaN file, a truncated file and a missing file at these positions. */
  readonly broken?: boolean;
}

export function makeCorpus(dir: string, options: CorpusOptions): string {
  const rnd = random(options.seed ?? 11);
  const frames = options.frames ?? 24;
  fs.mkdirSync(path.join(dir, 'frames'), { recursive: true });
  const words = ['yes', 'no', 'one', 'two', 'three', 'go', 'stop', 'going', 'stops'];
  const lines: string[] = [];
  for (let i = 0; i < options.files; i++) {
    const id = `utt-${String(i).padStart(4, '0')}`;
    const data = Float32Array.from({ length: frames * DIMS.E }, () => rnd() * 2.5);
    const n = 1 + Math.floor((rnd() + 1) * 3);
    const text = Array.from({ length: n }, () => words[Math.floor((rnd() + 1) * 4.5) % words.length]).join(
      ' ',
    );
    let file = `frames/${id}.npy`;
    if (options.broken && i === 3) data[5] = NaN;
    const bytes = encodeNpy(data, [frames, DIMS.E]);
    if (options.broken && i === 5)
      fs.writeFileSync(path.join(dir, file), bytes.subarray(0, bytes.length - 7));
    else if (options.broken && i === 7) file = `frames/missing-${id}.npy`;
    else fs.writeFileSync(path.join(dir, file), bytes);
    lines.push(JSON.stringify({ id, text, frames: file, duration: (frames * 80) / 1000 }));
  }
  fs.writeFileSync(path.join(dir, 'manifest.jsonl'), lines.join('\n') + '\n');
  return dir;
}
