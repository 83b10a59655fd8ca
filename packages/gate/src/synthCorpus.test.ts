import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeModel } from '../test/fixture';
import { writeSynthCorpus } from './synthCorpus';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-synthcorpus-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const tree = (dir: string) =>
  Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]),
  );

describe(writeSynthCorpus, () => {
  it('writes a manifest and frames, byte-identical for the same seed, and nothing else', () => {
    const model = makeModel(path.join(root, 'model'), 5, []);
    const a = writeSynthCorpus(model, path.join(root, 'a'), { files: 5, seed: 2, lowMarginShare: 0.1 });
    writeSynthCorpus(model, path.join(root, 'b'), { files: 5, seed: 2, lowMarginShare: 0.1 });
    expect(tree(path.join(root, 'a'))).toEqual(tree(path.join(root, 'b')));
    expect(Object.keys(tree(path.join(root, 'a')))).toHaveLength(6);
    const lines = fs
      .readFileSync(a.manifestFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(lines[0])).toEqual([
      'id',
      'text',
      'frames',
      'duration',
      'eouFrame',
      'lowMarginFrames',
    ]);
    expect(a.files).toBe(5);
    expect(a.frames).toBe(lines.reduce((n, l) => n + Math.round(l.duration / 0.08), 0));
    expect(a.lowMarginFrames).toBe(lines.reduce((n, l) => n + l.lowMarginFrames, 0));
  });

  it('BAD CALL - refuses a file count below 1 and a directory that is not a synthetic model', () => {
    expect(() => writeSynthCorpus(root, path.join(root, 'c'), { files: 0 })).toThrow(
      '`options.files` must be an integer >= 1, got 0',
    );
    expect(() => writeSynthCorpus(root, path.join(root, 'c'), { files: 1 })).toThrow(
      expect.objectContaining({ name: 'FusionError', code: 'E_SYNTH' }),
    );
  });
});
