import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { milToOnnx, readMlmodelc } from '@eou/coreml-format';
import { writeOnnx } from '@eou/graph';
import { openOnnxSession } from '@eou/onnx-runtime';
import { describe, expect, it } from 'vitest';
import { fixturesDir, packageDir, requireFixture, tinySetsDir } from '../test/paths';
import { createSileroVad, detectSpeech, readAudioFile, speechSegments } from '../src/index';

describe(speechSegments, () => {
  const frames = (ps: number[]) => Float32Array.from(ps);
  it("follows Silero's hysteresis: start at >= threshold, end after minSilenceMs below negThreshold", () => {
    // 10 ms frames: speech from frame 2, a 20 ms dip (kept: shorter than 100 ms of silence), end at frame 40.
    const p = [0, 0.1, ...Array(20).fill(0.9), 0.2, 0.2, ...Array(16).fill(0.9), ...Array(30).fill(0.05)];
    expect(speechSegments(frames(p), 10, p.length * 10)).toEqual([{ startMs: 20, endMs: 400 }]);
    // Between the thresholds (0.35..0.5) neither starts nor ends speech.
    expect(speechSegments(frames([0.4, 0.4, 0.4]), 10, 30)).toEqual([]);
  });

  it('drops segments shorter than minSpeechMs, closes one open at the end, and pads without overlapping', () => {
    const p = [
      ...Array(10).fill(0.9),
      ...Array(20).fill(0),
      ...Array(40).fill(0.9),
      ...Array(20).fill(0),
      ...Array(30).fill(0.9),
    ];
    // 100 ms of speech is under the 250 ms minimum; the last segment runs to the end of the audio.
    expect(speechSegments(frames(p), 10, 1200)).toEqual([
      { startMs: 300, endMs: 700 },
      { startMs: 900, endMs: 1200 },
    ]);
    expect(speechSegments(frames(p), 10, 1200, { speechPadMs: 150, minSpeechMs: 0 })).toEqual([
      { startMs: 0, endMs: 200 },
      { startMs: 200, endMs: 800 },
      { startMs: 800, endMs: 1200 },
    ]);
    expect(() => speechSegments(frames(p), 10, 1200, { threshold: 2 })).toThrow(RangeError);
  });
});

const vadPath = join(fixturesDir, 'silero-vad-coreml', 'silero-vad-unified-v6.0.0.mlmodelc');
const vadFixture = requireFixture(vadPath);

describe.skipIf(!vadFixture.present)(`the real Silero VAD on held-out speech${vadFixture.note}`, () => {
  it('finds the end of speech the synthetic set knows, within 100 ms, on every committed clip', async () => {
    const session = await openOnnxSession({
      bytes: writeOnnx(milToOnnx(readMlmodelc(vadPath))),
      name: vadPath,
    });
    try {
      const vad = createSileroVad(session);
      const manifest = new Map(
        readFileSync(join(tinySetsDir, 'synth-heldout', 'manifest.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { id: string; speech_start: number; speech_end: number })
          .map((m) => [m.id, m]),
      );
      for (const id of ['test-00000', 'test-00004', 'test-00006', 'test-00012', 'test-00015', 'test-00017']) {
        const audio = await readAudioFile(join(packageDir, 'test', 'fixtures', 'heldout', `${id}.flac`));
        const r = await detectSpeech(vad, audio.samples, 16000);
        expect(r.segments.length, id).toBe(1);
        expect(Math.abs(r.speechEndMs! - 1000 * manifest.get(id)!.speech_end), id).toBeLessThanOrEqual(100);
        expect(r.probabilities.length).toBe(Math.ceil(audio.samples.length / 512));
      }
      const silence = await detectSpeech(vad, new Float32Array(16000), 16000);
      expect([silence.segments, silence.speechEndMs]).toEqual([[], null]);
      await expect(detectSpeech(vad, new Float32Array(10), 8000)).rejects.toThrow(/sampleRate must be 16000/);
    } finally {
      await session.close();
    }
  });

  it('refuses a session that is not the Silero graph, naming the file and tensor', async () => {
    const other = await openOnnxSession(join(packageDir, '..', 'tiny-eou-model', 'model', 'decoder.onnx'));
    try {
      expect(() => createSileroVad(other)).toThrow(
        /decoder\.onnx: not a Silero VAD graph: no input `audio_input`/,
      );
    } finally {
      await other.close();
    }
  });
});
