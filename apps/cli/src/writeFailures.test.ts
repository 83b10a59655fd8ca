/**
 * Write failures injected into `node:fs` (no root, no small file system needed): under one directory,
 * writes fail as a full disk does (the file is created, the `write` fails naming no path), or opens
 * and mkdirs fail as a read-only or forbidden directory does (naming the path they tried). Every
 * writing command must then exit 2 with one line naming the path the user gave and leave no temp file.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setDir } from '@eou/tiny-eou-model';
import { runCli } from '../test/helpers';

type FaultCode = 'ENOSPC' | 'EACCES' | 'EROFS';
const fault: { dir: string; code: FaultCode } = { dir: '', code: 'ENOSPC' };
const MESSAGES: Record<FaultCode, string> = {
  ENOSPC: 'no space left on device',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
};

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const hit = (file: unknown): boolean =>
    fault.dir !== '' && typeof file === 'string' && path.resolve(file).startsWith(fault.dir + path.sep);
  const errno = (syscall: string, file?: string) =>
    Object.assign(
      new Error(`${fault.code}: ${MESSAGES[fault.code]}, ${syscall}${file ? ` '${file}'` : ''}`),
      { code: fault.code, syscall, ...(file ? { path: file } : {}) },
    );
  const writing = (flags: unknown) => typeof flags === 'string' && /[wa+]/.test(flags);
  const fullFds = new Set<number>();
  const patched = {
    ...real,
    writeFileSync(file: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, options?: unknown) {
      if (!hit(file)) return real.writeFileSync(file, data, options as fs.WriteFileOptions);
      if (fault.code !== 'ENOSPC') throw errno('open', file as string);
      // A full disk: the file exists, half written, and the write names no path.
      const bytes =
        typeof data === 'string'
          ? Buffer.from(data)
          : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      real.writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
      throw errno('write');
    },
    openSync(file: fs.PathLike, flags: fs.OpenMode = 'r', mode?: fs.Mode) {
      if (!hit(file) || !writing(flags)) return real.openSync(file, flags, mode);
      if (fault.code !== 'ENOSPC') throw errno('open', file as string);
      const fd = real.openSync(file, flags, mode);
      fullFds.add(fd);
      return fd;
    },
    writeSync(fd: number, ...rest: unknown[]) {
      if (fullFds.has(fd)) throw errno('write');
      return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    },
    closeSync(fd: number) {
      fullFds.delete(fd);
      return real.closeSync(fd);
    },
    mkdirSync(dir: fs.PathLike, options?: fs.MakeDirectoryOptions) {
      if (hit(dir) && fault.code !== 'ENOSPC' && !real.existsSync(dir)) throw errno('mkdir', dir as string);
      return real.mkdirSync(dir, options);
    },
  };
  return { ...patched, default: patched };
});

let root = '';
let model = '';
let corpus = '';
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(tmpdir(), 'eou-write-faults-'));
  model = path.join(root, 'model');
  corpus = path.join(root, 'corpus');
  expect((await runCli(['synth-model', '--out', model, '--shape', 'tiny', '--seed', '3'])).code).toBe(0);
  expect((await runCli(['synth-corpus', '--model', model, '--out', corpus, '--files', '2'])).code).toBe(0);
});
afterEach(() => {
  fault.dir = '';
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory whose writes fail with `code`. */
function faultyDir(code: FaultCode): string {
  const dir = path.join(root, `faulty-${code}-${n++}`);
  fs.mkdirSync(dir);
  fault.dir = dir;
  fault.code = code;
  return dir;
}

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f));
}

const REASONS: Record<FaultCode, string> = {
  ENOSPC: 'no space left on the device',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
};

/** Runs `argv` with writes under `dir` failing; expects one line naming `target`, and no temp file. */
async function expectWriteFailure(argv: string[], dir: string, target: string): Promise<void> {
  const run = await runCli(argv);
  fault.dir = '';
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines.at(-1)).toBe(`eou ${argv[0]}: ${target}: cannot write: ${REASONS[fault.code]}`);
  expect(lines.filter((l) => l.includes('cannot write'))).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\.tmp|at .*\(/);
  expect(filesUnder(dir).filter((f) => /\.tmp/.test(f))).toEqual([]);
}

