import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '@eou/frontend';
import { setDir } from '@eou/tiny-eou-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const clipDir = path.resolve(
  here,
  '..',
  '..',
  '..',
  '..',
  'packages',
  'frontend',
  'test',
  'fixtures',
  'heldout',
);
const ids = ['test-00000', 'test-00004', 'test-00015'];
const clip = (id: string) => path.join(clipDir, `${id}.flac`);

let root: string;
let env: NodeJS.ProcessEnv;
let manifest: string;
const shipped = new Map(
  fs
    .readFileSync(path.join(setDir('synth-heldout'), 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as {
          id: string;
          text: string;
          duration: number;
          speech_end: number;
          speech_start: number;
        },
    )
    .map((m) => [m.id, m]),
);

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-cli-audio-'));
  env = { ...process.env, EOU_CACHE_DIR: path.join(root, 'cache') };
  manifest = path.join(root, 'audio.jsonl');
  fs.writeFileSync(
    manifest,
    ids
      .map((id) => {
        const m = shipped.get(id)!;
        return JSON.stringify({
          id,
          audio_filepath: clip(id),
          text: m.text,
          duration: m.duration,
          speech_end: m.speech_end,
        });
      })
      .join('\n') + '\n',
  );
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const cli = (argv: string[]) => runCli(argv, { env, cwd: root });

describe('eou transcribe', () => {
  it('prints text, tokens with times, EOU times and RTFx; the tokens are `eou decode`s on the shipped frames', async () => {
    const r = await cli(['transcribe', ...ids.map(clip), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      schedule: string;
      files: {
        file: string;
        text: string;
        tokens: number[];
        tokenTimesMs: number[];
        eouTimesMs: number[];
        audioSeconds: number;
        rtfx: number;
      }[];
    };
    expect(doc.schedule).toBe('tiny-160ms');
    expect(doc.files.map((f) => f.file)).toEqual(ids.map(clip));
    for (const [i, f] of doc.files.entries()) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          'file',
          'text',
          'tokens',
          'tokenTimesMs',
          'eouTimesMs',
          'audioSeconds',
          'rtfx',
        ]),
      );
      expect(f.audioSeconds).toBeCloseTo(shipped.get(ids[i]!)!.duration, 2);
      expect(f.rtfx).toBeGreaterThan(0);
      // The whole-utterance frames decoded with the production policy (stop-chunk) in the stream's chunks of 2.
      const d = await cli([
        'decode',
        '--frames',
        path.join(setDir('synth-heldout'), 'frames', `${ids[i]}.npy`),
        '--eou-policy',
        'stop-chunk',
        '--chunk-frames',
        '2',
        '--json',
      ]);
      expect(d.code, d.stderr).toBe(0);
      const dec = JSON.parse(d.stdout) as { tokens: number[]; frames: number[]; text: string };
      expect(f.tokens).toEqual(dec.tokens);
      expect(f.tokenTimesMs).toEqual(dec.frames.map((fr) => fr * 80));
      expect(f.text).toBe(dec.text);
    }
    const text = await cli(['transcribe', clip('test-00000'), '--pad-silence-ms', '2000']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('text: four eight one');
    expect(text.stdout).toContain('tokens: ▁four@480 ▁eight@880 ▁one@1040');
    expect(text.stdout).toContain('EOU: 3360 ms');
  });

  it('a corrupt file in a batch is a failed entry with a one-line reason; the rest goes on; exit 2', async () => {
    const corrupt = path.join(root, 'corrupt.wav');
    fs.writeFileSync(corrupt, encodeWav(new Float32Array(8000), 16000).subarray(0, 500));
    const r = await cli(['transcribe', clip('test-00000'), corrupt, '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as {
      files: { file: string; error?: string; text?: string }[];
      failed: number;
    };
    expect(doc.failed).toBe(1);
    expect(doc.files[0]!.text).toBe('four eight one');
    expect(doc.files[1]!.error).toMatch(/corrupt\.wav: truncated/);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^eou transcribe: .*corrupt\.wav: truncated/),
    ]);
    const m = await cli(['transcribe', '--manifest', manifest, '--schedule', 'nope']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/^eou transcribe: --schedule: schedule must be one of tiny-160ms, harness/);
  });
});

