import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

const dir = mkdtempSync(path.join(os.tmpdir(), 'eou-wer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const ref = file('ref.txt', 'u1 the cat sat on the mat\nu2 hello\tworld\nu3 \n');
const hyp = file('hyp.txt', 'u2 Hello\u00a0world\nu1 the cat sit on mat\nu3 uh\n');

describe('eou wer', () => {
  it('prints one JSON document with the DESIGN fields (hand-checked counts)', async () => {
    const run = await runCli(['wer', '--ref', ref, '--hyp', hyp, '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout);
    // u1: sat->sit, "the" deleted; u2: Hello != hello (no normaliser); u3: empty reference, "uh" inserted.
    expect(doc).toMatchObject({
      errors: 4,
      substitutions: 2,
      deletions: 1,
      insertions: 1,
      hits: 5,
      referenceWords: 8,
      utterances: 3,
      missingInHyp: [],
      missingInRef: [],
      unit: 'word',
      normalizer: 'none',
    });
    expect(doc.wer).toBeCloseTo(0.5, 12);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('applies the harness normaliser (lower-case) when asked', async () => {
    const doc = JSON.parse(
      (await runCli(['wer', '--ref', ref, '--hyp', hyp, '--json', '--normalizer', 'harness'])).stdout,
    );
    expect(doc.errors).toBe(3);
  });

  it('scores characters with --cer', async () => {
    const r = file('cref.txt', 'a abc\n');
    const h = file('chyp.txt', 'a abd\n');
    const run = await runCli(['wer', '--ref', r, '--hyp', h, '--cer', '--format', 'kaldi', '--json']);
    const doc = JSON.parse(run.stdout);
    expect([doc.errors, doc.referenceWords, doc.unit, doc.cer]).toEqual([1, 3, 'character', 1 / 3]);
    const text = await runCli(['wer', '--ref', r, '--hyp', h, '--cer', '--format', 'kaldi']);
    expect(text.stdout).toContain('CER 33.333% (1 errors / 3 reference characters, 1 utterances)');
    expect(text.stdout).not.toContain('reference words');
  });

  it('prints a text summary and the alignment, skipping correct utterances', async () => {
    const run = await runCli([
      'wer',
      '--ref',
      ref,
      '--hyp',
      hyp,
      '--alignment',
      '--skip-correct',
      '--normalizer',
      'harness',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'u1\nREF: the cat sat on the mat\nHYP: the cat sit on *** mat\n             S      D',
    );
    expect(run.stdout).not.toContain('\nu2\n');
    expect(run.stdout).toContain('WER 37.500% (3 errors / 8 reference words, 3 utterances)');
  });

  it('reports ids found on one side only and scores them as empty with --allow-missing', async () => {
    const h = file('hyp-missing.txt', 'u1 the cat sat on the mat\nu9 extra words\n');
    const run = await runCli(['wer', '--ref', ref, '--hyp', h, '--json', '--allow-missing']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.missingInHyp).toEqual(['u2', 'u3']);
    expect(doc.missingInRef).toEqual(['u9']);
    // u2's two words deleted, u9's two words inserted.
    expect([doc.deletions, doc.insertions, doc.errors]).toEqual([2, 2, 4]);
    expect(run.stderr).toContain('2 id(s) of');
    expect(run.stderr).toContain('scored as all deletions: u2, u3');
    expect(run.stderr).toContain('scored as all insertions: u9');
  });

  it('EXPECTED FAILURE - ids on one side only exit 2 with one line naming both files and the first id', async () => {
    const h = file('hyp-short.txt', 'u1 the cat\n');
    const run = await runCli(['wer', '--ref', ref, '--hyp', h]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(
      /^eou wer: 2 id\(s\) of .*ref\.txt missing in .*hyp-short\.txt \(first: 'u2'\); pass --allow-missing/,
    );
  });

  it('EXPECTED FAILURE - a duplicate id exits 2 naming the file and line', async () => {
    const h = file('hyp-dup.txt', 'u1 a\nu2 b\nu1 c\n');
    // Detected, a repeated first word makes the file plain, which cannot pair with an id-keyed one.
    const detected = await runCli(['wer', '--ref', ref, '--hyp', h]);
    expect(detected.code).toBe(2);
    expect(detected.stderr).toContain(
      `${h} is plain: a line-paired file cannot be paired with an id-keyed one; name --format`,
    );
    const run = await runCli(['wer', '--ref', ref, '--hyp', h, '--format', 'kaldi']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`eou wer: ${h}:3: duplicate utterance id 'u1' (first at line 1)\n`);
  });

  it('EXPECTED FAILURE - binary garbage exits 2 naming the file and line', async () => {
    const bin = file(
      'garbage.bin',
      new Uint8Array([0x75, 0x31, 0x20, 0x61, 0x0a, 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    );
    const run = await runCli(['wer', '--ref', ref, '--hyp', bin]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`eou wer: ${bin}:2: not a text file (NUL byte at offset 9)\n`);
    const utf = file('latin1.txt', new Uint8Array([0x75, 0x31, 0x20, 0xe9, 0x0a]));
    const run2 = await runCli(['wer', '--ref', utf, '--hyp', hyp]);
    expect(run2.stderr).toBe(`eou wer: ${utf}:1: not a text file (invalid UTF-8)\n`);
  });

  it('EXPECTED FAILURE - a line without an id exits 2 naming the file and line', async () => {
    const h = file('hyp-noid.txt', 'u1 a\n   b c\n');
    const run = await runCli(['wer', '--ref', ref, '--hyp', h, '--format', 'kaldi']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`eou wer: ${h}:2: line has no utterance id (it starts with whitespace)\n`);
  });

  it('BAD CALL - a missing file, a missing flag and an unknown normaliser exit 2 with one line', async () => {
    const missing = await runCli(['wer', '--ref', path.join(dir, 'nope.txt'), '--hyp', hyp]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `eou wer: --ref ${path.join(dir, 'nope.txt')}: no such file\n`,
    ]);
    const noHyp = await runCli(['wer', '--ref', ref]);
    expect([noHyp.code, noHyp.stderr]).toEqual([
      2,
      'eou wer: --hyp FILE is required (see `eou wer --help`)\n',
    ]);
    const badNorm = await runCli(['wer', '--ref', ref, '--hyp', hyp, '--normalizer', 'whisper']);
    expect([badNorm.code, badNorm.stderr]).toEqual([
      2,
      "eou wer: --normalizer: unknown normalizer 'whisper' (known: harness, production, none)\n",
    ]);
  });

  it('lists every flag in --help', async () => {
    const run = await runCli(['wer', '--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--ref FILE',
      '--hyp FILE',
      '--json',
      '--normalizer NAME',
      '--cer',
      '--alignment',
      '--skip-correct',
      '--allow-missing',
    ])
      expect(run.stdout).toContain(flag);
  });
});
