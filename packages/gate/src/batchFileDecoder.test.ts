import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBatchedModelDirectory } from '@eou/fusion';
import type * as RnntDecodeModule from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeCorpus, makeModel } from '../test/fixture';
import { createBatchFileDecoder, type BatchFileDecoderInit } from './batchFileDecoder';
import { createFileDecoder, type DecodedFile } from './fileDecoder';
import type * as FramesFileModule from './framesFile';

// Reads of frames and utterances finished by the lock-step loop, counted through the real functions.
const seen = vi.hoisted(() => ({ reads: 0, finished: 0, mostHeld: 0 }));
vi.mock('./framesFile', async (importOriginal) => {
  const real = await importOriginal<typeof FramesFileModule>();
  return {
    ...real,
    readFramesFile: (...args: Parameters<typeof real.readFramesFile>) => {
      seen.reads += 1;
      seen.mostHeld = Math.max(seen.mostHeld, seen.reads - seen.finished);
      return real.readFramesFile(...args);
    },
  };
});
vi.mock('@eou/rnnt-decode', async (importOriginal) => {
  const real = await importOriginal<typeof RnntDecodeModule>();
  return {
    ...real,
    decodeRefill: (...[model, utterances, config, options]: Parameters<typeof real.decodeRefill>) =>
      real.decodeRefill(model, utterances, config, {
        ...options,
        onUtterance: (index, result) => {
          seen.finished += 1;
          options?.onUtterance?.(index, result);
        },
      }),
  };
});

let root: string;
let model: string;
let frames: string[];
let batchedDir: string;
const variants = ['ref', 'pipeline', 'lean'];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-batchdecoder-'));
  model = makeModel(path.join(root, 'model'));
  const corpus = makeCorpus(path.join(root, 'corpus'), model, { files: 14, broken: true });
  frames = fs
    .readFileSync(path.join(corpus, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => path.join(corpus, (JSON.parse(l) as { frames: string }).frames));
  batchedDir = path.join(root, 'batched');
  writeBatchedModelDirectory(model, batchedDir, ['cached', 'pipeline', 'lean']);
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const plan = (rows: number, batched: readonly string[]): BatchFileDecoderInit => ({
  modelDir: model,
  variants,
  eouPolicy: 'reset',
  batch: { modelDir: batchedDir, rows, variants: batched },
});

const tokensOf = (d: DecodedFile) =>
  d.ok ? Object.fromEntries(variants.map((v) => [v, d.variants[v]!.tokens])) : d.reason;

describe(createBatchFileDecoder, () => {
  it("reads a group's frames as rows take its files: only the busy rows' frames are held, not the group's", async () => {
    const decoder = await createBatchFileDecoder(plan(2, ['cached', 'pipeline', 'lean']));
    try {
      seen.reads = 0;
      seen.finished = 0;
      seen.mostHeld = 0;
      const got = await decoder.decodeFiles(frames);
      expect(got).toHaveLength(frames.length);
      // A row takes its next file as its last one ends: at most rows + 1 read and unfinished (reading
      // the whole group first held all 14).
      expect(seen.mostHeld).toBeLessThanOrEqual(3);
      // Once per lock-step variant; the three undecodable files are read once (their reason is kept).
      expect(seen.reads).toBe(3 * (frames.length - 3) + 3);
    } finally {
      await decoder.close();
    }
  });

  it("gives every file the single-file decoder's tokens, and an unreadable file its reason, lock step or not", async () => {
    const single = await createFileDecoder({ modelDir: model, variants, eouPolicy: 'reset' });
    const alone: DecodedFile[] = [];
    try {
      for (const f of frames) alone.push(await single.decodeFile(f));
    } finally {
      await single.close();
    }
    expect(alone.filter((d) => !d.ok)).toHaveLength(3);
    for (const batched of [['cached', 'pipeline', 'lean'], ['lean']]) {
      const decoder = await createBatchFileDecoder(plan(3, batched));
      try {
        const got = await decoder.decodeFiles(frames);
        expect(got.map(tokensOf)).toEqual(alone.map(tokensOf));
        expect(got.map((d) => (d.ok ? d.frames : -1))).toEqual(alone.map((d) => (d.ok ? d.frames : -1)));
      } finally {
        await decoder.close();
      }
    }
  });
});