describe('EXPECTED FAILURE - a write the file system refuses is one line, exit 2, naming the output (was exit 3)', () => {
  for (const code of ['ENOSPC', 'EACCES', 'EROFS'] as const) {
    it(`synth-corpus --out on ${code}`, async () => {
      const dir = faultyDir(code);
      const out = path.join(dir, 'corpus');
      await expectWriteFailure(['synth-corpus', '--model', model, '--out', out, '--files', '2'], dir, out);
    });

    it(`synth-model --out on ${code}`, async () => {
      const dir = faultyDir(code);
      const out = path.join(dir, 'model');
      await expectWriteFailure(['synth-model', '--out', out, '--shape', 'tiny'], dir, out);
    });

    it(`bench --out on ${code}`, async () => {
      const dir = faultyDir(code);
      const out = path.join(dir, 'bench.json');
      await expectWriteFailure(
        [
          'bench',
          '--model',
          model,
          '--variants',
          'ref',
          '--steps',
          '2',
          '--warmup',
          '0',
          '--quick',
          '--out',
          out,
        ],
        dir,
        out,
      );
    });

    it(`fuse --out on ${code}`, async () => {
      const dir = faultyDir(code);
      const out = path.join(dir, 'lean.onnx');
      await expectWriteFailure(['fuse', '--model', model, '--variant', 'lean', '--out', out], dir, out);
    });

    it(`wer-gate --out on ${code} (a read-only --out said "no such file or directory")`, async () => {
      const dir = faultyDir(code);
      const out = path.join(dir, 'gate');
      const run = await runCli([
        'wer-gate',
        '--model',
        model,
        '--data',
        corpus,
        '--candidates',
        'lean',
        '--concurrency',
        '1',
        '--batch',
        '1',
        '--out',
        out,
      ]);
      fault.dir = '';
      expect(run.code, run.stderr).toBe(2);
      const lines = run.stderr.trim().split('\n');
      // The gate's own line (E_WRITE_FAILED) names the directory it could not write in.
      expect(lines.at(-1)).toBe(`${out}: cannot write: ${REASONS[code]}`);
      expect(lines.filter((l) => l.includes('cannot write'))).toHaveLength(1);
      expect(filesUnder(dir).filter((f) => /\.tmp|\.lock|results\.jsonl/.test(f))).toEqual([]);
    });

    it(`wer --out on ${code}`, async () => {
      const dir = faultyDir(code);
      const text = path.join(root, 'ref.txt');
      fault.dir = '';
      fs.writeFileSync(text, 'u1 a b c\n');
      fault.dir = dir;
      const out = path.join(dir, 'sclite');
      await expectWriteFailure(['wer', '--ref', text, '--hyp', text, '--out', out], dir, out);
    });
  }

  it('fuse into the model directory on a full disk names the directory and leaves no temp file', async () => {
    const copy = path.join(root, 'model-copy');
    fs.cpSync(model, copy, { recursive: true });
    fault.dir = copy;
    fault.code = 'ENOSPC';
    await expectWriteFailure(['fuse', '--model', copy, '--variant', 'lean'], copy, copy);
  });

  for (const code of ['ENOSPC', 'EROFS'] as const)
    it(`encode --out on ${code}`, async () => {
      // One shipped held-out clip, with its text from the set's manifest.
      const set = setDir('synth-heldout');
      const line = JSON.parse(fs.readFileSync(path.join(set, 'manifest.jsonl'), 'utf8').split('\n')[0]!) as {
        id: string;
        text: string;
        duration: number;
        speech_end: number;
      };
      const clip = path.resolve(
        import.meta.dirname,
        '../../../packages/frontend/test/fixtures/heldout',
        `${line.id}.flac`,
      );
      const audio = path.join(root, `audio-${code}.jsonl`);
      fs.writeFileSync(
        audio,
        JSON.stringify({
          id: line.id,
          audio_filepath: clip,
          text: line.text,
          duration: line.duration,
          speech_end: line.speech_end,
        }) + '\n',
      );
      const dir = faultyDir(code);
      const out = path.join(dir, 'corpus');
      await expectWriteFailure(['encode', '--manifest', audio, '--out', out], dir, out);
    });

  it('a failure reading an input keeps naming the input, not the output', async () => {
    const out = path.join(root, 'never');
    const run = await runCli([
      'synth-corpus',
      '--model',
      path.join(root, 'missing'),
      '--out',
      out,
      '--files',
      '1',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(path.join(root, 'missing'));
    expect(run.stderr).not.toContain('cannot write');
  });
});
