import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readOnnx, writeOnnx } from '@eou/graph';
import { checkVariantSources } from './checkVariantSources';
import { fuseModelDirectory } from './fuseModelDirectory';
import { tinyPair } from './tinyPair.fixture';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const dims = { V: 9, H: 4, E: 3, J: 5, K: 3 };

function writePair(dir: string, seed: number, which: 'both' | 'decoder' | 'joint' = 'both'): void {
  const pair = tinyPair(dims, seed);
  if (which !== 'joint') writeFileSync(join(dir, 'decoder.onnx'), writeOnnx(pair.decoder));
  if (which !== 'decoder') writeFileSync(join(dir, 'joint_decision.onnx'), writeOnnx(pair.joint));
}

function modelDir(seed = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'stale-'));
  dirs.push(dir);
  writePair(dir, seed);
  return dir;
}

const short = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);

describe(checkVariantSources, () => {
  it('accepts every variant built from the current pair, and ref/cached/unbuilt variants', () => {
    const dir = modelDir();
    for (const variant of ['ref', 'cached', 'lean', 'projected'])
      expect(() => checkVariantSources(dir, variant)).not.toThrow();
    for (const variant of ['pipeline', 'lean', 'lean-topk', 'projected'] as const)
      fuseModelDirectory(dir, { variant });
    for (const variant of ['ref', 'cached', 'pipeline', 'lean', 'lean-topk', 'projected']) {
      expect(() => checkVariantSources(dir, variant)).not.toThrow();
    }
  });

  it('EXPECTED FAILURE - refuses a fused file built from a decoder the directory no longer has', () => {
    const dir = modelDir();
    fuseModelDirectory(dir, { variant: 'lean' });
    const before = short(join(dir, 'decoder.onnx'));
    writePair(dir, 2, 'decoder');
    const file = join(dir, 'decoder_joint_decision_fused.onnx');
    expect(() => checkVariantSources(dir, 'lean')).toThrow(
      expect.objectContaining({
        name: 'FusionError',
        code: 'E_STALE_VARIANT',
        file,
        message: `${file}: built from decoder.onnx sha256 ${before}, the directory now has ${short(join(dir, 'decoder.onnx'))}; rebuild it with \`eou fuse --model ${dir} --variant lean\``,
      }),
    );
    fuseModelDirectory(dir, { variant: 'lean' });
    expect(() => checkVariantSources(dir, 'lean')).not.toThrow();
  });

  it('EXPECTED FAILURE - refuses any projected file built from another joint_decision', () => {
    const dir = modelDir();
    fuseModelDirectory(dir, { variant: 'projected' });
    const before = short(join(dir, 'joint_decision.onnx'));
    writePair(dir, 5, 'joint');
    expect(() => checkVariantSources(dir, 'projected')).toThrow(
      `${join(dir, 'projected_encoder.onnx')}: built from joint_decision.onnx sha256 ${before}, the directory now has ${short(join(dir, 'joint_decision.onnx'))}; rebuild it with \`eou fuse --model ${dir} --variant projected\``,
    );
  });

  it('accepts a built file without provenance metadata (made by another tool)', () => {
    const dir = modelDir();
    const file = join(dir, 'decoder_joint_decision_pipeline.onnx');
    fuseModelDirectory(dir, { variant: 'pipeline' });
    writeFileSync(file, writeOnnx({ ...readOnnx(readFileSync(file)), metadata: {} }));
    writePair(dir, 2);
    expect(() => checkVariantSources(dir, 'pipeline')).not.toThrow();
  });

  it('EXPECTED FAILURE - a variant file that is not ONNX is a FusionError naming the file', () => {
    const dir = modelDir();
    const file = join(dir, 'decoder_joint_decision_fused.onnx');
    writeFileSync(file, new Uint8Array([0x0a, 0xff, 0xff]));
    expect(() => checkVariantSources(dir, 'lean')).toThrow(
      expect.objectContaining({
        name: 'FusionError',
        code: 'E_ONNX_DECODE',
        file,
        message: expect.stringMatching(/decoder_joint_decision_fused\.onnx: not a valid ONNX model/),
      }),
    );
  });

  it('BAD CALL - an unknown variant is refused naming the known ones', () => {
    const dir = modelDir();
    expect(() => checkVariantSources(dir, 'turbo')).toThrow(
      expect.objectContaining({ name: 'FusionError', code: 'E_VARIANT' }),
    );
    expect(readdirSync(dir).sort()).toEqual(['decoder.onnx', 'joint_decision.onnx']);
  });
});

describe('fuseModelDirectory and model.json', () => {
  const modelJson = {
    format: 'eou-model/1',
    vocabSize: 9,
    hiddenSize: 4,
    encoderDim: 3,
    jointDim: 5,
    topK: 3,
  };

  it('builds when model.json agrees with the pair', () => {
    const dir = modelDir();
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
    expect(fuseModelDirectory(dir, { variant: 'lean' }).files).toHaveLength(1);
  });

  it('EXPECTED FAILURE - refuses a model.json size the graphs contradict, naming the field, and writes nothing', () => {
    for (const [field, value, actual] of [
      ['hiddenSize', 6, 4],
      ['encoderDim', 2, 3],
      ['vocabSize', 10, 9],
      ['jointDim', 4, 5],
      ['topK', 64, 3],
    ] as const) {
      const dir = modelDir();
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...modelJson, [field]: value }));
      expect(() => fuseModelDirectory(dir, { variant: 'lean' })).toThrow(
        expect.objectContaining({
          name: 'FusionError',
          code: 'E_MODEL_JSON',
          field,
          message: `${join(dir, 'model.json')}: ${field} is ${value}, but decoder.onnx/joint_decision.onnx have ${actual}`,
        }),
      );
      expect(readdirSync(dir).sort()).toEqual(['decoder.onnx', 'joint_decision.onnx', 'model.json']);
    }
  });

  it('EXPECTED FAILURE - refuses a model.json that is not JSON', () => {
    const dir = modelDir();
    writeFileSync(join(dir, 'model.json'), '{');
    expect(() => fuseModelDirectory(dir, { variant: 'lean' })).toThrow(
      expect.objectContaining({
        code: 'E_MODEL_JSON',
        message: expect.stringMatching(/model\.json: not valid JSON/),
      }),
    );
  });
});
