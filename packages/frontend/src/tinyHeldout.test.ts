import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import { decodeUtterance, parseNpy, type Session } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDir, tinyModelDir, tinySetsDir } from '../test/paths';
import { openTinyModel } from '../test/tinyModel';
import { computeFeatures, readAudioFile, toBinMajor, transcribe, type StreamingModel } from '../src/index';

// Held-out audio: a few flite clips committed as FLAC (flite regenerates bit for bit), or the whole
// set regenerated with tools/tiny-eou/heldout-audio.py when EOU_TINY_HELDOUT_AUDIO names its folder.
const fullSet = process.env['EOU_TINY_HELDOUT_AUDIO'];
const clipDir = fullSet ?? join(packageDir, 'test', 'fixtures', 'heldout');
const clips = readdirSync(clipDir)
  .filter((f) => /^test-\d+\.(wav|flac)$/.test(f))
  .sort()
  .map((f) => join(clipDir, f));

const framesOf = (id: string) =>
  parseNpy(readFileSync(join(tinySetsDir, 'synth-heldout', 'frames', `${id}.npy`)), `${id}.npy`);

describe(`the tiny model on held-out audio (${clips.length} clips from ${fullSet === undefined ? 'test/fixtures/heldout' : fullSet})`, () => {
  let model: StreamingModel;
  let whole: Session;
  const stats = { maxEncoderDiff: 0, maxShippedDiff: 0, frames: 0, files: 0, sameReset: 0, sameStopChunk: 0 };
  beforeAll(async () => {
    model = await openTinyModel();
    whole = await openOnnxSession(join(tinyModelDir, 'encoder.onnx'));
  });
  afterAll(async () => {
    console.log(`tiny held-out: ${JSON.stringify(stats)}`);
    await model.close();
    await whole.close();
  });

  it.each(clips.map((c) => [basename(c), c]))(
    '%s: streaming encoder = encoder.onnx within 1e-5; streaming tokens = decodeUtterance of the shipped frames',
    async (_, path) => {
      const id = basename(path).replace(/\.(wav|flac)$/, '');
      const audio = await readAudioFile(path, { sampleRate: 16000 });
      const f = computeFeatures(audio.samples, model.features);
      const ref = await whole.run({
        features: { dtype: 'float32', dims: [1, 128, f.count], data: toBinMajor(f) },
      });
      const enc = ref['encoded']!;
      const T = enc.dims[2]!;
      const E = enc.dims[1]!;
      const wholeFrames = new Float32Array(T * E);
      for (let t = 0; t < T; t++)
        for (let e = 0; e < E; e++) wholeFrames[t * E + e] = (enc.data as Float32Array)[e * T + t]!;
      // The streaming encoder under the model's schedule (16 mel frames per call, the tail partial).
      model.encoder.reset();
      let maxDiff = 0;
      let t = 0;
      for (let at = 0; at < f.count; at += 16) {
        const n = Math.min(16, f.count - at);
        const r = await model.encoder.encode(f.frames.subarray(at * 128, (at + n) * 128), n);
        for (let i = 0; i < r.frames.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs(r.frames[i]! - wholeFrames[t * E + i]!));
        t += r.count;
      }
      expect(t).toBe(T);
      expect(maxDiff).toBeLessThan(1e-5);
      stats.maxEncoderDiff = Math.max(stats.maxEncoderDiff, maxDiff);
      stats.frames += T;

      const shipped = framesOf(id);
      expect(shipped.dims).toEqual([T, E]);
      for (let i = 0; i < shipped.data.length; i++)
        stats.maxShippedDiff = Math.max(stats.maxShippedDiff, Math.abs(shipped.data[i]! - wholeFrames[i]!));

      for (const eouPolicy of ['reset', 'stop-chunk'] as const) {
        const decodeConfig = { ...model.decoder.decodeConfig, eouPolicy };
        const streamed = await transcribe(audio.samples, {
          ...model.transcriberOptions(),
          decodeConfig,
          endOfUtterance: null,
        });
        // `stop-chunk` depends on the chunking: decode the shipped frames in the stream's chunks of 2.
        const expected = await decodeUtterance(model.decoder.model, shipped.data, T, decodeConfig, {
          chunkFrames: 2,
        });
        const expectedTokens = Array.from(expected.tokens).filter((x) => x !== decodeConfig.eouId);
        expect(streamed.tokens).toEqual(expectedTokens);
        expect(streamed.tokenTimesMs).toEqual(
          Array.from(expected.frames)
            .filter((_, i) => expected.tokens[i] !== decodeConfig.eouId)
            .map((fr) => fr * 80),
        );
        if (eouPolicy === 'reset') stats.sameReset++;
        else stats.sameStopChunk++;
      }
      stats.files++;
    },
  );
});

describe('the tiny model on a multi-utterance stream (three held-out clips, 2.5 s of silence between)', () => {
  it('confirms one EOU after each utterance and keeps decoding after the first', async () => {
    const model = await openTinyModel();
    try {
      const manifest = new Map(
        readFileSync(join(tinySetsDir, 'synth-heldout', 'manifest.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { id: string; speech_end: number; duration: number })
          .map((m) => [m.id, m]),
      );
      const ids = ['test-00000', 'test-00004', 'test-00015'];
      const gap = new Float32Array(40_000);
      const parts: Float32Array[] = [];
      const speechEndsMs: number[] = [];
      const startsMs: number[] = [];
      let at = 0;
      for (const id of ids) {
        const a = (await readAudioFile(join(packageDir, 'test', 'fixtures', 'heldout', `${id}.flac`)))
          .samples;
        startsMs.push((at * 1000) / 16000);
        speechEndsMs.push(((at + manifest.get(id)!.speech_end * 16000) * 1000) / 16000);
        parts.push(a, gap);
        at += a.length + gap.length;
      }
      const stream = new Float32Array(at);
      let o = 0;
      for (const p of parts) {
        stream.set(p, o);
        o += p.length;
      }
      const r = await transcribe(stream, model.transcriberOptions());
      expect(r.schedule).toBe('tiny-160ms');
      expect(r.endOfUtterance).toBe('eou-debounce(silence-since-last-token, 1280 ms)');
      expect(r.eouTimesMs.length).toBe(3);
      expect(r.utterances.filter((u) => u.endedBy === 'eou').length).toBe(3);
      r.eouTimesMs.forEach((t, k) => {
        // Each confirmation lands after the utterance's end of speech and before the next one starts.
        expect(t).toBeGreaterThan(speechEndsMs[k]!);
        if (k + 1 < ids.length) expect(t).toBeLessThan(startsMs[k + 1]!);
      });
      for (const u of r.utterances.slice(0, 3)) expect(u.tokens.length).toBeGreaterThan(0);
    } finally {
      await model.close();
    }
  });
});
