import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOnnx, writeOnnx } from '@eou/graph';
import { encodeNpy } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';
import { lcg, TINY_DIMS, writeTinyModel } from '../../test/tinyModel';

const { V, H, E, J } = TINY_DIMS;
let root = '';
let model = '';
let corpus = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-fuse-'));
  model = join(root, 'model');
  corpus = join(root, 'corpus');
  writeTinyModel(model, 1);
  mkdirSync(join(corpus, 'frames'), { recursive: true });
  const r = lcg(99);
  const lines = [0, 1, 2].map((k) => {
    writeFileSync(
      join(corpus, 'frames', `u${k}.npy`),
      encodeNpy(
        Float32Array.from({ length: 9 * E }, () => r() * 4),
        [9, E],
      ),
    );
    return JSON.stringify({ id: `u${k}`, text: 'w1 w2', frames: `frames/u${k}.npy` });
  });
  writeFileSync(join(corpus, 'manifest.jsonl'), lines.join('\n') + '\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('eou fuse', () => {
  it('writes the lean variant and prints one JSON document', async () => {
    const run = await runCli(['fuse', '--model', model, '--variant', 'lean', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.files.map((f: { fileName: string }) => f.fileName)).toEqual([
      'decoder_joint_decision_fused.onnx',
    ]);
    expect(result.dims).toMatchObject({ vocabSize: V, hiddenSize: H, encoderDim: E, jointDim: J, topK: 4 });
  });

  it('writes every variant in human mode', async () => {
    for (const variant of ['pipeline', 'lean-topk', 'projected']) {
      const run = await runCli(['fuse', '--model', model, '--variant', variant]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^wrote .+\.onnx \(\d+ bytes, sha256 [0-9a-f]{64}\)$/m);
    }
    expect(readdirSync(model)).toEqual(
      expect.arrayContaining([
        'decoder_joint_decision_pipeline.onnx',
        'decoder_joint_decision_fused_topk.onnx',
        'projected_joint.onnx',
      ]),
    );
  });

  it('BAD CALL - exits 2 with one line for a missing or unknown variant and for --out on projected', async () => {
    expect(await runCli(['fuse', '--model', model])).toMatchObject({
      code: 2,
      stderr: 'eou fuse: missing --variant (one of pipeline, lean, lean-topk, projected, int8, fp16)\n',
    });
    const unknown = await runCli(['fuse', '--model', model, '--variant', 'turbo']);
    expect(unknown).toMatchObject({
      code: 2,
      stderr:
        "eou fuse: unknown variant 'turbo' (expected one of pipeline, lean, lean-topk, projected, int8, fp16)\n",
    });
    const ref = await runCli(['fuse', '--model', model, '--variant', 'ref']);
    expect(ref.code).toBe(2);
    expect(ref.stderr).toMatch(
      /nothing to build \(expected one of pipeline, lean, lean-topk, projected, int8, fp16\)\n$/,
    );
    const out = await runCli([
      'fuse',
      '--model',
      model,
      '--variant',
      'projected',
      '--out',
      join(root, 'x.onnx'),
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /^eou fuse: --out needs a single-file variant; 'projected' writes projected_encoder.onnx, projected_decoder.onnx, projected_joint.onnx\n$/,
    );
  });

  it('EXPECTED FAILURE - exits 2 naming model.json and the field when model.json contradicts the graphs', async () => {
    const dir = join(root, 'liar');
    writeTinyModel(dir, 3);
    const config = join(dir, 'model.json');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), hiddenSize: H + 1 }));
    const run = await runCli(['fuse', '--model', dir, '--variant', 'lean']);
    expect(run).toMatchObject({
      code: 2,
      stderr: `eou fuse: ${config}: hiddenSize is ${H + 1}, but decoder.onnx/joint_decision.onnx have ${H}\n`,
    });
    expect(existsSync(join(dir, 'decoder_joint_decision_fused.onnx'))).toBe(false);
  });

  it('EXPECTED FAILURE - exits 2 naming the file when the directory has no model', async () => {
    const run = await runCli(['fuse', '--model', join(root, 'nothing'), '--variant', 'lean']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `eou fuse: ${join(root, 'nothing', 'decoder.onnx')}: cannot read model (file not found)\n`,
    );
  });
});

