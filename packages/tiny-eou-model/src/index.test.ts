import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSet, modelDir, modelFiles, setDir, setNames, setsDir, streamingModelFiles } from './index';

describe('@eou/tiny-eou-model', () => {
  it('points at a model directory holding every file it lists', () => {
    for (const name of [...streamingModelFiles, 'encoder.onnx', 'card.json', 'README.md'])
      expect(fs.statSync(path.join(modelDir, name)).isFile(), name).toBe(true);
    expect(streamingModelFiles.slice(0, modelFiles.length)).toEqual([...modelFiles]);
  });

  it('lists exactly the sets on disk, each a corpus whose manifest names frames that exist', () => {
    expect(fs.readdirSync(setsDir).sort()).toEqual([...setNames].sort());
    expect(setNames).toContain(defaultSet);
    for (const name of setNames) {
      const lines = fs.readFileSync(path.join(setDir(name), 'manifest.jsonl'), 'utf8').split('\n');
      const entries = lines.filter(Boolean).map((l) => JSON.parse(l) as { frames: string });
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) expect(fs.existsSync(path.join(setDir(name), e.frames)), e.frames).toBe(true);
    }
  });

  it('has a model card whose sets are the shipped sets, with their utterance counts', () => {
    const card = JSON.parse(fs.readFileSync(path.join(modelDir, 'card.json'), 'utf8')) as {
      sets: Record<string, { utterances: number }>;
    };
    expect(Object.keys(card.sets).sort()).toEqual([...setNames].sort());
    for (const name of setNames) {
      const n = fs
        .readFileSync(path.join(setDir(name), 'manifest.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean);
      expect(n.length, name).toBe(card.sets[name]!.utterances);
    }
  });

  it('BAD CALL - setDir refuses a name that is not a shipped set, listing them', () => {
    expect(() => setDir('nope' as never)).toThrow(RangeError);
    expect(() => setDir('nope' as never)).toThrow(
      '`name` must be one of synth-heldout, asterisk, librivox, got "nope"',
    );
  });
});
