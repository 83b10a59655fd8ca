import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeModel } from '../test/fixture';
import { prepareCachedModel, type PrepareEvent } from './prepareCachedModel';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-cache-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const FILES = ['model.json', 'vocab.json', 'decoder.onnx', 'joint_decision.onnx'];

/** A pid that ran and exited, so no process has it (until the system wraps around). */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString(),
  );
}

describe(prepareCachedModel, () => {
  it('copies the model once per content hash and builds each missing variant once', async () => {
    const source = makeModel(path.join(root, 'source'), 7, []);
    const events: PrepareEvent[] = [];
    const options = {
      sourceDir: source,
      files: FILES,
      cacheDir: path.join(root, 'cache'),
      name: 'tiny',
      variants: ['ref', 'cached', 'lean', 'projected'],
      onEvent: (e: PrepareEvent) => events.push(e),
    };
    const dir = await prepareCachedModel(options);
    expect(path.basename(dir)).toMatch(/^tiny-[0-9a-f]{16}$/);
    expect(events.map((e) => e.kind === 'build-variant' && e.variant)).toEqual(['lean', 'projected']);
    for (const f of ['decoder_joint_decision_fused.onnx', 'projected_joint.onnx', 'projected_encoder.onnx'])
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(fs.readdirSync(source).sort()).toEqual([...FILES].sort());
    events.length = 0;
    expect(await prepareCachedModel(options)).toBe(dir);
    expect(events).toEqual([]);
    // Other weights, another entry.
    makeModel(source, 8, []);
    expect(await prepareCachedModel(options)).not.toBe(dir);
  });

  it('removes the temp directory a killed run left behind, and only that', async () => {
    const source = makeModel(path.join(root, 'source2'), 9, []);
    const cacheDir = path.join(root, 'cache2');
    const first = await prepareCachedModel({
      sourceDir: source,
      files: FILES,
      cacheDir,
      name: 'm',
      variants: [],
    });
    fs.rmSync(first, { recursive: true });
    const dead = `${first}.tmp-${deadPid()}`;
    const alive = `${first}.tmp-${process.ppid}`;
    for (const d of [dead, alive]) fs.mkdirSync(d, { recursive: true });
    expect(
      await prepareCachedModel({ sourceDir: source, files: FILES, cacheDir, name: 'm', variants: [] }),
    ).toBe(first);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(alive)).toBe(true);
    expect(fs.readdirSync(path.dirname(first)).sort()).toEqual(
      [path.basename(first), path.basename(alive)].sort(),
    );
  });
});
