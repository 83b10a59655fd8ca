import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, runCli } from '../test/helpers';
import { availableParallelism } from 'node:os';

let root = '';
let model = '';
let frames = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'eou-inputs-'));
  model = join(root, 'model');
  const corpus = join(root, 'corpus');
  expect((await runCli(['synth-model', '--out', model, '--shape', 'tiny', '--seed', '3'])).code).toBe(0);
  expect((await runCli(['synth-corpus', '--model', model, '--out', corpus, '--files', '1'])).code).toBe(0);
  frames = join(corpus, readManifest<{ frames: string }>(corpus)[0]!.frames);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One line on stderr, exit 2. */
async function refused(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await runCli(argv, { env: { ...process.env, EOU_CACHE_DIR: join(root, 'cache'), ...env } });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  return r.stderr.trim();
}

/** A copy of the model directory with model.json or vocab.json rewritten. */
function modelWith(name: string, file: 'model.json' | 'vocab.json', edit: (v: never) => unknown): string {
  const dir = join(root, name);
  cpSync(model, dir, { recursive: true });
  const p = join(dir, file);
  writeFileSync(p, JSON.stringify(edit(JSON.parse(readFileSync(p, 'utf8')) as never)));
  return dir;
}

describe('inputs that are not regular files, or too large', () => {
  it('EXPECTED FAILURE - decode --frames DIR exits 2 naming the path (was exit 3 with an EISDIR stack)', async () => {
    const line = await refused(['decode', '--model', model, '--frames', root]);
    expect(line).toBe(`eou decode: --frames ${root}: a directory, expected a regular file`);
  });

  it('EXPECTED FAILURE - a FIFO or a device as input exits 2 at once naming the path', async () => {
    const fifo = join(root, 'frames.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await refused(['decode', '--model', model, '--frames', fifo])).toBe(
      `eou decode: --frames ${fifo}: a FIFO, expected a regular file`,
    );
    // /dev/zero never ends: read whole, it filled 7 GB in 15 s.
    expect(await refused(['decode', '--model', model, '--frames', '/dev/zero'])).toBe(
      'eou decode: --frames /dev/zero: a character device, expected a regular file',
    );
    const ref = join(root, 'ref.txt');
    writeFileSync(ref, 'a b\n');
    expect(await refused(['wer', '--ref', fifo, '--hyp', ref])).toBe(
      `eou wer: --ref ${fifo}: a FIFO, expected a regular file`,
    );
    expect(await refused(['wer', '--ref', ref, '--hyp', root])).toBe(
      `eou wer: --hyp ${root}: a directory, expected a regular file`,
    );
    const fifoModel = join(root, 'fifo-model');
    cpSync(model, fifoModel, { recursive: true });
    rmSync(join(fifoModel, 'vocab.json'));
    execFileSync('mkfifo', [join(fifoModel, 'vocab.json')]);
    expect(await refused(['decode', '--model', fifoModel, '--frames', frames])).toBe(
      `eou decode: ${join(fifoModel, 'vocab.json')}: a FIFO, expected a regular file`,
    );
  });

  it('EXPECTED FAILURE - an input over the size limit fails naming the path and the limit (EOU_MAX_INPUT_BYTES)', async () => {
    const size = readFileSync(frames).length;
    const env = { EOU_MAX_INPUT_BYTES: String(size - 1) };
    expect(await refused(['decode', '--model', model, '--frames', frames], env)).toBe(
      `eou decode: --frames ${frames}: ${size} bytes, more than the input limit of ${size - 1} bytes (set EOU_MAX_INPUT_BYTES to raise it)`,
    );
    expect(await refused(['wer', '--ref', frames, '--hyp', frames], { EOU_MAX_INPUT_BYTES: '1024' })).toBe(
      `eou wer: --ref ${frames}: ${size} bytes, more than the input limit of 1 KiB (set EOU_MAX_INPUT_BYTES to raise it)`,
    );
    // A sparse 3 GiB file: refused from its size, never read.
    const big = join(root, 'big.npy');
    writeFileSync(big, '');
    execFileSync('truncate', ['-s', '3G', big]);
    expect(await refused(['decode', '--model', model, '--frames', big])).toBe(
      `eou decode: --frames ${big}: ${3 * 2 ** 30} bytes, more than the input limit of 1 GiB (set EOU_MAX_INPUT_BYTES to raise it)`,
    );
    expect(
      await refused(['decode', '--model', model, '--frames', frames], { EOU_MAX_INPUT_BYTES: '1e9' }),
    ).toBe("eou: EOU_MAX_INPUT_BYTES must be a positive whole number of bytes, got '1e9'");
    expect(
      (
        await runCli(['decode', '--model', model, '--frames', frames], {
          env: { ...process.env, EOU_MAX_INPUT_BYTES: String(size) },
        })
      ).code,
    ).toBe(0);
  });
});

describe('model.json and vocab.json that disagree', () => {
  it('EXPECTED FAILURE - a vocab.json shorter than vocabSize is refused naming vocab.json (decode exited 0 dropping tokens)', async () => {
    const dir = modelWith('short-vocab', 'vocab.json', (v: Record<string, string>) =>
      Object.fromEntries(Object.entries(v).slice(0, 3)),
    );
    const line = await refused(['decode', '--model', dir, '--frames', frames]);
    expect(line).toMatch(
      new RegExp(
        `^eou decode: ${join(dir, 'vocab.json')}: has no piece for \\d+ of the \\d+ ids of model.json vocabSize`,
      ),
    );
  });

  it('EXPECTED FAILURE - maxSymbolsPerFrame 1e9 is refused naming model.json and the field', async () => {
    const dir = modelWith('max-symbols', 'model.json', (m: object) => ({ ...m, maxSymbolsPerFrame: 1e9 }));
    expect(await refused(['decode', '--model', dir, '--frames', frames])).toBe(
      `eou decode: ${join(dir, 'model.json')}: \`maxSymbolsPerFrame\` must be an integer in 1..1000, got 1000000000`,
    );
  });
});

describe('caps on what runs at once', () => {
  it('EXPECTED FAILURE - decode --threads 1000 runs with the cores available and says so (it hung)', async () => {
    const r = await runCli(['decode', '--model', model, '--frames', frames, '--threads', '1000', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const cores = Math.max(1, availableParallelism());
    expect(r.stderr).toContain(`eou decode: --threads 1000 runs as ${cores} (the cores available)`);
    expect(JSON.parse(r.stdout).threads).toBe(cores);
    const one = await runCli(['decode', '--model', model, '--frames', frames, '--json']);
    expect(JSON.parse(one.stdout).threads).toBe(1);
    expect(one.stderr).not.toContain('runs as');
  });
});
