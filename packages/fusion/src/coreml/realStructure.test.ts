import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import { decodeUtterance } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOnnx } from '@eou/graph';
import type { SyntheticAdjust } from '@eou/coreml-format';
import { milToOnnx, readMlmodelc, writeSyntheticMlmodelc } from '@eou/coreml-format';
import { eouDir, fixturesNote, haveFixtures } from '../../test/coremlFixtures';
import { buildDecoderModel, buildJointDecisionModel } from '../canonical/canonicalModels';
import { loopRunner } from '../parity/loopRunner';
import { frames } from '../parity/parity.fixture';
import { runParity } from '../parity/runParity';
import { openVariantStepper } from '../parity/variantStepper';
import { milDecoderJointWeights, onnxWeightsOfMil } from './milDecoderJointWeights';

/** Raises the blank logit's bias so that decodes mix blanks (state kept) and emissions. */
const blankBoost: SyntheticAdjust = (name, v) => {
  if (name === 'joint_module_joint_net_2_bias_to_fp16') v[1026] = v[1026]! + 0.8;
};

const config = { blankId: 1026, eouId: 1024, vocabSize: 1027 };
const corpus = Array.from({ length: 3 }, (_, k) => ({
  id: `u${k}`,
  frames: frames(10, 512, 31 + k),
  frameCount: 10,
}));

describe.skipIf(!haveFixtures)(`real-structure Parakeet EOU decoder/joint_decision${fixturesNote}`, () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'eou-real-structure-'));
    writeSyntheticMlmodelc(join(eouDir, 'decoder.mlmodelc'), join(tmp, 'decoder.mlmodelc'));
    writeSyntheticMlmodelc(
      join(eouDir, 'joint_decision.mlmodelc'),
      join(tmp, 'joint_decision.mlmodelc'),
      1,
      blankBoost,
    );
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('converted to ONNX, decodes the corpus exactly like the canonical ONNX ref built from the same weights', async () => {
    const dec = readMlmodelc(join(tmp, 'decoder.mlmodelc'));
    const jnt = readMlmodelc(join(tmp, 'joint_decision.mlmodelc'));
    const converted = join(tmp, 'converted');
    const canonical = join(tmp, 'canonical');
    mkdirSync(converted);
    mkdirSync(canonical);
    writeFileSync(join(converted, 'decoder.onnx'), writeOnnx(milToOnnx(dec)));
    writeFileSync(join(converted, 'joint_decision.onnx'), writeOnnx(milToOnnx(jnt)));
    const w = onnxWeightsOfMil(milDecoderJointWeights(dec, jnt));
    writeFileSync(join(canonical, 'decoder.onnx'), writeOnnx(buildDecoderModel(w.decoder)));
    writeFileSync(join(canonical, 'joint_decision.onnx'), writeOnnx(buildJointDecisionModel(w.joint)));
    const a = await openVariantStepper(converted, 'ref', (p) => openOnnxSession(p));
    const b = await openVariantStepper(canonical, 'ref', (p) => openOnnxSession(p));
    const report = await runParity(a, b, corpus, {
      config,
      runner: loopRunner(decodeUtterance),
      runnerName: 'rnnt-decode',
    });
    await a.close();
    await b.close();
    expect(report.summary.sequencesIdentical).toBe(corpus.length);
    expect(report.summary.teacherForced.flips).toBe(0);
    expect(report.summary.steps).toBeGreaterThan(20);
    expect(report.files.every((f) => f.freeRunning.tokensA.length > 0)).toBe(true);
    // blanks happen too: fewer tokens than steps
    expect(report.files.reduce((n, f) => n + f.freeRunning.tokensA.length, 0)).toBeLessThan(
      report.summary.steps,
    );
    // the LSTM lowers identically (h/c exact); the joint differs only by where fp16 rounding happens
    expect(report.summary.teacherForced.maxAbsDH).toBe(0);
    expect(report.summary.teacherForced.maxAbsDProb).toBeLessThan(1e-3);
  });
});