describe('eou parity', () => {
  it('finds pipeline STRICT against ref and exits 0', async () => {
    await runCli(['fuse', '--model', model, '--variant', 'pipeline']);
    // A heartbeat line per file (interval 0), as a CI log shows them every 10 s.
    const run = await runCli(
      ['parity', '--model', model, '--a', 'ref', '--b', 'pipeline', '--data', corpus],
      {
        env: { ...process.env, EOU_PROGRESS: 'lines', EOU_PROGRESS_INTERVAL: '0' },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('token sequences identical  3/3');
    expect(run.stdout).toMatch(/verdict: STRICT/);
    expect(run.stderr).toMatch(/^eou parity: 1\/3 files \(33\.3%\), [\d.]+ files\/s, ETA /m);
    expect(run.stderr).toMatch(/^eou parity: 3\/3 files \(100\.0%\), [\d.]+ files\/s, ETA 0:00, elapsed /m);
  });

  it('prints one JSON report with --json and honours --files', async () => {
    const run = await runCli([
      'parity',
      '--model',
      model,
      '--b',
      'cached',
      '--data',
      corpus,
      '--files',
      '2',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      a: 'ref',
      b: 'cached',
      runner: '@eou/rnnt-decode',
      summary: { files: 2 },
      verdict: { label: 'STRICT' },
    });
  });

  it('exits 1 when the candidate is not FUNCTIONAL', async () => {
    // A "lean" file built from other weights of the same shape: a real divergence.
    const other = join(root, 'other');
    writeTinyModel(other, 7);
    expect(
      (
        await runCli([
          'fuse',
          '--model',
          other,
          '--variant',
          'lean',
          '--out',
          join(model, 'decoder_joint_decision_fused.onnx'),
        ])
      ).code,
    ).toBe(0);
    // As built, its provenance names the other pair: parity refuses the stale file (exit 2).
    const fused = join(model, 'decoder_joint_decision_fused.onnx');
    const stale = await runCli(['parity', '--model', model, '--b', 'lean', '--data', corpus]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(
      new RegExp(
        `^eou parity: ${fused.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: built from decoder\\.onnx sha256 [0-9a-f]{12}, the directory now has [0-9a-f]{12}; rebuild it with \`eou fuse --model ${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --variant lean\`\n$`,
      ),
    );
    // Without provenance metadata (as another tool would write it) it is run, and diverges.
    writeFileSync(fused, writeOnnx({ ...readOnnx(readFileSync(fused)), metadata: {} }));
    const run = await runCli(['parity', '--model', model, '--b', 'lean', '--data', corpus]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/verdict: FAIL/);
    expect(run.stdout).toMatch(/first divergence at step \d+/);
    expect(run.stdout).toMatch(/^ {2}TEXT ref: .*\n {2}TEXT lean: /m);
  });

  it('BAD CALL - exits 2 with one line for bad flags and missing inputs', async () => {
    expect(await runCli(['parity', '--model', model, '--data', corpus])).toMatchObject({
      code: 2,
      stderr: 'eou parity: missing --b V (the candidate variant)\n',
    });
    expect(
      (await runCli(['parity', '--model', model, '--b', 'lean', '--data', corpus, '--files', '0'])).stderr,
    ).toBe("eou parity: --files must be a positive integer, got '0'\n");
    const noData = await runCli(['parity', '--model', model, '--b', 'lean', '--data', join(root, 'nope')]);
    expect(noData).toMatchObject({
      code: 2,
      stderr: `eou parity: ${join(root, 'nope', 'manifest.jsonl')}: not found (--data must hold manifest.jsonl)\n`,
    });
    const unbuilt = await runCli([
      'parity',
      '--model',
      join(root, 'other'),
      '--b',
      'projected',
      '--data',
      corpus,
    ]);
    // Not built in that directory: built once in the cache, with a line naming the variant.
    expect(unbuilt.code, unbuilt.stderr).toBe(0);
    expect(unbuilt.stderr).toMatch(/^eou parity: building the projected variant from /);
    expect(readdirSync(join(root, 'other')).some((f) => f.startsWith('projected'))).toBe(false);
    expect(await runCli(['parity', '--model', model, '--b', 'lean'])).toMatchObject({
      code: 2,
      stderr: 'eou parity: missing --data DIR (a corpus with manifest.jsonl for --model)\n',
    });
  });
});
