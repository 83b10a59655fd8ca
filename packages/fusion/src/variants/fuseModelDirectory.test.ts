import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readOnnxFile, writeOnnx } from '@eou/graph';
import { fuseModelDirectory } from './fuseModelDirectory';
import { tinyPair } from './tinyPair.fixture';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function modelDir(H = 4, jointH = H): string {
  const dir = mkdtempSync(join(tmpdir(), 'fuse-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'decoder.onnx'), writeOnnx(tinyPair({ V: 9, H, E: 3, J: 5, K: 3 }, 1).decoder));
  writeFileSync(
    join(dir, 'joint_decision.onnx'),
    writeOnnx(tinyPair({ V: 9, H: jointH, E: 3, J: 5, K: 3 }, 1).joint),
  );
  return dir;
}
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe(fuseModelDirectory, () => {
  it('writes each variant under its docs/design.md name with provenance metadata', () => {
    const dir = modelDir();
    const wrote = (['pipeline', 'lean', 'lean-topk', 'projected'] as const).flatMap((variant) =>
      fuseModelDirectory(dir, { variant }).files.map((f) => f.fileName),
    );
    expect(wrote).toEqual([
      'decoder_joint_decision_pipeline.onnx',
      'decoder_joint_decision_fused.onnx',
      'decoder_joint_decision_fused_topk.onnx',
      'projected_encoder.onnx',
      'projected_decoder.onnx',
      'projected_joint.onnx',
    ]);
    expect(readdirSync(dir).sort()).toEqual([...wrote, 'decoder.onnx', 'joint_decision.onnx'].sort());
    const meta = readOnnxFile(join(dir, 'decoder_joint_decision_fused.onnx')).metadata;
    expect(meta).toMatchObject({
      'eou.kind': 'fused',
      'eou.variant': 'lean',
      'eou.builder_version': '1',
      'eou.source.decoder.sha256': sha(join(dir, 'decoder.onnx')),
      'eou.source.joint_decision.sha256': sha(join(dir, 'joint_decision.onnx')),
    });
    expect(meta['eou.producer']).toMatch(/^@eou\/fusion \d+\.\d+\.\d+ fuse --variant lean$/);
  });

  it('writes byte-identical files for the same inputs, and honours `out`', () => {
    const dir = modelDir();
    const a = fuseModelDirectory(dir, { variant: 'lean' }).files[0]!;
    const b = fuseModelDirectory(dir, { variant: 'lean', out: join(dir, 'copy.onnx') }).files[0]!;
    expect(b.path).toBe(join(dir, 'copy.onnx'));
    expect(b.sha256).toBe(a.sha256);
    expect(sha(b.path)).toBe(a.sha256);
  });

  it('EXPECTED FAILURE - refuses a pair whose hidden sizes differ and leaves nothing behind', () => {
    const dir = modelDir(4, 6);
    const before = readdirSync(dir).sort();
    expect(() => fuseModelDirectory(dir, { variant: 'projected' })).toThrow(
      expect.objectContaining({
        name: 'FusionError',
        code: 'E_SHAPE',
        message: `${join(dir, 'joint_decision.onnx')}: input \`decoder_step\` has decoder dim 6, expected the decoder's hidden size 4`,
      }),
    );
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('EXPECTED FAILURE - refuses a directory without a decoder', () => {
    const dir = modelDir();
    rmSync(join(dir, 'decoder.onnx'));
    expect(() => fuseModelDirectory(dir, { variant: 'lean' })).toThrow(
      `${join(dir, 'decoder.onnx')}: cannot read model (file not found)`,
    );
  });

  it('EXPECTED FAILURE - leaves no temp file when the target cannot be written', () => {
    const dir = modelDir();
    expect(() => fuseModelDirectory(dir, { variant: 'lean', out: join(dir, 'missing', 'x.onnx') })).toThrow(
      expect.objectContaining({ name: 'FusionError', code: 'E_WRITE' }),
    );
    expect(readdirSync(dir).sort()).toEqual(['decoder.onnx', 'joint_decision.onnx']);
  });

  it('BAD CALL - rejects unknown and non-buildable variants, and `out` for multi-file variants', () => {
    const dir = modelDir();
    expect(() => fuseModelDirectory(dir, { variant: 'turbo' })).toThrow(
      "unknown variant 'turbo' (expected one of pipeline, lean, lean-topk, projected, int8, fp16)",
    );
    expect(() => fuseModelDirectory(dir, { variant: 'cached' })).toThrow(
      "variant 'cached' runs the shipped decoder.onnx and joint_decision.onnx as they are; nothing to build (expected one of pipeline, lean, lean-topk, projected, int8, fp16)",
    );
    expect(() => fuseModelDirectory(dir, { variant: 'projected', out: join(dir, 'x.onnx') })).toThrow(
      RangeError,
    );
    expect(readdirSync(dir).sort()).toEqual(['decoder.onnx', 'joint_decision.onnx']);
  });
});
