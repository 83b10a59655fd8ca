import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBenchResults } from '@eou/bench';
import { encodeNpy } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';
import { lcg, TINY_DIMS, writeTinyModel } from '../../test/tinyModel';
import { seedLcgInputs } from './bench';

const { E } = TINY_DIMS;
let root = '';
let model = '';
let corpus = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cli-bench-'));
  model = join(root, 'model');
  corpus = join(root, 'corpus');
  writeTinyModel(model, 1);
  for (const variant of ['pipeline', 'lean']) {
    const run = await runCli(['fuse', '--model', model, '--variant', variant]);
    if (run.code !== 0) throw new Error(run.stderr);
  }
  mkdirSync(join(corpus, 'frames'), { recursive: true });
  const r = lcg(99);
  const lines = [0, 1, 2].map((k) => {
    writeFileSync(
      join(corpus, 'frames', `u${k}.npy`),
      encodeNpy(
        Float32Array.from({ length: (8 + k) * E }, () => r() * 4),
        [8 + k, E],
      ),
    );
    return JSON.stringify({ id: `u${k}`, text: 'w1 w2', frames: `frames/u${k}.npy` });
  });
  writeFileSync(join(corpus, 'manifest.jsonl'), lines.join('\n') + '\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('seedLcgInputs', () => {
  it("starts with the seed's LCG values (encoder_step first, scaled by 4)", () => {
    // Hand-computed: seed 0x9E3779B97F4A7C15, three LCG steps, ((s >> 33) & 0xFFFF) / 65536 - 0.5, x 4.
    const [first] = seedLcgInputs(1, 3, 2);
    expect(Array.from(first!.encoder)).toEqual([-0.1396484375, -1.0836181640625, -0.87274169921875]);
    for (const v of [...first!.h, ...first!.c]) expect(Math.abs(v)).toBeLessThanOrEqual(0.1);
    const two = seedLcgInputs(2, 3, 2);
    expect(two[0]).toEqual(first);
    expect(two[1]!.encoder).not.toEqual(first!.encoder);
  });
});

