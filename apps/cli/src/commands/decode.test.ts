import { encodeNpy } from '@eou/rnnt-decode';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFloat16Array } from '@eou/fusion';
import { readOnnx, writeOnnx } from '@eou/graph';
import type { Graph, Model } from '@eou/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, runCli } from '../../test/helpers';

let root = '';
let model = '';
let corpus = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'eou-decode-'));
  model = join(root, 'model');
  corpus = join(root, 'corpus');
  expect((await runCli(['synth-model', '--out', model, '--shape', 'tiny', '--seed', '3'])).code).toBe(0);
  const made = await runCli(['synth-corpus', '--model', model, '--out', corpus, '--files', '6', '--json']);
  expect(made.code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const manifest = (dir: string) =>
  readManifest<{ id: string; text: string; frames: string; eouFrame: number }>(dir);

async function decode(dir: string, frames: string, ...extra: string[]) {
  const r = await runCli(['decode', '--model', dir, '--frames', frames, '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { tokens: number[]; frames: number[]; text: string; eou: number[] };
}

/** Copies the model directory and rewrites one of its ONNX files. */
function variantOf(name: string, file: string, edit: (m: Model) => Model): string {
  const dir = join(root, name);
  cpSync(model, dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, writeOnnx(edit(readOnnx(readFileSync(path)))));
  return dir;
}

const withGraph = (m: Model, g: Partial<Graph>): Model => ({ ...m, graph: { ...m.graph, ...g } });

describe('eou synth-model, synth-corpus and decode', () => {
  it('same seed gives byte-identical model files', async () => {
    const a = JSON.parse(
      (await runCli(['synth-model', '--out', join(root, 'a'), '--shape', 'tiny', '--seed', '3', '--json']))
        .stdout,
    );
    const b = JSON.parse(
      (await runCli(['synth-model', '--out', join(root, 'b'), '--shape', 'tiny', '--seed', '3', '--json']))
        .stdout,
    );
    const c = JSON.parse(
      (await runCli(['synth-model', '--out', join(root, 'c'), '--shape', 'tiny', '--seed', '4', '--json']))
        .stdout,
    );
    expect(a.files).toEqual(b.files);
    expect(a.files.map((f: { sha256: string }) => f.sha256)).not.toEqual(
      c.files.map((f: { sha256: string }) => f.sha256),
    );
  });

  it('decodes every corpus file to its reference text, with the EOU where the corpus put it, ref and cached alike', async () => {
    for (const u of manifest(corpus)) {
      const ref = await decode(model, join(corpus, u.frames));
      const cached = await decode(model, join(corpus, u.frames), '--variant', 'cached');
      const production = await decode(model, join(corpus, u.frames), '--eou-policy', 'stop-chunk');
      expect(ref.text).toBe(u.text);
      expect(ref.eou).toEqual([u.eouFrame]);
      expect(cached.tokens).toEqual(ref.tokens);
      // The default (reset) records the EOU among the tokens; production stop-chunk drops it.
      expect(production.tokens).toEqual(ref.tokens.slice(0, -1));
      expect(ref.frames).toHaveLength(ref.tokens.length);
    }
  });

  it('shows flipped tokens on a low-margin corpus', async () => {
    const flips = join(root, 'flips');
    expect(
      (
        await runCli([
          'synth-corpus',
          '--model',
          model,
          '--out',
          flips,
          '--files',
          '6',
          '--low-margin-share',
          '0.5',
        ])
      ).code,
    ).toBe(0);
    let differing = 0;
    for (const u of manifest(flips))
      if ((await decode(model, join(flips, u.frames))).text !== u.text) differing++;
    expect(differing).toBeGreaterThan(2);
  });

  it('writes batch-capable models (symbolic B) that decode the same corpus to the same text', async () => {
    const batched = join(root, 'batched');
    const made = JSON.parse(
      (await runCli(['synth-model', '--out', batched, '--shape', 'tiny', '--seed', '3', '--batch', '--json']))
        .stdout,
    );
    expect(made.batch).toBe(true);
    const u = manifest(corpus)[1]!;
    expect((await decode(batched, join(corpus, u.frames))).text).toBe(u.text);
  });

  it('prints the text alone without --json', async () => {
    const u = manifest(corpus)[0]!;
    const r = await runCli(['decode', '--model', model, '--frames', join(corpus, u.frames)]);
    expect(r.stdout).toBe(u.text + '\n');
  });

  const refused = async (dir: string, frames?: string) => {
    const r = await runCli([
      'decode',
      '--model',
      dir,
      '--frames',
      frames ?? join(corpus, manifest(corpus)[0]!.frames),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    return r.stderr.trim();
  };

  it('EXPECTED FAILURE - a decoder with a wrong input name is refused with exit 2 and one line', async () => {
    const dir = variantOf('renamed', 'decoder.onnx', (m) =>
      withGraph(m, {
        inputs: m.graph.inputs.map((i) => (i.name === 'h_in' ? { ...i, name: 'hidden_in' } : i)),
        nodes: m.graph.nodes.map((n) => ({
          ...n,
          inputs: n.inputs.map((x) => (x === 'h_in' ? 'hidden_in' : x)),
        })),
      }),
    );
    expect(await refused(dir)).toMatch(/decoder\.onnx.*h_in/);
  });

  it('EXPECTED FAILURE - a model.json hidden size that disagrees with the graphs is refused', async () => {
    const dir = join(root, 'hidden');
    cpSync(model, dir, { recursive: true });
    const cfg = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...cfg, hiddenSize: 32 }));
    expect(await refused(dir)).toBe(
      `eou decode: ${join(dir, 'decoder.onnx')}: input \`h_in\` expected float32 [1,B,32], got float32 [1,1,40]`,
    );
  });

  it('EXPECTED FAILURE - float64 weights are refused naming the initializer', async () => {
    const dir = variantOf('fp64', 'joint_decision.onnx', (m) => {
      const init = new Map(m.graph.initializers);
      const w = init.get('joint.enc.weight')!;
      init.set('joint.enc.weight', {
        dtype: 'float64',
        dims: w.dims,
        data: Float64Array.from(fromFloat16Array(w.data as Uint16Array)),
      });
      return withGraph(m, { initializers: init });
    });
    expect(await refused(dir)).toBe(
      `eou decode: ${join(dir, 'joint_decision.onnx')}: initializer "joint.enc.weight" is float64; weights must be stored as float16 or float32`,
    );
  });

  it('EXPECTED FAILURE - a truncated model file is refused', async () => {
    const dir = join(root, 'truncated');
    cpSync(model, dir, { recursive: true });
    const bytes = readFileSync(join(dir, 'decoder.onnx'));
    writeFileSync(join(dir, 'decoder.onnx'), bytes.subarray(0, bytes.length >> 1));
    expect(await refused(dir)).toMatch(/^eou decode: .*decoder\.onnx: not a valid ONNX model/);
  });

  it('EXPECTED FAILURE - bad .npy files are refused with exit 2', async () => {
    const junk = join(root, 'junk.npy');
    writeFileSync(junk, 'not numpy');
    expect(await refused(model, junk)).toMatch(/junk\.npy: not a \.npy file/);
    expect(await refused(model, join(root, 'missing.npy'))).toMatch(/missing\.npy: frames file not found/);
    const nan = join(root, 'nan.npy');
    const frames = new Float32Array(3 * 8);
    frames[8 + 2] = NaN;
    writeFileSync(nan, encodeNpy(frames, [3, 8]));
    expect(await refused(model, nan)).toMatch(/nan\.npy: non-finite value NaN at frame 1/);
  });

  it('BAD CALL - missing or invalid flags exit 2 naming the flag', async () => {
    // Without --model the embedded model is used; the frames file is then what is missing.
    expect((await runCli(['decode', '--frames', 'x.npy'])).stderr).toMatch(/x\.npy: frames file not found/);
    expect((await runCli(['decode', '--model', model, '--frames', 'x.npy', '--variant', 'fast'])).code).toBe(
      2,
    );
    expect((await runCli(['synth-model', '--out', join(root, 'z'), '--shape', 'huge'])).stderr).toMatch(
      /--shape must be one of parakeet-eou, tiny/,
    );
    expect((await runCli(['synth-model', '--out', join(root, 'z'), '--margin', '-1'])).code).toBe(2);
    expect(
      (await runCli(['synth-corpus', '--model', model, '--out', join(root, 'z'), '--files', '0'])).stderr,
    ).toMatch(/--files must be an integer >= 1/);
    expect(
      (
        await runCli([
          'synth-corpus',
          '--model',
          join(root, 'nowhere'),
          '--out',
          join(root, 'z'),
          '--files',
          '1',
        ])
      ).code,
    ).toBe(2);
  });
});
