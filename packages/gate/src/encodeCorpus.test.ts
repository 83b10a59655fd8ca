import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseNpy } from '@eou/rnnt-decode';
import { modelDir, setDir } from '@eou/tiny-eou-model';
import { sharedFixture } from '@eou/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badAudio, heldoutIds, heldoutLines, shippedSubset, writeAudioManifest } from '../test/heldoutAudio';
import { readCorpusProvenance } from './corpusProvenance';
import { encodeCorpus } from './encodeCorpus';
import { GateError } from './gateError';
import { deterministicPart } from './gateReport';
import { sha256 } from './modelDirectory';
import { prepareCachedModel } from './prepareCachedModel';
import { runGate } from './runGate';

let root: string;
let model: string;
let audio: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-encode-'));
  model = await prepareCachedModel({
    sourceDir: modelDir,
    files: ['model.json', 'vocab.json', 'decoder.onnx', 'joint_decision.onnx', 'encoder_streaming.onnx'],
    cacheDir: path.join(root, 'cache'),
    name: 'tiny-eou',
    variants: ['lean'],
  });
  audio = writeAudioManifest(path.join(root, 'audio.jsonl'));
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const lines = (dir: string) =>
  fs
    .readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe(encodeCorpus, () => {
  it('writes the layout the gate reads, with chunking and provenance (audio, encoder, features, schedule)', async () => {
    const out = path.join(root, 'c1');
    const r = await encodeCorpus({ modelDir: model, manifest: audio, outDir: out, dtype: 'float16' });
    expect([r.schedule, r.files, r.encodedNow, r.resumed, r.failed]).toEqual(['tiny-160ms', 6, 6, 0, []]);
    const got = lines(out);
    const shipped = heldoutLines();
    got.forEach((l, i) => {
      const npy = parseNpy(fs.readFileSync(path.join(out, String(l['frames']))), 'x.npy');
      expect(npy.dtype).toBe('float16');
      // Same frame count as the shipped whole-utterance frames; every column decoded, 2 per 160 ms chunk.
      expect(npy.dims).toEqual([shipped[i]!.num_frames, 192]);
      expect(l['num_frames']).toBe(shipped[i]!.num_frames);
      expect(l['speech_end']).toBe(shipped[i]!.speech_end);
      const chunking = l['chunking'] as { runs: number[][]; frameMs: number; schedule: string };
      expect(chunking.schedule).toBe('tiny-160ms');
      expect(chunking.frameMs).toBe(80);
      expect(chunking.runs[0]!.slice(1)).toEqual([2, 2560]);
      expect(l['audio_sha256']).toBe(sha256(fs.readFileSync(String(l['audio_filepath']))));
    });
    const p = readCorpusProvenance(out)!;
    expect(p.schedule).toMatchObject({ name: 'tiny-160ms', unit: 'frames', windowFrames: 16 });
    expect(p.features).toMatchObject({ kind: 'nemo-logmel', nMels: 128 });
    expect(p.encoder.file).toBe('encoder_streaming.onnx');
    expect(p.encoder.sha256).toBe(sha256(fs.readFileSync(path.join(modelDir, 'encoder_streaming.onnx'))));
    expect([p.dtype, p.audio.files, p.encoded, p.endOfSpeech]).toEqual([
      'float16',
      6,
      6,
      { source: 'manifest' },
    ]);
    expect(p.key).toBe(r.key);
  });

  it('gives the same report as the shipped frames of the same files (token-identical, same WER, EOU and verdict)', async () => {
    const encoded = path.join(root, 'c1');
    const opts = {
      modelDir: model,
      candidates: ['lean'],
      workers: 1,
      provenance: { command: 't', versions: {} },
    };
    const a = (await runGate({ ...opts, dataDir: encoded, outDir: path.join(root, 'g-enc') })).report!;
    const b = (
      await runGate({
        ...opts,
        dataDir: shippedSubset(path.join(root, 'shipped')),
        outDir: path.join(root, 'g-ship'),
      })
    ).report!;
    // The encoded corpus names its schedule; nothing else of the deterministic report differs.
    const { schedule, ...rest } = deterministicPart(a);
    expect(schedule?.name).toBe('tiny-160ms');
    expect(rest).toEqual(deterministicPart(b));
    expect(a.eou?.variants[0]!.detected).toBe(6);
    const tokens = (dir: string) =>
      fs
        .readFileSync(path.join(dir, 'results.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .slice(1)
        .map((l) => (JSON.parse(l) as { variants: { ref: { tokens: number[] } } }).variants.ref.tokens);
    expect(tokens(path.join(root, 'g-enc'))).toEqual(tokens(path.join(root, 'g-ship')));
  });

  it('resumes a killed run: finished files are not redone, and the corpus ends the same', async () => {
    const out = path.join(root, 'c-resume');
    let seen = 0;
    await expect(
      encodeCorpus({
        modelDir: model,
        manifest: audio,
        outDir: out,
        dtype: 'float16',
        concurrency: 1,
        onProgress: ({ done }) => {
          seen = done;
          if (done === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(seen).toBe(3);
    // Nothing half-written: no manifest or provenance until the end.
    expect(fs.existsSync(path.join(out, 'manifest.jsonl'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'provenance.json'))).toBe(false);
    const r = await encodeCorpus({ modelDir: model, manifest: audio, outDir: out, dtype: 'float16' });
    expect([r.resumed, r.encodedNow]).toEqual([3, 3]);
    expect(fs.readFileSync(path.join(out, 'manifest.jsonl'), 'utf8')).toBe(
      fs.readFileSync(path.join(root, 'c1', 'manifest.jsonl'), 'utf8'),
    );
    for (const id of heldoutIds)
      expect(fs.readFileSync(path.join(out, 'frames', `${id}.npy`))).toEqual(
        fs.readFileSync(path.join(root, 'c1', 'frames', `${id}.npy`)),
      );
    const again = await encodeCorpus({ modelDir: model, manifest: audio, outDir: out, dtype: 'float16' });
    expect([again.resumed, again.encodedNow]).toEqual([6, 0]);
  });

  it('refuses to resume a directory made from other inputs (another schedule)', async () => {
    await expect(
      encodeCorpus({ modelDir: model, manifest: audio, outDir: path.join(root, 'c1'), schedule: 'harness' }),
    ).rejects.toThrow(GateError);
    await expect(
      encodeCorpus({ modelDir: model, manifest: audio, outDir: path.join(root, 'c1'), schedule: 'harness' }),
    ).rejects.toThrow(/encode-log\.jsonl: written for other inputs/);
  });

  it('is content-addressed under a cache: the same inputs land in the same directory, other inputs elsewhere', async () => {
    const cache = path.join(root, 'cache2');
    const a = await encodeCorpus({ modelDir: model, manifest: audio, cacheDir: cache });
    const b = await encodeCorpus({ modelDir: model, manifest: audio, cacheDir: cache });
    const c = await encodeCorpus({
      modelDir: model,
      manifest: audio,
      cacheDir: cache,
      schedule: 'tiny-160ms+harness',
    });
    expect(b.dir).toBe(a.dir);
    expect(b.encodedNow).toBe(0);
    expect(c.dir).not.toBe(a.dir);
    expect(path.basename(a.dir)).toBe(a.key.slice(0, 16));
  });

  it('BAD INPUT: corrupt WAV, wrong rate without resampling, NaN samples, a missing file: failed entries naming the file, the rest encoded', async () => {
    const bad = badAudio(path.join(root, 'bad'));
    const manifest = writeAudioManifest(path.join(root, 'bad.jsonl'), heldoutIds.slice(0, 1), {
      extra: Object.entries(bad).map(([id, p]) => ({ id, audio_filepath: p, text: 'x' })),
    });
    const out = path.join(root, 'c-bad');
    const r = await encodeCorpus({ modelDir: model, manifest, outDir: out });
    const reasons = Object.fromEntries(r.failed.map((f) => [f.id, f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['corrupt', 'missing', 'nan', 'rate']);
    expect(reasons['corrupt']).toMatch(/corrupt\.wav: truncated/);
    expect(reasons['rate']).toMatch(/rate-22k\.wav: sample rate is 22050 Hz, the model takes 16000 Hz/);
    expect(reasons['nan']).toMatch(/nan\.wav: .*NaN/);
    expect(reasons['missing']).toMatch(/missing\.wav: no such file/);
    for (const reason of Object.values(reasons)) expect(reason).not.toContain('\n');
    // The failed lines stay in the manifest (the gate counts them against failedFiles); no frames for them.
    expect(lines(out).map((l) => [l['id'], typeof l['encode_error'], l['frames'] === undefined])).toEqual([
      ['test-00000', 'undefined', false],
      ['corrupt', 'string', true],
      ['rate', 'string', true],
      ['nan', 'string', true],
      ['missing', 'string', true],
    ]);
    expect(fs.readdirSync(path.join(out, 'frames'))).toEqual(['test-00000.npy']);
    const g = (
      await runGate({
        modelDir: model,
        dataDir: out,
        candidates: ['cached'],
        outDir: path.join(root, 'g-bad'),
        workers: 1,
      })
    ).report!;
    expect(g.corpus.failed.map((f) => f.id)).toEqual(['corrupt', 'rate', 'nan', 'missing']);
    expect(g.corpus.failed[1]!.reason).toBe(reasons['rate']);
    expect(g.verdict.pass).toBe(false);
    // With resampling allowed, the 22.05 kHz file is encoded (and says so).
    const r2 = await encodeCorpus({
      modelDir: model,
      manifest,
      outDir: path.join(root, 'c-bad2'),
      resample: true,
    });
    expect(r2.failed.map((f) => f.id).sort()).toEqual(['corrupt', 'missing', 'nan']);
    expect(lines(path.join(root, 'c-bad2')).find((l) => l['id'] === 'rate')!['resampled_from']).toBe(22050);
  });

  it('BAD INPUT: a bad audio manifest and a model without a streaming encoder are one-line errors naming the file', async () => {
    const bad = path.join(root, 'bad-manifest.jsonl');
    fs.writeFileSync(bad, '{"audio_filepath": "a.wav", "text": "x"}\n{"text": "y"}\n');
    await expect(
      encodeCorpus({ modelDir: model, manifest: bad, outDir: path.join(root, 'x') }),
    ).rejects.toThrow(`${bad} line 2: \`audio_filepath\` must be a non-empty string, got undefined`);
    const noEncoder = path.join(root, 'no-encoder');
    fs.mkdirSync(noEncoder);
    fs.writeFileSync(
      path.join(noEncoder, 'model.json'),
      JSON.stringify({
        ...JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')),
        encoder: undefined,
      }),
    );
    await expect(
      encodeCorpus({ modelDir: noEncoder, manifest: audio, outDir: path.join(root, 'y') }),
    ).rejects.toThrow(/model\.json: encoder\.streaming\.file is missing/);
    expect(fs.existsSync(path.join(root, 'x', 'manifest.jsonl'))).toBe(false);
    expect(setDir('synth-heldout')).toBeTruthy();
  });
});

const vadPath = sharedFixture('silero-vad-coreml/silero-vad-unified-v6.0.0.mlmodelc');

describe.skipIf(vadPath === undefined)(
  `end of speech from the real Silero VAD where the manifest has none${vadPath === undefined ? ' (SKIPPED: shared fixture silero-vad-coreml absent)' : ''}`,
  () => {
    it('finds it within 100 ms of the known ends, records the source, and the gate report says which was used', async () => {
      const manifest = writeAudioManifest(path.join(root, 'novad.jsonl'), heldoutIds, {
        withSpeechEnd: false,
      });
      const out = path.join(root, 'c-vad');
      const r = await encodeCorpus({ modelDir: model, manifest, outDir: out, vad: vadPath! });
      expect(r.provenance.endOfSpeech).toMatchObject({
        source: 'vad',
        model: vadPath,
        format: 'coreml (converted to ONNX)',
      });
      const truth = heldoutLines();
      lines(out).forEach((l, i) => {
        expect(l['speech_end_source']).toBe('vad');
        expect(Math.abs((l['speech_end'] as number) - truth[i]!.speech_end)).toBeLessThanOrEqual(0.1);
      });
      const g = (
        await runGate({
          modelDir: model,
          dataDir: out,
          candidates: ['cached'],
          outDir: path.join(root, 'g-vad'),
          workers: 1,
        })
      ).report!;
      expect(g.eou!.endOfSpeech).toEqual({ manifest: 0, vad: 6, none: 0 });
      expect(g.schedule!.endOfSpeech).toMatch(/^Silero VAD \(.*silero-vad-unified-v6\.0\.0\.mlmodelc\)/);
      expect(fs.readFileSync(path.join(root, 'g-vad', 'report.md'), 'utf8')).toContain('6 from the VAD');
      // Lines that carry their own end of speech keep it; the VAD is not even opened for them.
      const kept = await encodeCorpus({
        modelDir: model,
        manifest: audio,
        outDir: path.join(root, 'c-vad2'),
        vad: '/nonexistent.onnx',
      });
      expect(kept.provenance.endOfSpeech).toEqual({ source: 'manifest' });
      await expect(
        encodeCorpus({
          modelDir: model,
          manifest,
          outDir: path.join(root, 'c-vad3'),
          vad: '/nonexistent.onnx',
        }),
      ).rejects.toThrow('/nonexistent.onnx: no such VAD model (an .mlmodelc, .mlpackage or .onnx)');
    });
  },
);
