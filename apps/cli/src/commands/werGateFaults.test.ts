/**
 * `eou wer-gate` under faults, as a user meets them (issue 19): two gates on one `--out`, a
 * `--concurrency` beyond the cores, overlapping shards merged, a failed start then the corrected rerun.
 * The gate's own fault-injection suite (packages/gate/src/faultInjection.test.ts) covers the rest.
 */
import fs from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicPart, type GateReport } from '@eou/gate';
import { makeCorpus, makeModelDir } from '../../test/gateFixture';
import { runCli } from '../../test/helpers';

const FILES = 40;
let root: string;
let model: string;
let corpus: string;
let uninterrupted: string;
const gate = (out: string, ...more: string[]) => [
  'wer-gate',
  '--model',
  model,
  '--data',
  corpus,
  '--out',
  out,
  ...(more.includes('--batch') ? [] : ['--batch', '1']),
  ...more,
];
const reportIn = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as GateReport;
/** report.json outside its timing, provenance and execution, as bytes. */
const bytesIn = (dir: string) => JSON.stringify(deterministicPart(reportIn(dir)));

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(tmpdir(), 'eou-gate-faults-'));
  model = makeModelDir(path.join(root, 'model'));
  corpus = makeCorpus(path.join(root, 'corpus'), { files: FILES, broken: true });
  const run = await runCli(gate(path.join(root, 'whole'), '--concurrency', '1'));
  expect([0, 1], run.stderr).toContain(run.code);
  uninterrupted = bytesIn(path.join(root, 'whole'));
}, 60_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('eou wer-gate under faults', () => {
  it('EXPECTED FAILURE - a second gate on the same --out exits 2 with one line naming the lock and its holder', async () => {
    const out = path.join(root, 'shared-out');
    const lock = path.join(out, '.eou-gate.lock');
    const first = runCli(gate(out, '--concurrency', '2'));
    let settled = false;
    void first.then(() => (settled = true));
    // The first holds the lock while its workers decode (this thread is free between their results).
    while (!fs.existsSync(lock)) {
      expect(settled, 'the first gate ended before its lock was seen').toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const second = await runCli(gate(out, '--concurrency', '2'));
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(
        `^${lock}: the output directory is in use by pid ${process.pid} on \\S+ since \\S+; wait for it to finish or use another output directory\\n$`,
      ),
    );
    const done = await first;
    expect([0, 1], done.stderr).toContain(done.code);
    expect(bytesIn(out)).toBe(uninterrupted);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('EXPECTED FAILURE - --concurrency beyond the cores runs at the cap, says so, and the report gives the threads that ran', async () => {
    const out = path.join(root, 'many');
    const run = await runCli(gate(out, '--concurrency', '100000'));
    expect([0, 1], run.stderr).toContain(run.code);
    const cores = Math.max(1, availableParallelism());
    expect(run.stderr).toContain(`eou wer-gate: --concurrency 100000 runs as ${cores} (the cores available)`);
    const report = reportIn(out);
    expect(report.execution.workers).toBeLessThanOrEqual(cores);
    expect(bytesIn(out)).toBe(uninterrupted);
  });

  it('gives the same report.json bytes with --concurrency 1 and 2, and --batch 1 and 4, outside timing and execution', async () => {
    for (const [c, b] of [
      ['2', '1'],
      ['2', '4'],
    ] as const) {
      const out = path.join(root, `c${c}-b${b}`);
      const run = await runCli(gate(out, '--concurrency', c, '--batch', b));
      expect([0, 1], run.stderr).toContain(run.code);
      expect(bytesIn(out)).toBe(uninterrupted);
    }
  });

  it('EXPECTED FAILURE - merging a whole run with shard 1/3 counts each file once, with a note (it reported more files than the manifest)', async () => {
    const shard = path.join(root, 'shard1');
    const s = await runCli(gate(shard, '--shard', '1/3', '--concurrency', '1'));
    expect(s.code, s.stderr).toBe(0);
    const out = path.join(root, 'merged');
    const m = await runCli(['wer-gate', 'merge', path.join(root, 'whole'), shard, '--out', out]);
    expect([0, 1], m.stderr).toContain(m.code);
    expect(m.stderr).toMatch(
      /^eou wer-gate merge: 14 file\(s\) held by more than one log with the same results \(first: '.+'\), counted once\n$/,
    );
    const report = reportIn(out);
    expect(report.corpus.scoredFiles + report.corpus.failed.length).toBe(FILES);
    expect(m.stdout).toContain(`merged 2 shards: ${report.corpus.scoredFiles} files`);
    expect(bytesIn(out)).toBe(uninterrupted);
  });

  it("EXPECTED FAILURE - a vocabSize the joint does not score exits 2 with one line naming the user's model.json", async () => {
    const wrong = path.join(root, 'wrong-vocab-model');
    fs.cpSync(model, wrong, { recursive: true });
    // Without its built variants, so the gate would build them first (into a cache copy).
    for (const f of fs.readdirSync(wrong))
      if (f.startsWith('decoder_joint_decision')) fs.rmSync(path.join(wrong, f));
    const file = path.join(wrong, 'model.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { vocabSize: number; blankId: number };
    fs.writeFileSync(
      file,
      JSON.stringify({ ...json, vocabSize: json.vocabSize + 1, blankId: json.vocabSize }),
    );
    const out = path.join(root, 'wrong-vocab-out');
    const run = await runCli(['wer-gate', '--model', wrong, '--data', corpus, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${file}: \`vocabSize\` is ${json.vocabSize + 1}, but ${path.join(wrong, 'joint_decision.onnx')} ranks ${json.vocabSize} scores; model.json is not this joint's`,
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('EXPECTED FAILURE - a failed start leaves no log, so the corrected rerun is not refused ("written by a run with other settings")', async () => {
    const broken = path.join(root, 'broken-model');
    fs.cpSync(model, broken, { recursive: true });
    const vocab = path.join(broken, 'vocab.json');
    const good = fs.readFileSync(vocab, 'utf8');
    // A vocab.json shorter than vocabSize: refused when the model is opened.
    const entries = JSON.parse(good) as unknown;
    fs.writeFileSync(
      vocab,
      JSON.stringify(
        Array.isArray(entries)
          ? entries.slice(0, 2)
          : Object.fromEntries(Object.entries(entries as object).slice(0, 2)),
      ),
    );
    const out = path.join(root, 'after-failed-start');
    const args = [
      'wer-gate',
      '--model',
      broken,
      '--data',
      corpus,
      '--out',
      out,
      '--batch',
      '1',
      '--concurrency',
      '1',
    ];
    const failed = await runCli(args);
    expect(failed.code).toBe(2);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(out, 'results.jsonl'))).toBe(false);
    fs.writeFileSync(vocab, good);
    const fixed = await runCli(args);
    expect([0, 1], fixed.stderr).toContain(fixed.code);
    expect(fixed.stderr).not.toContain('other settings');
  });
});
