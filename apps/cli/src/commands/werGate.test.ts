import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCorpus, makeModelDir } from '../../test/gateFixture';
import { encodeNpy } from '@eou/rnnt-decode';
import { runCli } from '../../test/helpers';
import { deterministicPart, type GateReport } from '@eou/gate';

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const readReport = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as GateReport;

let root: string;
let model: string;
let corpus: string;
let uninterrupted: GateReport;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-gate-'));
  model = makeModelDir(path.join(root, 'model'));
  corpus = makeCorpus(path.join(root, 'corpus'), { files: 40, broken: true });
  const run = await runCli([
    'wer-gate',
    '--model',
    model,
    '--data',
    corpus,
    '--out',
    path.join(root, 'whole'),
    '--concurrency',
    '1',
  ]);
  expect(run.stderr).toBe('');
  expect([0, 1]).toContain(run.code);
  uninterrupted = readReport(path.join(root, 'whole'));
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('eou wer-gate', () => {
  it('off a terminal, prints heartbeat lines with done/total, rate and ETA (silent under the interval)', async () => {
    const args = ['wer-gate', '--model', model, '--data', corpus, '--files', '6', '--concurrency', '1'];
    const beat = await runCli([...args, '--out', path.join(root, 'beat')], {
      env: { ...process.env, EOU_PROGRESS_INTERVAL: '0' },
    });
    const lines = beat.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const l of lines)
      expect(l).toMatch(
        /^eou wer-gate: \d\/6 files \([\d.]+%\), [\d.]+ files\/s, ETA [\d:-]+, elapsed \d+:\d\d$/,
      );
    expect(lines.at(-1)).toMatch(/^eou wer-gate: 6\/6 files \(100\.0%\)/);
    expect(beat.stderr).not.toContain('\r');
  }, 60_000);

  it('writes the three reports and a verdict with every rule, threshold and value', () => {
    for (const f of ['report.json', 'report.md', 'report.html', 'results.jsonl'])
      expect(fs.existsSync(path.join(root, 'whole', f))).toBe(true);
    expect(uninterrupted.variants.map((v) => v.name)).toEqual(['ref', 'pipeline', 'lean']);
    expect(
      uninterrupted.verdict.rules.map((r) => `${r.metric} ${r.op} ${r.threshold} [${r.variant}]`),
    ).toEqual([
      'deltaWerPp <= 0.1 [pipeline]',
      'deltaWerPp <= 0.1 [lean]',
      'blowups == 0 [pipeline]',
      'blowups == 0 [lean]',
      'failedFiles <= 0 [corpus]',
      'referenceTokenFiles > 0 [corpus]',
    ]);
    // The fixture corpus has three undecodable files: the verdict counts them against the gate.
    expect(uninterrupted.verdict.pass).toBe(false);
    expect(uninterrupted.verdict.rules.find((r) => r.metric === 'failedFiles')).toMatchObject({
      value: 3,
      pass: false,
    });
    expect(uninterrupted.variants.every((v) => v.words === uninterrupted.corpus.words && v.words > 0)).toBe(
      true,
    );
  });

  it('decodes the pipeline variant token-identically to ref', () => {
    expect(uninterrupted.variants.find((v) => v.name === 'pipeline')!.seqDiffVsRef).toBe(0);
  });

  it('reports files that cannot be decoded with their reason, and scores the rest', () => {
    const failed = uninterrupted.corpus.failed;
    expect(failed.map((f) => f.id)).toEqual(['utt-0003', 'utt-0005', 'utt-0007']);
    expect(failed[0]!.reason).toMatch(/utt-0003\.npy: non-finite value NaN at frame 0/);
    expect(failed[1]!.reason).toMatch(/utt-0005\.npy/);
    expect(failed[2]!.reason).toMatch(/missing-utt-0007\.npy/);
    expect(uninterrupted.corpus.files).toBe(40);
    expect(uninterrupted.corpus.scoredFiles).toBe(37);
  });

  it('gives the same report from shards merged as from one run', async () => {
    for (const i of [1, 2, 3]) {
      const run = await runCli([
        'wer-gate',
        '--model',
        model,
        '--data',
        corpus,
        '--shard',
        `${i}/3`,
        '--out',
        path.join(root, `shard${i}`),
        '--concurrency',
        '1',
      ]);
      expect(run.code).toBe(0);
    }
    const merged = await runCli([
      'wer-gate',
      'merge',
      ...[1, 2, 3].map((i) => path.join(root, `shard${i}`)),
      '--out',
      path.join(root, 'merged'),
      '--json',
    ]);
    expect([0, 1]).toContain(merged.code);
    const report = JSON.parse(merged.stdout) as GateReport;
    expect(deterministicPart(report)).toEqual(deterministicPart(uninterrupted));
    expect(report.provenance.shards).toEqual(['1/3', '2/3', '3/3']);
  });

  it('EXPECTED FAILURE - merge refuses a missing shard', async () => {
    const run = await runCli([
      'wer-gate',
      'merge',
      path.join(root, 'shard1'),
      path.join(root, 'shard3'),
      '--out',
      path.join(root, 'bad-merge'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('eou wer-gate merge: shard(s) 2/3 missing\n');
  });

  it('resumes a run killed with SIGKILL and ends with the same report', async () => {
    const big = makeCorpus(path.join(root, 'big'), { files: 400, frames: 40, seed: 3 });
    const ref = await runCli([
      'wer-gate',
      '--model',
      model,
      '--data',
      big,
      '--out',
      path.join(root, 'big-whole'),
      '--concurrency',
      '1',
    ]);
    expect([0, 1]).toContain(ref.code);
    const out = path.join(root, 'big-killed');
    const results = path.join(out, 'results.jsonl');
    const child = spawn(
      process.execPath,
      [bin, 'wer-gate', '--model', model, '--data', big, '--out', out, '--concurrency', '1'],
      { stdio: 'ignore' },
    );
    const linesAtKill = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const lines = fs.existsSync(results) ? fs.readFileSync(results, 'utf8').split('\n').length - 1 : 0;
        if (lines >= 30) {
          child.kill('SIGKILL');
          clearInterval(timer);
          resolve(lines);
        }
      }, 2);
      child.on('exit', (code) => {
        clearInterval(timer);
        reject(
          new Error(
            `the gate exited (code ${code}) before it could be killed: a crash, or the corpus is too small`,
          ),
        );
      });
    });
    await new Promise((r) => child.on('exit', r));
    expect(linesAtKill).toBeLessThan(401);
    expect(fs.existsSync(path.join(out, 'report.json'))).toBe(false);
    const resumed = await runCli([
      'wer-gate',
      '--model',
      model,
      '--data',
      big,
      '--out',
      out,
      '--concurrency',
      '1',
    ]);
    expect(resumed.stderr).toMatch(/resumed .*results\.jsonl \(\d+ files already done\)/);
    expect(deterministicPart(readReport(out))).toEqual(
      deterministicPart(readReport(path.join(root, 'big-whole'))),
    );
  }, 120_000);

  it('BAD CALL - a model directory that is not one exits 2 with one line', async () => {
    const run = await runCli([
      'wer-gate',
      '--model',
      corpus,
      '--data',
      corpus,
      '--out',
      path.join(root, 'x'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${corpus}: not a model directory (no model.json)\n`);
  });

  it('builds a variant the model directory lacks on first use, in the cache, saying which', async () => {
    const before = fs.readdirSync(model).sort();
    const run = await runCli([
      'wer-gate',
      '--model',
      model,
      '--data',
      corpus,
      '--candidates',
      'lean-topk',
      '--out',
      path.join(root, 'y'),
    ]);
    expect([0, 1]).toContain(run.code);
    expect(run.stderr).toMatch(
      /^eou wer-gate: building the lean-topk variant from .*'s decoder and joint into .*\(once: later runs reuse it; `eou fuse --model .* --variant lean-topk` builds it in place\)\n/,
    );
    expect(fs.readdirSync(model).sort()).toEqual(before);
    const again = await runCli([
      'wer-gate',
      '--model',
      model,
      '--data',
      corpus,
      '--candidates',
      'lean-topk',
      '--out',
      path.join(root, 'y2'),
    ]);
    expect(again.stderr).not.toContain('building');
  }, 60_000);

  it('EXPECTED FAILURE - a corpus whose frames fit no file of the model exits 2 with the first reason', async () => {
    const wide = makeCorpus(path.join(root, 'wide'), { files: 3 });
    for (const f of fs.readdirSync(path.join(wide, 'frames'))) {
      fs.writeFileSync(path.join(wide, 'frames', f), encodeNpy(new Float32Array(4 * 5), [4, 5]));
    }
    const run = await runCli([
      'wer-gate',
      '--model',
      model,
      '--data',
      wide,
      '--out',
      path.join(root, 'wide-out'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /: no file could be decoded \(3 failed; first: .*utt-0000\.npy: frames must be \[N,12\], got \[4,5\]\)\n$/,
    );
  });

  it('reports a manifest line without text as a failed file and scores the others', async () => {
    const partial = makeCorpus(path.join(root, 'partial'), { files: 4 });
    const manifestFile = path.join(partial, 'manifest.jsonl');
    const lines = fs.readFileSync(manifestFile, 'utf8').trim().split('\n');
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    delete second.text;
    lines[1] = JSON.stringify(second);
    fs.writeFileSync(manifestFile, lines.join('\n') + '\n');
    const run = await runCli([
      'wer-gate',
      '--model',
      model,
      '--data',
      partial,
      '--out',
      path.join(root, 'partial-out'),
      '--json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as GateReport;
    expect(report.corpus.scoredFiles).toBe(3);
    expect(report.corpus.failed).toEqual([
      { id: 'utt-0001', reason: `${manifestFile} line 2: \`text\` must be a string, got undefined` },
    ]);
  });

  it('EXPECTED FAILURE - a fused variant built from other weights is refused, naming the file and the fix', async () => {
    const stale = makeModelDir(path.join(root, 'stale'), 7, ['lean']);
    // Rebuild decoder/joint from other weights; the lean file still holds the old ones.
    const other = makeModelDir(path.join(root, 'other'), 8, []);
    for (const f of ['decoder.onnx', 'joint_decision.onnx'])
      fs.copyFileSync(path.join(other, f), path.join(stale, f));
    const run = await runCli([
      'wer-gate',
      '--model',
      stale,
      '--data',
      corpus,
      '--candidates',
      'lean',
      '--out',
      path.join(root, 'stale-out'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /decoder_joint_decision_fused\.onnx: built from decoder\.onnx sha256 [0-9a-f]{12}, the directory now has [0-9a-f]{12}; rebuild it with `eou fuse/,
    );
  });

  it('BAD CALL - --set and --synthetic do not mix with --model/--data, and --set names a shipped set', async () => {
    const cases: [string[], string][] = [
      [
        ['--synthetic', '--data', corpus],
        'eou wer-gate: --synthetic makes its own model and corpus; drop --data\n',
      ],
      [
        ['--set', 'asterisk', '--model', model],
        'eou wer-gate: --set names a set of the embedded model; drop --model\n',
      ],
      [['--set', 'nope'], "--set: expected synth-heldout, asterisk, librivox, got 'nope'\n"],
    ];
    for (const [argv, stderr] of cases) {
      const run = await runCli(['wer-gate', ...argv, '--out', path.join(root, 'never')]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(stderr);
    }
    expect(fs.existsSync(path.join(root, 'never'))).toBe(false);
  });

  it('BAD CALL - rejects a malformed --shard', async () => {
    const run = await runCli(['wer-gate', '--model', model, '--data', corpus, '--shard', '4/3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("--shard: expected i/n with 1 <= i <= n (e.g. 2/4), or auto, got '4/3'\n");
  });
});
