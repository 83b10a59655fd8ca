import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOnnx } from '@eou/graph';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eouDir, fixturesNote, haveFixtures } from '../test/coremlFixtures';
import { milToOnnx } from './milToOnnx';
import { readMlmodelc } from './mlmodelc';
import type { SyntheticAdjust } from './syntheticWeights';
import { writeSyntheticMlmodelc } from './syntheticWeights';

/** An adjust hook (here raising the blank logit's bias) changes values, never the layout. */
const blankBoost: SyntheticAdjust = (name, v) => {
  if (name === 'joint_module_joint_net_2_bias_to_fp16') v[1026] = v[1026]! + 0.8;
};

describe.skipIf(!haveFixtures)(`real-structure Parakeet EOU models${fixturesNote}`, () => {
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

// The real-structure streaming encoder (212 MB of synthetic weights) is converted and run over ten
// chunks with its states fed back by `@eou/frontend`'s streamingEncoder tests, in CI.
