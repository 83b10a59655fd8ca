import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { modelDir } from '@eou/tiny-eou-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badAudio, writeAudioManifest } from '../test/heldoutAudio';
import { benchEndToEnd } from './benchEndToEnd';
import { prepareCachedModel } from './prepareCachedModel';

let root: string;
let model: string;
let audio: string;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-e2e-'));
  model = await prepareCachedModel({
    sourceDir: modelDir,
    files: ['model.json', 'vocab.json', 'decoder.onnx', 'joint_decision.onnx', 'encoder_streaming.onnx'],
    cacheDir: path.join(root, 'cache'),
    name: 'tiny-eou',
    variants: ['lean'],
  });
  audio = writeAudioManifest(path.join(root, 'audio.jsonl'), ['test-00000', 'test-00004', 'test-00015']);
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe(benchEndToEnd, () => {
  it('prices each variant end to end: RTFx with an interval, the stage split, and the decode-to-e2e ratio', async () => {
    let rounds = 0;
    const r = await benchEndToEnd({
      modelDir: model,
      manifest: audio,
      variants: ['ref', 'lean'],
      passes: 2,
      warmupFiles: 1,
      bootstrap: { resamples: 200 },
      onRound: () => (rounds += 1),
    });
    expect([r.schedule, r.files, r.passes, r.warmupFiles, rounds]).toEqual(['tiny-160ms', 3, 2, 1, 6]);
    expect(r.audioSeconds).toBeCloseTo(2.456 + 2.47 + 2.35, 0);
    const [ref, lean] = r.variants;
    for (const v of r.variants) {
      expect(v.rtfx.ciLow).toBeLessThanOrEqual(v.rtfx.median);
      expect(v.rtfx.ciHigh).toBeGreaterThanOrEqual(v.rtfx.median);
      expect(v.rtfx.median).toBeGreaterThan(1);
      expect(v.perFileRtfx).toHaveLength(3);
      const s = v.stages.shares;
      expect(s.features + s.encoder + s.decode + s.other).toBeCloseTo(1, 2);
      expect(v.stages.encoderMs).toBeGreaterThan(0);
      expect(v.identicalFiles).toBe(3);
    }
    expect(ref!.vsBaseline).toBeNull();
    const vs = lean!.vsBaseline!;
    expect(vs.e2eSpeedup.ciLow).toBeLessThanOrEqual(vs.e2eSpeedup.ratio);
    expect(vs.e2eSpeedup.ciHigh).toBeGreaterThanOrEqual(vs.e2eSpeedup.ratio);
    expect(vs.decodeSpeedup.ciLow).toBeLessThanOrEqual(vs.decodeSpeedup.ratio);
    expect(vs.decodeToE2eRatio).toBeCloseTo(vs.decodeSpeedup.ratio / vs.e2eSpeedup.ratio, 9);
    const p = ref!.stages.shares.decode;
    expect(vs.predictedE2eSpeedup).toBeCloseTo(1 / (1 - p + p / vs.decodeSpeedup.ratio), 9);
  });

  it('BAD INPUT: a file it cannot read is an error naming it (a bench needs every file); bad options are RangeErrors', async () => {
    const bad = badAudio(path.join(root, 'bad'));
    const m = writeAudioManifest(path.join(root, 'bad.jsonl'), ['test-00000'], {
      extra: [{ id: 'corrupt', audio_filepath: bad.corrupt, text: 'x' }],
    });
    await expect(benchEndToEnd({ modelDir: model, manifest: m, variants: ['ref'] })).rejects.toThrow(
      /corrupt\.wav: truncated/,
    );
    await expect(
      benchEndToEnd({ modelDir: model, manifest: audio, variants: ['ref', 'ref'] }),
    ).rejects.toThrow(RangeError);
    await expect(
      benchEndToEnd({ modelDir: model, manifest: audio, variants: ['ref'], passes: 0 }),
    ).rejects.toThrow(/`passes` must be an integer >= 1/);
  });
});
