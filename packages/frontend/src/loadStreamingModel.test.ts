import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyModelDir } from '../test/paths';
import { nodeIO, openTinyModel } from '../test/tinyModel';
import { loadStreamingModel, parseChunkSchedule } from '../src/index';

const tmp = mkdtempSync(join(tmpdir(), 'eou-frontend-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe(loadStreamingModel, () => {
  it('opens the tiny model: its features, streaming encoder, declared schedule and decoder', async () => {
    const model = await openTinyModel();
    try {
      expect(model.features.kind).toBe('nemo-logmel');
      expect(model.schedules.map((s) => s.name)).toEqual(['tiny-160ms']);
      expect(model.encoder.states.length).toBe(6);
      const own = model.transcriberOptions();
      expect([own.schedule.name, own.decodeConfig.eouPolicy]).toEqual(['tiny-160ms', 'stop-chunk']);
      // A seed schedule by name brings its EOU policy (the harness resets).
      const harness = model.transcriberOptions('harness');
      expect([harness.schedule.name, harness.decodeConfig.eouPolicy]).toEqual(['harness', 'reset']);
      expect(() => model.transcriberOptions('nope')).toThrow(
        /^schedule must be one of tiny-160ms, harness, production/,
      );
    } finally {
      await model.close();
    }
  });

  it('EXPECTED FAILURE - a model.json without encoder.streaming is one line naming the file', async () => {
    const dir = join(tmp, 'no-streaming');
    cpSync(tinyModelDir, dir, { recursive: true });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      encoder: Record<string, unknown>;
    };
    delete json.encoder['streaming'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadStreamingModel(dir, nodeIO)).rejects.toMatchObject({
      name: 'FrontendError',
      code: 'E_MODEL_CONFIG',
      message: `${dir}/model.json: encoder.streaming is missing; the streaming loop needs both`,
    });
  });
});

describe(parseChunkSchedule, () => {
  it('EXPECTED FAILURE - bad schedules name the field', () => {
    expect(() =>
      parseChunkSchedule({ name: 'x', unit: 'frames', windowFrames: 16, shiftFrames: 32 }, 'm.json'),
    ).toThrow('m.json: encoder.streaming.schedule.shiftFrames must be <= windowFrames (16), got 32');
    expect(() => parseChunkSchedule({ name: 'x', unit: 'seconds' })).toThrow(
      'model.json: encoder.streaming.schedule.unit must be "samples" or "frames", got "seconds"',
    );
    expect(() =>
      parseChunkSchedule({
        name: 'x',
        unit: 'samples',
        chunkSamples: 2560,
        shiftSamples: 1280,
        tail: 'partial',
      }),
    ).toThrow(/tail must be "drop" or "pad"/);
  });
});
