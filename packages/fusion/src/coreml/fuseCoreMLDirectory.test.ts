import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMlpackage, writeSyntheticMlmodelc } from '@eou/coreml-format';
import { eouDir, fixturesNote, haveFixtures } from '../../test/coremlFixtures';
import { FusionError } from '../fusionError';
import { fuseCoreMLDirectory } from './fuseCoreMLDirectory';

const tmp = mkdtempSync(join(tmpdir(), 'eou-fuse-coreml-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fuseCoreMLDirectory', () => {
  it('BAD CALL - an unknown variant is a RangeError naming the choices', () => {
    expect(() => fuseCoreMLDirectory(tmp, { variant: 'projected' })).toThrow(
      /variant must be one of lean, lean-topk, pipeline, got 'projected'/,
    );
  });

  it('EXPECTED FAILURE - a directory without a decoder model is refused in one line', () => {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    try {
      fuseCoreMLDirectory(dir, { variant: 'lean' });
      throw new Error('expected a FusionError');
    } catch (e) {
      expect(e).toBeInstanceOf(FusionError);
      expect((e as FusionError).code).toBe('E_FORMAT');
      expect((e as Error).message).toBe(
        `${dir}: no decoder.mlpackage or decoder.mlmodelc in the model directory`,
      );
    }
  });

  it.skipIf(!haveFixtures)(
    `writes the lean-topk package next to a real-structure pair${fixturesNote}`,
    () => {
      const dir = join(tmp, 'pair');
      mkdirSync(dir);
      writeSyntheticMlmodelc(join(eouDir, 'decoder.mlmodelc'), join(dir, 'decoder.mlmodelc'));
      writeSyntheticMlmodelc(join(eouDir, 'joint_decision.mlmodelc'), join(dir, 'joint_decision.mlmodelc'));
      const r = fuseCoreMLDirectory(dir, { variant: 'lean-topk' });
      expect(r.path).toBe(join(dir, 'decoder_joint_decision_fused_topk.mlpackage'));
      expect(Object.keys(r.files).sort()).toEqual([
        'Data/com.apple.CoreML/model.mlmodel',
        'Data/com.apple.CoreML/weights/weight.bin',
        'Manifest.json',
      ]);
      expect(readMlpackage(r.path).description.outputs.map((o) => o.name)).toEqual([
        'token_id',
        'token_prob',
        'h_out',
        'c_out',
        'top_k_ids',
        'top_k_logits',
      ]);
    },
  );
});