describe('eou bench', () => {
  it('prints per-variant p50/p95 and ratios with intervals, and writes results JSON', async () => {
    const out = join(root, 'step.json');
    const run = await runCli([
      'bench',
      '--model',
      model,
      '--variants',
      'ref,cached,pipeline,lean',
      '--steps',
      '20',
      '--warmup',
      '2',
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('per step (20 rounds after 2 warm-up, balanced order, times in µs):');
    expect(lines[1]).toMatch(
      /^variant\s+p50 µs\s+p95 µs\s+p99 µs\s+MAD\*\s+outliers\s+ratio vs ref \[95% CI\]\s+speedup\s+mismatches\s+step$/,
    );
    expect(lines[2]).toMatch(
      /^ref\s+\d+\.\d+\s+\d+\.\d+\s+.*\s1\s+1\.00x\s+0\s+prediction net \+ joint \(2 calls\)$/,
    );
    expect(lines[3]).toMatch(/^cached\s.*\s\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]\s+\d+\.\d\dx\s+0\s+joint only/);
    expect(lines[4]).toMatch(/^pipeline\s.*\s0\s+one fused call$/);
    expect(lines[5]).toMatch(/^lean\s/);
    expect(run.stdout).toContain(`wrote ${out}`);
    const results = readBenchResults(out);
    const step = results.suites[0]!;
    expect(step).toMatchObject({
      name: 'step',
      rounds: 20,
      warmup: 2,
      compareOutputs: true,
      order: 'balanced',
    });
    expect(step.arms.map((a) => a.name)).toEqual(['ref', 'cached', 'pipeline', 'lean']);
    expect(step.arms.map((a) => a.samplesNs.length)).toEqual([20, 20, 20, 20]);
    // cached and pipeline must give ref's token for every input set
    expect(step.arms.slice(0, 3).map((a) => a.mismatches)).toEqual([0, 0, 0]);
    expect(results.extra).toMatchObject({
      variants: ['ref', 'cached', 'pipeline', 'lean'],
      exactVariants: ['ref', 'cached', 'pipeline'],
    });
  });

  it("labels a mismatch by what the variant is: a declared variant's is not required to match, never fp16 ties", async () => {
    // A lean graph of other weights, declared by file: it must disagree with ref on some input sets.
    const other = join(root, 'other-model');
    writeTinyModel(other, 2);
    const fused = await runCli(['fuse', '--model', other, '--variant', 'lean']);
    expect(fused.code, fused.stderr).toBe(0);
    copyFileSync(join(other, 'decoder_joint_decision_fused.onnx'), join(model, 'other_weights.onnx'));
    const out = join(root, 'declared.json');
    const args = [
      'bench',
      '--model',
      model,
      '--variant',
      'mine=other_weights.onnx',
      '--variants',
      'ref,mine',
    ];
    const run = await runCli([...args, '--steps', '20', '--warmup', '2', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const mine = readBenchResults(out).suites[0]!.arms.find((a) => a.name === 'mine')!;
    expect(mine.mismatches).toBeGreaterThan(0);
    const line = run.stdout.split('\n').find((l) => l.startsWith('mine '))!;
    expect(line).toMatch(new RegExp(`\\s${mine.mismatches} \\(not required to match\\)\\s+one fused call$`));
    expect(run.stdout).not.toContain('fp16 ties');
    expect(run.stderr).not.toContain('WARNING');
    expect(readBenchResults(out).extra).toMatchObject({ exactVariants: ['ref'] });
    // Listed first, the declared variant is the baseline of the ratios, but outputs are still
    // checked against ref: before, ref was the one flagged (WARNING) for mine's differences.
    const flipped = join(root, 'declared-first.json');
    const first = await runCli([
      ...args.slice(0, -1),
      'mine,ref',
      '--steps',
      '20',
      '--warmup',
      '2',
      '--out',
      flipped,
    ]);
    expect(first.code, first.stderr).toBe(0);
    const arms = readBenchResults(flipped).suites[0]!.arms;
    expect(arms.map((a) => a.name)).toEqual(['mine', 'ref']);
    expect(arms[1]!.mismatches).toBe(0);
    expect(arms[0]!.mismatches).toBeGreaterThan(0);
    expect(first.stderr).not.toContain('WARNING');
  });

  it('times whole utterances with --utterances and reports RTFx per variant in one JSON document', async () => {
    const run = await runCli([
      'bench',
      '--model',
      model,
      '--variants',
      'ref,cached,lean',
      '--steps',
      '10',
      '--warmup',
      '1',
      '--utterances',
      corpus,
      '--rounds',
      '2',
      '--json',
      '--out',
      join(root, 'utt.json'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.suites.map((s: { name: string }) => s.name)).toEqual(['step', 'utterance']);
    expect(doc.suites[1]).toMatchObject({ rounds: 6, warmup: 2, unit: 'utterance' });
    // the cached prediction net must not change a single token of any utterance
    expect(doc.suites[1].arms.map((a: { mismatches: number }) => a.mismatches).slice(0, 2)).toEqual([0, 0]);
    for (const v of ['ref', 'cached', 'lean']) {
      expect(doc.rtfx[v].files.map((f: { id: string }) => f.id)).toEqual(['u0', 'u1', 'u2']);
      expect(doc.rtfx[v].files[1].audioSeconds).toBeCloseTo(0.72, 12); // 9 frames x 80 ms
      expect(doc.rtfx[v].total).toBeGreaterThan(0);
      expect(doc.rtfx[v].medianPerFile).toBeGreaterThan(0);
    }
    expect(readBenchResults(join(root, 'utt.json'))).toEqual(doc); // the file is what stdout printed
  });

  it('runs few rounds in quick mode (EOU_BENCH_QUICK=1 or --quick)', async () => {
    for (const [args, env] of [
      [['--quick'], {}],
      [[], { EOU_BENCH_QUICK: '1' }],
    ] as const) {
      const run = await runCli(
        ['bench', '--model', model, '--variants', 'ref', '--json', '--out', join(root, 'q.json'), ...args],
        { env },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ quick: true, suites: [{ rounds: 30, warmup: 3 }] });
    }
  });

  it('uses every variant present in the directory when --variants is omitted', async () => {
    const run = await runCli([
      'bench',
      '--model',
      model,
      '--steps',
      '5',
      '--warmup',
      '0',
      '--json',
      '--out',
      join(root, 'all.json'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).suites[0].arms.map((a: { name: string }) => a.name)).toEqual([
      'ref',
      'cached',
      'pipeline',
      'lean',
    ]);
  });

  it('compares with --baseline and exits 1 only on a regression beyond noise', async () => {
    const out = join(root, 'cur.json');
    const first = await runCli([
      'bench',
      '--model',
      model,
      '--variants',
      'ref,lean',
      '--steps',
      '20',
      '--warmup',
      '2',
      '--out',
      out,
    ]);
    expect(first.code, first.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    // A baseline where lean was 100x cheaper relative to ref: today's lean ratio is a regression.
    const fast = structuredClone(doc);
    fast.suites[0].arms[1].ratio.ratio /= 100;
    writeFileSync(join(root, 'fast.json'), JSON.stringify(fast));
    const worse = await runCli([
      'bench',
      '--model',
      model,
      '--variants',
      'ref,lean',
      '--steps',
      '20',
      '--warmup',
      '2',
      '--out',
      join(root, 'x.json'),
      '--baseline',
      join(root, 'fast.json'),
    ]);
    expect(worse.code, worse.stderr).toBe(1);
    expect(worse.stdout).toContain(`vs baseline ${join(root, 'fast.json')}:`);
    expect(worse.stdout).toMatch(/\| step \| lean \| ratio \|.*\*\*regression\*\* \|/);
    expect(worse.stdout).toContain('Verdict: REGRESSION beyond noise.');
    // A baseline 100x slower everywhere with lean's ratio much worse: nothing regressed.
    const slow = structuredClone(doc);
    for (const arm of slow.suites[0].arms)
      for (const k of ['median', 'mad', 'madScaled']) arm.summary[k] *= 100;
    slow.suites[0].arms[1].ratio.ratio *= 100;
    writeFileSync(join(root, 'slow.json'), JSON.stringify(slow));
    const better = await runCli([
      'bench',
      '--model',
      model,
      '--variants',
      'ref,lean',
      '--steps',
      '20',
      '--warmup',
      '2',
      '--out',
      join(root, 'y.json'),
      '--baseline',
      join(root, 'slow.json'),
      '--json',
    ]);
    expect(better.code, better.stderr).toBe(0);
    const comparison = JSON.parse(better.stdout).comparison;
    expect(comparison).toMatchObject({ regressed: false, improved: true });
    // A baseline 100x faster everywhere, same ratio: medians regressed, which fails only on request.
    const quick = structuredClone(doc);
    for (const arm of quick.suites[0].arms)
      for (const k of ['median', 'mad', 'madScaled']) arm.summary[k] /= 100;
    writeFileSync(join(root, 'quick.json'), JSON.stringify(quick));
    const args = [
      'bench',
      '--model',
      model,
      '--variants',
      'ref,lean',
      '--steps',
      '20',
      '--warmup',
      '2',
      '--out',
      join(root, 'z.json'),
      '--baseline',
      join(root, 'quick.json'),
    ];
    const reported = await runCli(args);
    expect(reported.code, reported.stderr).toBe(0);
    expect(reported.stdout).toContain(
      'Verdict: no ratio regression beyond noise; 2 absolute median(s) moved beyond noise',
    );
    expect((await runCli([...args, '--fail-on-median'])).code).toBe(1);
  });

  it('builds a variant that is not built yet on first use (in the cache, named on stderr)', async () => {
    const run = await runCli([
      'bench',
      '--model',
      model,
      '--variants',
      'ref,lean-topk',
      '--quick',
      '--steps',
      '3',
      '--out',
      join(root, 'topk.json'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^eou bench: building the lean-topk variant from /);
    expect(existsSync(join(model, 'decoder_joint_decision_fused_topk.onnx'))).toBe(false);
  });

  it('BAD CALL - exits 2 with one line for a missing --model, an unknown variant and a bad count', async () => {
    expect(await runCli(['bench', '--model', model, '--variants', 'ref,turbo'])).toMatchObject({
      code: 2,
      stderr:
        "eou bench: unknown variant 'turbo' (expected one of ref, cached, pipeline, lean, lean-topk, projected, int8, fp16)\n",
    });
    expect(await runCli(['bench', '--model', model, '--steps', '0'])).toMatchObject({
      code: 2,
      stderr: "eou bench: --steps must be an integer >= 1, got '0'\n",
    });
    expect(await runCli(['bench', '--model', model, '--variants', 'ref,ref'])).toMatchObject({
      code: 2,
      stderr: "eou bench: --variants names 'ref' twice\n",
    });
  });

  it('EXPECTED FAILURE - exits 2 naming the file for a directory without model.json or a bad baseline', async () => {
    expect(await runCli(['bench', '--model', root])).toMatchObject({
      code: 2,
      stderr: `eou bench: ${join(root, 'model.json')}: not found (--model must be a model directory)\n`,
    });
    writeFileSync(join(root, 'notbench.json'), '{"schema":"x"}');
    expect(
      await runCli(['bench', '--model', model, '--baseline', join(root, 'notbench.json')]),
    ).toMatchObject({
      code: 2,
      stderr: `eou bench: ${join(root, 'notbench.json')}: field schema should be "eou-bench-results/1", got "x"\n`,
    });
  });
});

describe('eou bench --processes', () => {
  it('runs the benchmark in N fresh CLI processes and pools them into one document', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'eou-bench-processes-'));
    const out = join(dir, 'p.json');
    const bin = new URL('../bin.ts', import.meta.url).pathname;
    const env = { ...process.env };
    delete env.EOU_BENCH_PROCESSES;
    delete env.EOU_BENCH_QUICK;
    execFileSync(
      'npx',
      [
        'tsx',
        '--conditions',
        '@eou/source',
        bin,
        'bench',
        '--steps',
        '12',
        '--warmup',
        '1',
        '--processes',
        '2',
        '--out',
        out,
      ],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const doc = readBenchResults(out) as ReturnType<typeof readBenchResults> & {
      suites: { rounds: number; replicates: { processes: number; perProcess: unknown[] } }[];
    };
    expect(doc.processes).toBe(2);
    expect(doc.suites[0]!.rounds).toBe(24);
    expect(doc.suites[0]!.replicates.perProcess).toHaveLength(2);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('EXPECTED FAILURE - refuses a quick run against a full-mode baseline (exit 2)', async () => {
    const full = join(root, 'full-baseline.json');
    expect(
      (
        await runCli([
          'bench',
          '--model',
          model,
          '--variants',
          'ref,lean',
          '--steps',
          '5',
          '--warmup',
          '1',
          '--out',
          full,
        ])
      ).code,
    ).toBe(0);
    const run = await runCli([
      'bench',
      '--model',
      model,
      '--variants',
      'ref,lean',
      '--quick',
      '--steps',
      '5',
      '--out',
      join(root, 'qq.json'),
      '--baseline',
      full,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'cannot compare: the current results are quick mode, the baseline full mode',
    );
  });
});
