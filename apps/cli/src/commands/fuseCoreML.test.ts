import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCoreML, writeSyntheticMlmodelc } from '@eou/coreml-format';
import { sharedFixture } from '@eou/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

// The real Parakeet EOU model.mil files live outside the repository (the shared fixtures).
const decoderMil = sharedFixture('parakeet-eou-160ms/decoder.mlmodelc/model.mil');
const present = decoderMil !== undefined;
const fixtures = present ? path.dirname(path.dirname(decoderMil)) : '';

describe.skipIf(!present)('eou fuse on a CoreML model directory', () => {
  let dir: string;
  // In beforeAll: a skipped describe still runs its body, and the fixtures may be absent.
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-fuse-coreml-'));
    writeSyntheticMlmodelc(path.join(fixtures, 'decoder.mlmodelc'), path.join(dir, 'decoder.mlmodelc'));
    writeSyntheticMlmodelc(
      path.join(fixtures, 'joint_decision.mlmodelc'),
      path.join(dir, 'joint_decision.mlmodelc'),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the lean variant as an .mlpackage by default when DIR holds only CoreML models', async () => {
    const run = await runCli(['fuse', '--model', dir, '--variant', 'lean', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { path: string; variant: string };
    expect(result.path).toBe(path.join(dir, 'decoder_joint_decision_fused.mlpackage'));
    const model = readCoreML(result.path);
    expect(model.description.inputs.map((i: { name: string }) => i.name).sort()).toEqual([
      'c_in',
      'encoder_step',
      'h_in',
      'targets',
    ]);
  });

  it('BAD CALL - refuses a variant the CoreML builders do not make', async () => {
    const run = await runCli(['fuse', '--model', dir, '--variant', 'projected', '--format', 'mlpackage']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^eou fuse: --format mlpackage builds .*not 'projected'\n$/);
  });
});
