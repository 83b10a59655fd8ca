import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import * as ort from 'onnxruntime-node';
import { decodeUtterance } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eouDir, fixturesNote, haveFixtures } from '../../test/coremlFixtures';
import { buildDecoderModel, buildJointDecisionModel } from '../builder/canonicalModels';
import { writeOnnx } from '../onnx/writeOnnx';
import { loopRunner } from '../parity/loopRunner';
import { frames } from '../parity/parity.fixture';
import { runParity } from '../parity/runParity';
import { openVariantStepper } from '../parity/variantStepper';
import { milToOnnx } from './milToOnnx';
import { milDecoderJointWeights, onnxWeightsOfMil } from './milWeights';
import { readMlmodelc } from './mlmodelc';
import type { SyntheticAdjust } from './syntheticWeights';
import { writeSyntheticMlmodelc } from './syntheticWeights';

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
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes synthetic weight.bin files exactly as large as the shipped ones', () => {
    expect(writeSyntheticMlmodelc(join(eouDir, 'decoder.mlmodelc'), join(tmp, 'decoder.mlmodelc'))).toBe(
      7_873_600,
    );
    expect(
      writeSyntheticMlmodelc(
        join(eouDir, 'joint_decision.mlmodelc'),
        join(tmp, 'joint_decision.mlmodelc'),
        1,
        blankBoost,
      ),
    ).toBe(2_794_182);
    expect(statSync(join(tmp, 'decoder.mlmodelc', 'weights', 'weight.bin')).size).toBe(7_873_600);
  });

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

  it('the real preprocessor (flexible-length audio) converts and runs: 2560 samples -> 17 mel frames, 10080 -> 64', async () => {
    const dir = join(tmp, 'parakeet_eou_preprocessor.mlmodelc');
    // a mel filterbank is non-negative (log of a negative power would be NaN)
    writeSyntheticMlmodelc(join(eouDir, 'parakeet_eou_preprocessor.mlmodelc'), dir, 1, (name, v) => {
      if (name === 'const_2') v.forEach((x, i) => (v[i] = Math.abs(x)));
    });
    const onnx = milToOnnx(readMlmodelc(dir));
    expect(onnx.graph.inputs.find((i) => i.name === 'audio_signal')!.shape).toEqual([1, -1]);
    const session = await ort.InferenceSession.create(writeOnnx(onnx));
    for (const [samples, frames] of [
      [2560, 17],
      [10080, 64],
    ] as const) {
      const audio = Float32Array.from({ length: samples }, (_, i) => Math.sin(i / 10));
      const r = await session.run({
        audio_signal: new ort.Tensor('float32', audio, [1, samples]),
        audio_length: new ort.Tensor('int32', Int32Array.of(samples), [1]),
      });
      expect(r.mel!.dims).toEqual([1, 128, frames]);
      expect(Array.from(r.mel_length!.data as Int32Array)).toEqual([frames]);
      expect(Array.from(r.mel!.data as Float32Array).every(Number.isFinite)).toBe(true);
    }
  });
});
