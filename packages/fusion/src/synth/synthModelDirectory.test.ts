import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkVariantSources } from '../variants/checkVariantSources';
import { fuseModelDirectory } from '../variants/fuseModelDirectory';
import { writeSynthModelDirectory } from './synthModelDirectory';

const root = mkdtempSync(join(tmpdir(), 'synth-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pairFiles = ['decoder.onnx', 'joint_decision.onnx', 'model.json', 'vocab.json'];
const built = [
  'decoder_joint_decision_fused.onnx',
  'projected_decoder.onnx',
  'projected_encoder.onnx',
  'projected_joint.onnx',
];

describe(writeSynthModelDirectory, () => {
  it('removes the built variant files when it rewrites the pair, reports them, and keeps other files', () => {
    const dir = join(root, 'reseed');
    writeSynthModelDirectory(dir, { shape: 'tiny', seed: 7 });
    fuseModelDirectory(dir, { variant: 'lean' });
    fuseModelDirectory(dir, { variant: 'projected' });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const removed: string[][] = [];
    writeSynthModelDirectory(
      dir,
      { shape: 'tiny', seed: 9 },
      { onRemoved: (paths) => removed.push([...paths]) },
    );
    expect(removed.map((r) => [...r].sort())).toEqual([built.map((f) => join(dir, f))]);
    expect(readdirSync(dir).sort()).toEqual([...pairFiles, 'notes.txt'].sort());
  });

  it('keeps built variant files when the same seed rewrites identical bytes (they are still current)', () => {
    const dir = join(root, 'same');
    writeSynthModelDirectory(dir, { shape: 'tiny', seed: 7 });
    fuseModelDirectory(dir, { variant: 'lean' });
    let calls = 0;
    writeSynthModelDirectory(dir, { shape: 'tiny', seed: 7 }, { onRemoved: () => calls++ });
    expect(calls).toBe(0);
    expect(readdirSync(dir)).toContain('decoder_joint_decision_fused.onnx');
    expect(() => checkVariantSources(dir, 'lean')).not.toThrow();
  });
});