describe('eou encode and wer-gate --data', () => {
  it('encodes an audio manifest into a corpus whose gate report equals the shipped frames one (same tokens, WER, EOU, verdict)', async () => {
    const out = path.join(root, 'corpus');
    const e = await cli(['encode', '--manifest', manifest, '--out', out, '--dtype', 'float16', '--json']);
    expect(e.code, e.stderr).toBe(0);
    const res = JSON.parse(e.stdout) as {
      schedule: string;
      files: number;
      failed: unknown[];
      provenance: { encoder: { file: string } };
    };
    expect([res.schedule, res.files, res.failed, res.provenance.encoder.file]).toEqual([
      'tiny-160ms',
      3,
      [],
      'encoder_streaming.onnx',
    ]);
    // The same files' shipped frames as a corpus.
    const ship = path.join(root, 'shipped');
    fs.mkdirSync(path.join(ship, 'frames'), { recursive: true });
    // Copied: the gate refuses frames that resolve outside the corpus (a symlink to the shipped set).
    for (const id of ids)
      fs.copyFileSync(
        path.join(setDir('synth-heldout'), 'frames', `${id}.npy`),
        path.join(ship, 'frames', `${id}.npy`),
      );
    fs.writeFileSync(
      path.join(ship, 'manifest.jsonl'),
      ids.map((id) => JSON.stringify({ ...shipped.get(id)!, frames: `frames/${id}.npy` })).join('\n') + '\n',
    );
    const a = await cli([
      'wer-gate',
      '--data',
      out,
      '--candidates',
      'lean',
      '--out',
      path.join(root, 'g1'),
      '--json',
      '--concurrency',
      '1',
    ]);
    const b = await cli([
      'wer-gate',
      '--data',
      ship,
      '--candidates',
      'lean',
      '--out',
      path.join(root, 'g2'),
      '--json',
      '--concurrency',
      '1',
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [ra, rb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)] as Record<string, unknown>[];
    for (const key of ['verdict', 'variants', 'blowups', 'significance', 'eou', 'perFileDeltas'])
      expect(ra![key], key).toEqual(rb![key]);
    expect((ra!['schedule'] as { name: string }).name).toBe('tiny-160ms');
    // A rerun resumes: nothing is encoded again.
    const again = await cli(['encode', '--manifest', manifest, '--out', out, '--dtype', 'float16']);
    expect(again.stdout).toMatch(
      /3\/3 files encoded under schedule tiny-160ms into .* \(0 now, 3 resumed; corpus [0-9a-f]{16}\)/,
    );
  });

  it('BAD INPUT: a manifest pointing at a missing file and a wrong-rate file are failed entries, exit 2; a missing manifest is one line', async () => {
    const rate = path.join(root, 'rate.wav');
    fs.writeFileSync(
      rate,
      encodeWav(
        Float32Array.from({ length: 8000 }, (_, i) => Math.sin(i / 4) * 0.1),
        22050,
      ),
    );
    const bad = path.join(root, 'bad.jsonl');
    fs.writeFileSync(
      bad,
      [
        JSON.stringify({ id: 'ok', audio_filepath: clip('test-00000'), text: 'four eight one' }),
        JSON.stringify({ id: 'gone', audio_filepath: path.join(root, 'gone.wav'), text: 'x' }),
        JSON.stringify({ id: 'rate', audio_filepath: rate, text: 'x' }),
      ].join('\n') + '\n',
    );
    const out = path.join(root, 'bad-corpus');
    const r = await cli(['encode', '--manifest', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `eou encode: ${path.join(root, 'gone.wav')}: no such file`,
      `eou encode: ${rate}: sample rate is 22050 Hz, the model takes 16000 Hz (allow resampling, or convert the file)`,
    ]);
    expect(r.stdout).toContain('1/3 files encoded');
    // The gate on it lists both as files that could not be decoded, with the same reasons.
    const g = await cli([
      'wer-gate',
      '--data',
      out,
      '--candidates',
      'cached',
      '--out',
      path.join(root, 'g-bad'),
      '--json',
    ]);
    expect(g.code).toBe(1);
    expect(
      (JSON.parse(g.stdout) as { corpus: { failed: { id: string }[] } }).corpus.failed.map((f) => f.id),
    ).toEqual(['gone', 'rate']);
    const missing = await cli(['encode', '--manifest', path.join(root, 'nope.jsonl'), '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `eou encode: --manifest: ${path.join(root, 'nope.jsonl')}: no such file or directory\n`,
    );
  });
});

describe('eou wer-gate --audio-manifest', () => {
  it('gates the same candidates under two schedules side by side, with EOU rules from the command line', async () => {
    const out = path.join(root, 'ag');
    const r = await cli([
      'wer-gate',
      '--audio-manifest',
      manifest,
      '--schedule',
      'tiny-160ms,tiny-160ms+harness',
      '--candidates',
      'lean',
      '--rule',
      'eouLatencyP90DeltaMs <= 40',
      '--out',
      out,
      '--concurrency',
      '1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}schedule tiny-160ms \(EOU stop-chunk\): 3 files/);
    expect(r.stdout).toMatch(/PASS {2}schedule tiny-160ms\+harness \(EOU reset\): 3 files/);
    expect(r.stdout).toMatch(/EOU p50\/p90 \d+\/\d+ ms, early 0, missed 0/);
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as {
      format: string;
      schedules: { schedule: string; variants: { name: string; eouLatencyP90Ms: number | null }[] }[];
    };
    expect(doc.format).toBe('eou-wer-gate-schedules/1');
    expect(doc.schedules.map((s) => s.schedule)).toEqual(['tiny-160ms', 'tiny-160ms+harness']);
    const one = JSON.parse(fs.readFileSync(path.join(out, 'tiny-160ms', 'report.json'), 'utf8')) as {
      verdict: { rules: { name: string; variant: string }[] };
    };
    expect(one.verdict.rules.filter((x) => x.name === 'eouLatencyP90DeltaMs <= 40').length).toBe(2); // given + default
    const bad = await cli(['wer-gate', '--audio-manifest', manifest, '--data', root]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'eou wer-gate: --audio-manifest gates audio; drop --data (a frames corpus)\n',
    ]);
    const sched = await cli(['wer-gate', '--schedule', 'harness']);
    expect([sched.code, sched.stderr]).toEqual([
      2,
      'eou wer-gate: --schedule needs --audio-manifest (cached frames are already encoded)\n',
    ]);
    const rule = await cli(['wer-gate', '--rule', 'eouLatencyP90 <= 40']);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/--rule: `rule.metric` must be one of deltaWerPp, .*eouLatencyP90DeltaMs/);
  });
});

describe('eou bench --e2e', () => {
  it('prints per-variant RTFx with intervals, the stage split and the decode-to-e2e ratio as JSON', async () => {
    const model = path.join(root, 'model');
    // The embedded model with its lean variant, as the other commands prepared it in the cache.
    const cached = fs.readdirSync(path.join(root, 'cache', 'models')).find((d) => d.startsWith('tiny-eou-'))!;
    fs.cpSync(path.join(root, 'cache', 'models', cached), model, { recursive: true });
    const r = await cli([
      'bench',
      '--e2e',
      '--model',
      model,
      '--manifest',
      manifest,
      '--variants',
      'ref,lean',
      '--quick',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      suite: string;
      schedule: string;
      files: number;
      variants: {
        name: string;
        rtfx: { median: number; ciLow: number; ciHigh: number };
        stages: { shares: Record<string, number> };
        vsBaseline: null | {
          e2eSpeedup: { ratio: number };
          decodeSpeedup: { ratio: number };
          decodeToE2eRatio: number;
        };
      }[];
    };
    expect([doc.suite, doc.schedule, doc.files]).toEqual(['e2e', 'tiny-160ms', 3]);
    expect(doc.variants.map((v) => v.name)).toEqual(['ref', 'lean']);
    expect(doc.variants[0]!.rtfx.ciLow).toBeLessThanOrEqual(doc.variants[0]!.rtfx.median);
    expect(Object.keys(doc.variants[0]!.stages.shares)).toEqual(['features', 'encoder', 'decode', 'other']);
    const vs = doc.variants[1]!.vsBaseline!;
    expect(vs.decodeToE2eRatio).toBeCloseTo(vs.decodeSpeedup.ratio / vs.e2eSpeedup.ratio, 9);
    const noManifest = await cli(['bench', '--e2e', '--model', model, '--variants', 'ref']);
    expect([noManifest.code, noManifest.stderr]).toEqual([
      2,
      'eou bench: --e2e needs --manifest M (an audio manifest: NeMo JSONL, Kaldi wav.scp or data dir)\n',
    ]);
    const noE2e = await cli(['bench', '--model', model, '--manifest', manifest]);
    expect([noE2e.code, noE2e.stderr]).toEqual([2, 'eou bench: --manifest needs --e2e\n']);
  });
});
