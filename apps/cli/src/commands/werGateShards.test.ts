// `eou wer-gate --shard auto` as job engines run it: N separate `eou` processes, each given only the
// variables its engine sets in a task, then `eou wer-gate merge`: the merged report must equal the
// report of one whole run, and say which engine the shards came from.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicPart, type GateReport } from '@eou/gate';
import { makeCorpus, makeModelDir } from '../../test/gateFixture';
import { runCli } from '../../test/helpers';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const readReport = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as GateReport;

// The environment of a task: this process's, without any engine's shard variables.
const ENGINE_VARIABLE = /^(JOB_COMPLETION_INDEX|SLURM_ARRAY_|AWS_BATCH_JOB_ARRAY_|EOU_SHARD_)/;
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !ENGINE_VARIABLE.test(k)));

const engines: { name: string; marker: string; tasks: Record<string, string>[] }[] = [
  {
    name: 'Kubernetes Indexed Job',
    marker: 'JOB_COMPLETION_INDEX',
    tasks: [0, 1, 2].map((i) => ({ JOB_COMPLETION_INDEX: String(i), EOU_SHARD_COUNT: '3' })),
  },
  {
    name: 'Slurm job array',
    marker: 'SLURM_ARRAY_TASK_ID',
    // sbatch --array=1-3
    tasks: [1, 2, 3].map((id) => ({
      SLURM_ARRAY_TASK_ID: String(id),
      SLURM_ARRAY_TASK_MIN: '1',
      SLURM_ARRAY_TASK_MAX: '3',
      SLURM_ARRAY_TASK_COUNT: '3',
      SLURM_ARRAY_JOB_ID: '4242',
    })),
  },
  {
    name: 'AWS Batch array job',
    marker: 'AWS_BATCH_JOB_ARRAY_INDEX',
    tasks: [0, 1].map((i) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(i), AWS_BATCH_JOB_ARRAY_SIZE: '2' })),
  },
  {
    name: 'EOU_SHARD_INDEX/EOU_SHARD_COUNT (e.g. a GitHub Actions matrix)',
    marker: 'EOU_SHARD_INDEX',
    // A GitHub Actions matrix: shard: [1, 2, 3] (docs/ci/wer-gate-shards.yml).
    tasks: [1, 2, 3].map((i) => ({ EOU_SHARD_INDEX: String(i), EOU_SHARD_COUNT: '3' })),
  },
];

let root: string;
let model: string;
let corpus: string;
let whole: GateReport;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-shards-'));
  model = makeModelDir(path.join(root, 'model'));
  corpus = makeCorpus(path.join(root, 'corpus'), { files: 31, seed: 5 });
  const out = path.join(root, 'whole');
  const r = await runCli([
    'wer-gate',
    '--model',
    model,
    '--data',
    corpus,
    '--out',
    out,
    '--concurrency',
    '1',
  ]);
  expect([0, 1]).toContain(r.code);
  whole = readReport(out);
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('eou wer-gate --shard auto on job engines', () => {
  for (const engine of engines) {
    it(`${engine.name}: ${engine.tasks.length} shard processes merge into the report of one whole run`, async () => {
      const dir = path.join(root, engine.marker);
      const shardDirs = engine.tasks.map((_, k) => path.join(dir, `task-${k}`));
      const outputs = await Promise.all(
        engine.tasks.map((vars, k) =>
          run(
            process.execPath,
            [
              bin,
              'wer-gate',
              '--model',
              model,
              '--data',
              corpus,
              '--shard',
              'auto',
              '--out',
              shardDirs[k]!,
              '--concurrency',
              '1',
              '--json',
            ],
            { env: { ...baseEnv, ...vars } },
          ),
        ),
      );
      outputs.forEach((o, k) => {
        const doc = JSON.parse(o.stdout) as { shard: string; shardSource: string };
        expect(doc.shard).toBe(`${k + 1}/${engine.tasks.length}`);
        expect(doc.shardSource.startsWith(engine.name)).toBe(true);
        expect(o.stderr).toContain(
          `eou wer-gate: shard ${k + 1}/${engine.tasks.length} from the ${engine.name}`,
        );
      });
      const merged = path.join(dir, 'merged');
      const m = await runCli(['wer-gate', 'merge', ...shardDirs.reverse(), '--out', merged]);
      expect([0, 1]).toContain(m.code);
      const report = readReport(merged);
      expect(deterministicPart(report)).toEqual(deterministicPart(whole));
      expect(report.provenance.shardSources).toHaveLength(engine.tasks.length);
      report.provenance.shardSources!.forEach((s, k) =>
        expect(s.startsWith(`${k + 1}/${engine.tasks.length}: ${engine.name} (${engine.marker}=`)).toBe(true),
      );
      expect(fs.readFileSync(path.join(merged, 'report.md'), 'utf8')).toContain(
        `| shard from | 1/${engine.tasks.length}: ${engine.name}`,
      );
    }, 120_000);
  }

  it('EXPECTED FAILURE - without any engine variable, --shard auto exits 2 saying what it looked for', async () => {
    const r = await runCli(
      ['wer-gate', '--model', model, '--data', corpus, '--shard', 'auto', '--out', path.join(root, 'none')],
      {
        env: baseEnv,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^--shard auto: no shard variables found \(looked for JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX, EOU_SHARD_INDEX\)/,
    );
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});
