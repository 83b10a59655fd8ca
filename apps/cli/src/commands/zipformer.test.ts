import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedFixture } from '@eou/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

const zipformer = sharedFixture('zipformer-kws-gigaspeech-3.3M');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-cli-zipformer-'));
const env = { ...process.env, EOU_CACHE_DIR: path.join(root, 'cache') };
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The fixture's two LibriSpeech clips as a NeMo manifest (references from trans.txt). */
function manifest(dir: string): string {
  const lines = fs
    .readFileSync(path.join(dir, 'test_wavs', 'trans.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const name = l.slice(0, l.indexOf(' '));
      return JSON.stringify({
        id: name.replace('.wav', ''),
        audio_filepath: path.join(dir, 'test_wavs', name),
        text: l.slice(l.indexOf(' ') + 1).toLowerCase(),
      });
    });
  const file = path.join(root, 'librispeech.jsonl');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe.skipIf(zipformer === undefined)(
  `the sherpa-onnx zipformer directory (no model.json) on every audio path${zipformer === undefined ? ' (SKIPPED: shared fixture zipformer-kws-gigaspeech-3.3M absent)' : ''}`,
  () => {
    const dir = zipformer!;

    it('eou transcribe prints the transcripts of test_wavs/*.wav (3 word errors in 66, as sherpa-onnx)', async () => {
      const wavs = ['0.wav', '1.wav'].map((f) => path.join(dir, 'test_wavs', f));
      const r = await runCli(['transcribe', '--model', dir, ...wavs], { env });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        'text: AFTER EARLY NIGHTFALL THE YELLOW LAMPS WOULD LIGHT UP HERE AND THERE THE SQUALID QUARTER OF THE BRAFFLES\n',
      );
      expect(r.stdout).toContain(
        'text: GOD AS A DIRECT CONSEQUENCE OF THE SIN WHICH MAN THUS PUNISHED HAD GIVEN HER A LOVELY CHILD WHOSE PLACE WAS ON THAT SAME DISHONOURED BOSOM TO CONNECT HER PARENT FOREVER WITH THE RACE AND DESCENT OF MORTALS AND TO BE FINALLY A BLESSED SOUL IN HEAVEN\n',
      );
      expect(r.stdout).toContain('(zipformer2-320ms;');
      expect(r.stdout).toMatch(/2\/2 files transcribed\n$/);
    });

    it('eou wer-gate --audio-manifest gates the int8 prediction net and joiner, and a variant declared by file', async () => {
      const out = path.join(root, 'gate');
      const r = await runCli(
        [
          'wer-gate',
          '--model',
          dir,
          '--audio-manifest',
          manifest(dir),
          '--variant',
          'mixed=decoder.int8.onnx,joiner.onnx',
          '--candidates',
          'int8-both,mixed',
          '--concurrency',
          '1',
          '--out',
          out,
          '--json',
        ],
        { env },
      );
      expect(r.stderr).not.toMatch(/error/i);
      const report = JSON.parse(r.stdout) as {
        corpus: { words: number; scoredFiles: number };
        variants: { name: string; errors: number; wer: number }[];
      };
      expect(report.corpus).toMatchObject({ words: 66, scoredFiles: 2 });
      const byName = Object.fromEntries(report.variants.map((v) => [v.name, v.errors]));
      expect(byName['ref']).toBe(3);
      expect(Object.keys(byName)).toEqual(['ref', 'int8-both', 'mixed']);
      // No <EOU> token: the EOU policy does nothing (and with no end of speech in the manifest no endpoint
      // timing is replayed); the reports say so.
      expect(report).toMatchObject({ corpus: { eouId: null } });
      expect(report).not.toHaveProperty('eou');
      const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
      expect(md.split('\n')[2]).toContain('normaliser, no EOU token: the EOU policy has no effect, schedule');
      expect(md).not.toMatch(/EOU (stop-chunk|reset)/);
      // `mixed` is int8-decoder by another name: the same files, so the same decode.
      const gate2 = path.join(root, 'gate2');
      const encoded = await runCli(
        [
          'wer-gate',
          '--model',
          dir,
          '--audio-manifest',
          manifest(dir),
          '--candidates',
          'int8-decoder',
          '--concurrency',
          '1',
          '--out',
          gate2,
        ],
        { env },
      );
      expect(encoded.stdout).toMatch(
        /^(PASS|FAIL) {2}schedule zipformer2-320ms \(no EOU token: the EOU policy has no effect\): 2 files, 66 words\n/,
      );
      const again = JSON.parse(fs.readFileSync(path.join(gate2, 'report.json'), 'utf8')) as typeof report;
      expect(again.variants.find((v) => v.name === 'int8-decoder')!.errors).toBe(byName['mixed']);
    });

    it('eou encode writes a frames corpus under the schedule the directory declares', async () => {
      const out = path.join(root, 'encoded');
      const r = await runCli(['encode', '--model', dir, '--manifest', manifest(dir), '--out', out], { env });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/2\/2 files encoded under schedule zipformer2-320ms into /);
      const lines = fs.readFileSync(path.join(out, 'manifest.jsonl'), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(2);
    });

    it('eou bench --e2e prices the variants side by side from audio', async () => {
      const r = await runCli(
        [
          'bench',
          '--e2e',
          '--quick',
          '--model',
          dir,
          '--manifest',
          manifest(dir),
          '--variants',
          'ref,int8-both',
          '--json',
        ],
        { env },
      );
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as {
        suite: string;
        variants: { name: string; identicalFiles: number }[];
      };
      expect(doc.suite).toBe('e2e');
      expect(doc.variants.map((v) => v.name)).toEqual(['ref', 'int8-both']);
    });

    it('eou bench times the stateless step (prediction net on a context + joint) of every variant side by side', async () => {
      const r = await runCli(
        [
          'bench',
          '--quick',
          '--model',
          dir,
          '--variants',
          'ref,int8-decoder,int8-joiner,int8-both',
          '--out',
          path.join(root, 'bench.json'),
          '--json',
        ],
        { env },
      );
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { suites: { name: string; arms: { name: string }[] }[] };
      const step = doc.suites.find((s) => s.name === 'step')!;
      expect(step.arms.map((a) => a.name)).toEqual(['ref', 'int8-decoder', 'int8-joiner', 'int8-both']);
    });

    it('EXPECTED FAILURE - an eou-layout name or a bad declaration is one line naming the choices', async () => {
      const r = await runCli(
        ['wer-gate', '--model', dir, '--audio-manifest', manifest(dir), '--candidates', 'lean'],
        { env },
      );
      expect([r.code, r.stderr]).toEqual([
        2,
        `unknown variant 'lean': variant must be one of ref, int8-decoder, int8-joiner, int8-both, got "lean"\n`,
      ]);
      const d = await runCli(
        [
          'wer-gate',
          '--model',
          dir,
          '--audio-manifest',
          manifest(dir),
          '--variant',
          'x=a.onnx',
          '--candidates',
          'x',
        ],
        { env },
      );
      expect([d.code, d.stderr]).toEqual([
        2,
        'eou wer-gate: --variant: variant declaration "x=a.onnx": a sherpa-onnx model takes 2 files (decoder, joiner), got 1\n',
      ]);
    });
  },
);
