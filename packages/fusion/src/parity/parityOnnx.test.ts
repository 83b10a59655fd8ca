import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import { decodeUtterance, loadModelDirectory, lstmStepModel } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOnnx } from '@eou/graph';
import { fuseModelDirectory } from '../variants/fuseModelDirectory';
import { tinyPair } from '../variants/tinyPair.fixture';
import { frames } from './parity.fixture';
import { harnessRunner } from './freeRunning';
import { loopRunner } from './loopRunner';
import { runParity } from './runParity';
import { openVariantStepper } from './variantStepper';

const dims = { V: 12, H: 6, E: 5, J: 8, K: 4 };
const config = { blankId: 11, eouId: 9, vocabSize: 12 };
const corpus = Array.from({ length: 3 }, (_, k) => ({
  id: `u${k}`,
  frames: frames(8, 5, k + 7),
  frameCount: 8,
}));
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parity-'));
  const p = tinyPair(dims, 9);
  writeFileSync(join(dir, 'decoder.onnx'), writeOnnx(p.decoder));
  writeFileSync(join(dir, 'joint_decision.onnx'), writeOnnx(p.joint));
  for (const variant of ['pipeline', 'lean', 'lean-topk', 'projected']) fuseModelDirectory(dir, { variant });
  const model = {
    format: 'eou-model/1',
    blankId: 11,
    eouId: 9,
    eobId: 10,
    vocabSize: 12,
    hiddenSize: 6,
    encoderDim: 5,
    jointDim: 8,
    topK: 4,
    maxSymbolsPerFrame: 2,
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
  writeFileSync(
    join(dir, 'vocab.json'),
    JSON.stringify(Object.fromEntries(Array.from({ length: 9 }, (_, k) => [String(k), `▁w${k}`]))),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (name: string) => openVariantStepper(dir, name, (path) => openOnnxSession(path));

describe('parity on ONNX Runtime', () => {
  it('finds pipeline STRICT against ref, through the rnnt-decode loop', async () => {
    const [a, b] = [await open('ref'), await open('pipeline')];
    const report = await runParity(a, b, corpus, {
      config,
      runner: loopRunner(decodeUtterance),
      runnerName: 'rnnt-decode',
    });
    expect(report.verdict.label).toBe('STRICT');
    expect(report.summary.teacherForced).toMatchObject({
      flips: 0,
      maxAbsDProb: 0,
      maxAbsDH: 0,
      maxAbsDC: 0,
      maxAbsDTopLogit: 0,
      topKIdMismatchSteps: 0,
    });
    expect(report.summary.steps).toBeGreaterThan(10);
    await a.close();
    await b.close();
  });

  it('gives the same free-running traces from the rnnt-decode loop and the harness loop', async () => {
    const s = await open('ref');
    const resolved = { ...config, maxSymbolsPerFrame: 2, eouPolicy: 'reset' as const };
    for (const f of corpus) {
      const viaLoop = await loopRunner(decodeUtterance)(s, f.frames, f.frameCount, resolved);
      const viaHarness = await harnessRunner(s, f.frames, f.frameCount, resolved);
      expect(viaLoop.tokens).toEqual(viaHarness.tokens);
      expect(viaLoop.steps.map((x) => [x.t, x.s, x.token, x.prob])).toEqual(
        viaHarness.steps.map((x) => [x.t, x.s, x.token, x.prob]),
      );
    }
    await s.close();
  });

  it('compares lean, lean-topk and projected with ref and reports their top-k agreement', async () => {
    const ref = await open('ref');
    for (const name of ['lean', 'lean-topk', 'projected', 'cached']) {
      const b = await open(name);
      const report = await runParity(ref, b, corpus, { config });
      expect(report.summary.files).toBe(3);
      expect(report.verdict.functional).toBe(
        report.summary.sequencesIdentical === 3 &&
          report.summary.mismatchedSteps === 0 &&
          report.summary.maxAbsDH! < 1e-5 &&
          report.summary.maxAbsDC! < 1e-5,
      );
      if (name === 'lean-topk') expect(report.summary.teacherForced.topKIdMismatchSteps).toBe(0);
      if (name === 'lean' || name === 'projected')
        expect(report.summary.teacherForced.maxAbsDTopLogit).toBeNull();
      if (name === 'cached') expect(report.verdict.label).toBe('STRICT');
      await b.close();
    }
    await ref.close();
  });

  it('drives cached and projected with their own step models (cache policy, hoisted projections)', async () => {
    const io = {
      readText: (p: string) => readFileSync(p, 'utf8'),
      exists: (p: string) => existsSync(p),
      openSession: (p: string) => openOnnxSession(p),
    };
    const ref = await open('ref');
    for (const name of ['cached', 'projected']) {
      const loaded = await loadModelDirectory(dir, name, io, { decode: { eouPolicy: 'reset' } });
      const b = await open(name);
      const runner = loopRunner(decodeUtterance, {
        [name]: {
          model: lstmStepModel(loaded, 'parity'),
          predictionPolicy: loaded.decodeConfig.predictionPolicy,
        },
      });
      const report = await runParity(ref, b, corpus, { config, runner });
      expect(loaded.decodeConfig.predictionPolicy).toBe('cache');
      expect(report.summary.sequencesIdentical).toBe(3);
      expect(report.summary.mismatchedSteps).toBe(0);
      await b.close();
      await loaded.close();
    }
    await ref.close();
  });

  it('EXPECTED FAILURE - names the missing file of a variant that was not built', async () => {
    rmSync(join(dir, 'decoder_joint_decision_fused.onnx'));
    await expect(open('lean')).rejects.toThrow(
      `${join(dir, 'decoder_joint_decision_fused.onnx')}: model file not found`,
    );
    fuseModelDirectory(dir, { variant: 'lean' });
  });
});
