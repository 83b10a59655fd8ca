import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'eou-wer-long-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eou wer on long and empty utterances', () => {
  it('EXPECTED FAILURE - scores one 60,000-word line in bounded memory (the full matrix needs ~800 MB)', () => {
    // Every 10th word replaced by a token the reference lacks: exactly 6,000 substitutions.
    const n = 60_000;
    const ref = Array.from({ length: n }, (_, i) => `w${(i * 7919) % 5000}`);
    const hyp = ref.map((w, i) => (i % 10 === 0 ? `x${i}` : w));
    writeFileSync(path.join(dir, 'ref.txt'), ref.join(' ') + '\n');
    writeFileSync(path.join(dir, 'hyp.txt'), hyp.join(' ') + '\n');
    // Reports the child's peak RSS on exit (process.resourceUsage: kilobytes).
    const probe = path.join(dir, 'rss.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write(`maxrss-kb ${process.resourceUsage().maxRSS}\\n`));\n",
    );
    const run = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=128',
        '--require',
        probe,
        bin,
        'wer',
        '--ref',
        'ref.txt',
        '--hyp',
        'hyp.txt',
        '--format',
        'plain',
        '--json',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect([doc.substitutions, doc.deletions, doc.insertions, doc.hits]).toEqual([6000, 0, 0, n - 6000]);
    const kb = Number(/maxrss-kb (\d+)/.exec(run.stderr)?.[1]);
    expect(kb).toBeGreaterThan(0);
    expect(kb / 1024).toBeLessThan(400);
    console.log(`eou wer, one ${n}-word line: peak RSS ${(kb / 1024).toFixed(0)} MiB`);
  });

  it('EXPECTED FAILURE - zero reference words is an undefined WER, not 0 % (exit 0, documented)', async () => {
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, 'u1 \nu2\n');
    const hyp = path.join(dir, 'words.txt');
    writeFileSync(hyp, 'u1 some words\nu2\n');
    for (const h of [empty, hyp]) {
      const text = await runCli(['wer', '--ref', empty, '--hyp', h, '--format', 'kaldi']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^WER undefined: no reference words/m);
      expect(text.stdout).not.toMatch(/WER \d/);
      const json = await runCli(['wer', '--ref', empty, '--hyp', h, '--format', 'kaldi', '--json']);
      const doc = JSON.parse(json.stdout);
      expect([doc.wer, doc.referenceWords, doc.rate.defined, doc.rate.reason]).toEqual([
        null,
        0,
        false,
        'no-reference-words',
      ]);
    }
    const help = await runCli(['wer', '--help']);
    expect(help.stdout).toContain('no reference words: the WER is undefined');
  });
});
