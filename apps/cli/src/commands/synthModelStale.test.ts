import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

const root = mkdtempSync(join(tmpdir(), 'cli-stale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const synth = (dir: string, seed: number) =>
  runCli(['synth-model', '--out', dir, '--shape', 'tiny', '--seed', String(seed)]);

describe('eou synth-model over built variants', () => {
  it('removes the variant files built from the pair it replaces and says which on stderr', async () => {
    const dir = join(root, 'reseed');
    expect((await synth(dir, 7)).code).toBe(0);
    for (const variant of ['lean', 'pipeline'])
      expect((await runCli(['fuse', '--model', dir, '--variant', variant])).code).toBe(0);
    const same = await synth(dir, 7);
    expect(same.stderr).not.toMatch(/removed/);
    expect(existsSync(join(dir, 'decoder_joint_decision_fused.onnx'))).toBe(true);
    const run = await synth(dir, 9);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^eou synth-model: removed decoder_joint_decision_pipeline\.onnx, decoder_joint_decision_fused\.onnx \(built from the replaced decoder\/joint_decision; rebuild with `eou fuse`\)\n/,
    );
    expect(readdirSync(dir).sort()).toEqual([
      'decoder.onnx',
      'joint_decision.onnx',
      'model.json',
      'vocab.json',
    ]);
  });
});

describe('eou bench with a stale variant', () => {
  it('EXPECTED FAILURE - exits 2 naming the stale file and the command that rebuilds it', async () => {
    const dir = join(root, 'bench');
    const other = join(root, 'other');
    expect((await synth(dir, 7)).code).toBe(0);
    expect((await synth(other, 9)).code).toBe(0);
    expect((await runCli(['fuse', '--model', dir, '--variant', 'lean'])).code).toBe(0);
    // A new joint_decision.onnx dropped in by hand: the fused file no longer matches it.
    copyFileSync(join(other, 'joint_decision.onnx'), join(dir, 'joint_decision.onnx'));
    const run = await runCli([
      'bench',
      '--model',
      dir,
      '--variants',
      'ref,lean',
      '--quick',
      '--out',
      join(root, 'b.json'),
    ]);
    expect(run.code).toBe(2);
    expect(
      run.stderr.split('\n').filter((l) => l.startsWith('eou bench: ') && !l.includes('loading')),
    ).toEqual([
      expect.stringMatching(
        /^eou bench: .*decoder_joint_decision_fused\.onnx: built from joint_decision\.onnx sha256 [0-9a-f]{12}, the directory now has [0-9a-f]{12}; rebuild it with `eou fuse --model .* --variant lean`$/,
      ),
    ]);
    expect(existsSync(join(root, 'b.json'))).toBe(false);
  });
});
