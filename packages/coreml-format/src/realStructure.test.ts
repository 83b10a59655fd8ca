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

const heavy = process.env['EOU_COREML_HEAVY'] === '1';
describe.skipIf(!haveFixtures || !heavy)(
  `real-structure streaming encoder (212 MB of synthetic weights)${fixturesNote}${heavy ? '' : ' (SKIPPED: set EOU_COREML_HEAVY=1 to run)'}`,
  () => {
    it('converts the 17-layer encoder to ONNX and runs one 160 ms chunk with the documented shapes', async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'eou-encoder-'));
      try {
        writeSyntheticMlmodelc(join(eouDir, 'streaming_encoder.mlmodelc'), join(tmp, 'e.mlmodelc'));
        const session = await ort.InferenceSession.create(
          writeOnnx(milToOnnx(readMlmodelc(join(tmp, 'e.mlmodelc')))),
        );
        const f = (dims: number[], fill: (i: number) => number) =>
          new ort.Tensor(
            'float32',
            Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => fill(i)),
            dims,
          );
        const r = await session.run({
          audio_signal: f([1, 128, 17], (i) => Math.sin(i) - 5),
          audio_length: new ort.Tensor('int32', Int32Array.of(17), [1]),
          pre_cache: f([1, 128, 16], () => 0),
          cache_last_channel: f([17, 1, 70, 512], () => 0),
          cache_last_time: f([17, 1, 512, 8], () => 0),
          cache_last_channel_len: new ort.Tensor('int32', Int32Array.of(0), [1]),
        });
        expect(r.encoded_output!.dims).toEqual([1, 512, 3]);
        expect(r.new_cache_last_channel!.dims).toEqual([17, 1, 70, 512]);
        // new_pre_cache = the last 16 mel frames of [pre_cache, chunk] = chunk frames 1..16 (fp16-rounded)
        expect((r.new_pre_cache!.data as Float32Array)[0]).toBeCloseTo(Math.sin(1) - 5, 2);
        expect(Array.from(r.encoded_output!.data as Float32Array).every(Number.isFinite)).toBe(true);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }, 120_000);
  },
);
