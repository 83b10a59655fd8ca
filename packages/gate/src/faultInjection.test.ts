/**
 * The gate under faults (issue 19): seeded SIGKILLs at random moments then a resume, two gates on one
 * output directory, runs that fail to start, a full disk and a read-only output (injected into
 * `node:fs`: no root or small file system needed), overlapping and disagreeing shard merges, hostile
 * ids and records. Every run that completes must give the report of one uninterrupted run, byte for
 * byte outside `timing`, `provenance` and `execution` (how and when it ran).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@eou/wer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { corpusIds, makeCorpus, makeModel } from '../test/fixture';
import { GateError } from './gateError';
import { deterministicPart, type GateReport } from './gateReport';
import { mergeShards } from './mergeShards';
import { LOCK_NAME } from './outputLock';
import { readResults } from './resultsLog';
import { runGate, type RunGateOptions } from './runGate';

type FaultCode = 'ENOSPC' | 'EROFS';
/** Writes under `dir` fail: `results.jsonl` after `writes` good writes, reports at once, mkdir/open with EROFS. */
const fault: { dir: string; code: FaultCode; writes: number; target: RegExp } = {
  dir: '',
  code: 'ENOSPC',
  writes: 0,
  target: /./,
};

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const hit = (file: unknown): boolean =>
    fault.dir !== '' &&
    typeof file === 'string' &&
    path.resolve(file).startsWith(fault.dir + path.sep) &&
    fault.target.test(path.basename(file));
  const errno = (syscall: string, file?: string) =>
    Object.assign(new Error(`${fault.code}: ${syscall}${file ? ` '${file}'` : ''}`), {
      code: fault.code,
      syscall,
      ...(file ? { path: file } : {}),
    });
  const writing = (flags: unknown) => typeof flags === 'string' && /[wa+]/.test(flags);
  const watched = new Set<number>();
  const patched = {
    ...real,
    openSync(file: fs.PathLike, flags: fs.OpenMode = 'r', mode?: fs.Mode) {
      if (!hit(file) || !writing(flags)) return real.openSync(file, flags, mode);
      if (fault.code === 'EROFS') throw errno('open', file as string);
      const fd = real.openSync(file, flags, mode);
      watched.add(fd);
      return fd;
    },
    writeSync(fd: number, ...rest: unknown[]) {
      if (watched.has(fd) && fault.writes-- <= 0) {
        // A full disk: half the line lands, then the write fails naming no path.
        const [buffer, offset = 0, length] = rest as [Uint8Array, number?, number?];
        real.writeSync(fd, buffer, offset, (length ?? buffer.byteLength - offset) >> 1);
        throw errno('write');
      }
      return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    },
    closeSync(fd: number) {
      watched.delete(fd);
      return real.closeSync(fd);
    },
    writeFileSync(file: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, options?: unknown) {
      if (!hit(file)) return real.writeFileSync(file, data, options as fs.WriteFileOptions);
      if (fault.code === 'EROFS') throw errno('open', file as string);
      real.writeFileSync(file, typeof data === 'string' ? data.slice(0, data.length >> 1) : '');
      throw errno('write');
    },
    mkdirSync(dir: fs.PathLike, options?: fs.MakeDirectoryOptions) {
      if (hit(dir) && fault.code === 'EROFS' && !real.existsSync(dir)) throw errno('mkdir', dir as string);
      return real.mkdirSync(dir, options);
    },
  };
  return { ...patched, default: patched };
});

const FILES = 40;
let root: string;
let model: string;
let corpus: string;
let canonical: string;
const versions = { '@eou/gate': 'fault-injection test' };
const base = (): Omit<RunGateOptions, 'outDir'> => ({
  modelDir: model,
  dataDir: corpus,
  // int8 differs from the reference on about half the files, so flip margins are measured too.
  candidates: ['lean', 'int8'],
  workers: 1,
  batch: 1,
  provenance: { command: 'fault test', versions },
});
/** The report outside its timing, provenance and execution, as bytes. */
const bytesOf = (report: GateReport) => JSON.stringify(deterministicPart(report));
const reportIn = (dir: string) =>
  bytesOf(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as GateReport);
const tempsIn = (dir: string) =>
  (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.tmp|\.lock$/.test(f));
let outs = 0;
const freshOut = () => path.join(root, `out-${outs++}`);

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-faults-'));
  model = makeModel(path.join(root, 'model'), 7, ['lean', 'int8']);
  corpus = makeCorpus(path.join(root, 'corpus'), model, { files: FILES, broken: true, lowMarginShare: 0.5 });
  const whole = (await runGate({ ...base(), outDir: path.join(root, 'whole') })).report!;
  expect(whole.flipMargins.find((f) => f.variant === 'int8')!.filesChecked).toBeGreaterThan(5);
  canonical = bytesOf(whole);
}, 60_000);
afterEach(() => {
  fault.dir = '';
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A gate in a child process (the source through tsx); resolves with its exit code or the signal. */
function childGate(out: string, workers: number, batch: number) {
  const script = path.join(root, 'gate-child.mts');
  if (!fs.existsSync(script)) {
    const module = fileURLToPath(new URL('./runGate.ts', import.meta.url));
    fs.writeFileSync(
      script,
      `import { runGate } from ${JSON.stringify(module)};\n` +
        `const [modelDir, dataDir, outDir, workers, batch] = process.argv.slice(2);\n` +
        `let said = false;\n` +
        `await runGate({ modelDir, dataDir, outDir, candidates: ['lean', 'int8'], workers: Number(workers), batch: Number(batch),\n` +
        `  provenance: { command: 'fault test', versions: ${JSON.stringify(versions)} },\n` +
        `  onProgress: () => { if (!said) { said = true; console.log('started'); } } });\n` +
        `console.log('finished');\n`,
    );
  }
  const child = spawn(
    process.execPath,
    // The sibling packages from their TypeScript source, as in this process.
    [
      '--conditions=@eou/source',
      '--import',
      'tsx',
      script,
      model,
      corpus,
      out,
      String(workers),
      String(batch),
    ],
    { cwd: path.dirname(fileURLToPath(import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const started = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, started, ended };
}

describe('SIGKILL at seeded random moments, then resume', () => {
  it('ends with the report of an uninterrupted run, whatever the workers and batch of each attempt', async () => {
    const out = freshOut();
    const rnd = seededRandom(19);
    const modes = [
      [2, 1],
      [1, 4],
      [2, 4],
      [1, 1],
    ] as const;
    let kills = 0;
    for (const [workers, batch] of modes) {
      const run = childGate(out, workers, batch);
      await Promise.race([run.started, run.ended]);
      const delay = Math.floor(rnd() * 900);
      const timer = setTimeout(() => run.child.kill('SIGKILL'), delay);
      const end = await run.ended;
      clearTimeout(timer);
      if (end.signal === 'SIGKILL') kills += 1;
      else expect(end.code, end.stderr).toBe(0);
    }
    expect(kills).toBeGreaterThan(0);
    const notes: string[] = [];
    const last = await runGate({ ...base(), workers: 2, outDir: out, onNote: (n) => notes.push(n) });
    expect(bytesOf(last.report!)).toBe(canonical);
    expect(reportIn(out)).toBe(canonical);
    const log = readResults(path.join(out, 'results.jsonl'));
    expect(new Set(log.files.map((f) => f.id)).size).toBe(FILES);
    expect(tempsIn(out)).toEqual([]);
    for (const n of notes)
      expect(n).toMatch(/took over a lock of pid \d+ \(no longer running|torn last line/);
  }, 120_000);
});

describe('two gates on one output directory', () => {
  it('EXPECTED FAILURE - the second, in this process, is E_LOCKED naming the lock and holder; the first finishes the whole report', async () => {
    const out = freshOut();
    const first = runGate({ ...base(), outDir: out });
    const second = await runGate({ ...base(), outDir: out }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(GateError);
    expect(second).toMatchObject({ code: 'E_LOCKED', file: path.join(out, LOCK_NAME) });
    expect((second as Error).message).toMatch(
      new RegExp(
        `^${path.join(out, LOCK_NAME)}: the output directory is in use by pid ${process.pid} on .+ since \\S+; wait`,
      ),
    );
    expect(bytesOf((await first).report!)).toBe(canonical);
    expect(tempsIn(out)).toEqual([]);
    // Released: a third run resumes everything.
    expect((await runGate({ ...base(), outDir: out })).resumed).toBe(FILES);
  });

  it('EXPECTED FAILURE - a gate in another process holds the lock: refused naming its pid; its report is the whole run', async () => {
    const out = freshOut();
    const run = childGate(out, 1, 1);
    await Promise.race([run.started, run.ended]);
    const error = await runGate({ ...base(), outDir: out }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_LOCKED' });
    expect((error as Error).message).toContain(`in use by pid ${run.child.pid} on ${os.hostname()}`);
    const end = await run.ended;
    expect(end.code, end.stderr).toBe(0);
    expect(reportIn(out)).toBe(canonical);
    expect(readResults(path.join(out, 'results.jsonl')).files).toHaveLength(FILES);
  }, 60_000);

  it('takes over the lock of a dead process on this host, with a note', async () => {
    const out = freshOut();
    fs.mkdirSync(out);
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const lock = { pid: dead.pid, host: os.hostname(), started: '2026-01-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(out, LOCK_NAME), JSON.stringify(lock));
    const notes: string[] = [];
    const run = await runGate({ ...base(), outDir: out, onNote: (n) => notes.push(n) });
    expect(notes).toEqual([
      `${path.join(out, LOCK_NAME)}: took over a lock of pid ${dead.pid} (no longer running, started 2026-01-01T00:00:00.000Z)`,
    ]);
    expect(bytesOf(run.report!)).toBe(canonical);
    expect(fs.existsSync(path.join(out, LOCK_NAME))).toBe(false);
  });

  it('EXPECTED FAILURE - a lock of another host is never taken over', async () => {
    const out = freshOut();
    fs.mkdirSync(out);
    fs.writeFileSync(
      path.join(out, LOCK_NAME),
      JSON.stringify({ pid: 1, host: 'elsewhere', started: '2026-01-01T00:00:00.000Z' }),
    );
    await expect(runGate({ ...base(), outDir: out })).rejects.toThrow(
      `${path.join(out, LOCK_NAME)}: the output directory is in use by pid 1 on elsewhere since 2026-01-01T00:00:00.000Z`,
    );
    expect(fs.readdirSync(out)).toEqual([LOCK_NAME]);
  });
});

describe('runs that fail to start write nothing (a corrected rerun is not refused)', () => {
  function brokenModel(name: string, edit: (dir: string) => void): string {
    const dir = path.join(root, name);
    fs.cpSync(model, dir, { recursive: true });
    edit(dir);
    return dir;
  }

  it.each([
    ['in process', 1],
    ['on worker threads', 2],
  ])('EXPECTED FAILURE - a model whose session cannot load (%s)', async (_how, workers) => {
    const broken = brokenModel(`broken-${workers}`, (dir) =>
      fs.writeFileSync(path.join(dir, 'decoder_joint_decision_fused.onnx'), 'not an onnx file'),
    );
    const out = freshOut();
    const error = await runGate({ ...base(), modelDir: broken, workers, outDir: out }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'GateError', code: 'E_BAD_MODEL' });
    expect(fs.existsSync(out)).toBe(false);
    // The same directory after the fix: a new log, no "written by a run with other settings".
    fs.cpSync(model, broken, { recursive: true });
    const fixed = await runGate({ ...base(), modelDir: broken, workers, outDir: out });
    expect(fixed).toMatchObject({ resumed: 0, decodedNow: FILES });
    expect(fixed.report!.corpus.scoredFiles).toBe((JSON.parse(canonical) as GateReport).corpus.scoredFiles);
  });

  it('EXPECTED FAILURE - a failed start in an existing output directory leaves it as it was', async () => {
    const out = freshOut();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const broken = brokenModel('broken-keep', (dir) =>
      fs.writeFileSync(path.join(dir, 'decoder_joint_decision_fused.onnx'), ''),
    );
    await expect(runGate({ ...base(), modelDir: broken, outDir: out })).rejects.toMatchObject({
      code: 'E_BAD_MODEL',
    });
    expect(fs.readdirSync(out)).toEqual(['notes.txt']);
  });
});

describe('a full disk and a read-only output (injected)', () => {
  it.each([
    ['in process', 1, 1],
    ['on worker threads', 2, 1],
    // Past the 8 probe files decoded on this thread: a failure while the workers decode.
    ['in lock-step batches on worker threads', 2, 4],
  ])(
    'EXPECTED FAILURE - appending results (%s) is E_WRITE_FAILED naming results.jsonl; the resumed run gives the same report',
    async (_how, workers, batch) => {
      const out = freshOut();
      const writes = batch > 1 ? 12 : 7;
      Object.assign(fault, { dir: out, code: 'ENOSPC', writes, target: /^results\.jsonl$/ });
      const error = await runGate({ ...base(), workers, batch, outDir: out }).catch((e: unknown) => e);
      fault.dir = '';
      const file = path.join(out, 'results.jsonl');
      expect(error).toBeInstanceOf(GateError);
      expect(error).toMatchObject({
        code: 'E_WRITE_FAILED',
        message: `${file}: cannot write: no space left on the device`,
      });
      expect(tempsIn(out)).toEqual([]);
      // Space freed: the torn line is dropped and the run completes as if never stopped.
      const notes: string[] = [];
      const resumed = await runGate({ ...base(), workers, batch, outDir: out, onNote: (n) => notes.push(n) });
      expect(resumed.resumed).toBe(writes);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(new RegExp(`^${file} line ${writes + 2}: dropped a torn last line`));
      expect(bytesOf(resumed.report!)).toBe(canonical);
    },
  );

  it('EXPECTED FAILURE - the first write of a new log failing leaves no log', async () => {
    const out = freshOut();
    Object.assign(fault, { dir: out, code: 'ENOSPC', writes: 0, target: /^results\.jsonl$/ });
    await expect(runGate({ ...base(), outDir: out })).rejects.toMatchObject({ code: 'E_WRITE_FAILED' });
    fault.dir = '';
    expect(fs.existsSync(out)).toBe(false);
  });

  it('EXPECTED FAILURE - writing a report is E_WRITE_FAILED naming it, with no temp file; the rerun writes the same report', async () => {
    const out = freshOut();
    Object.assign(fault, { dir: out, code: 'ENOSPC', writes: 0, target: /^report\.json\.tmp-/ });
    const error = await runGate({ ...base(), outDir: out }).catch((e: unknown) => e);
    fault.dir = '';
    expect(error).toMatchObject({
      code: 'E_WRITE_FAILED',
      message: `${path.join(out, 'report.json')}: cannot write: no space left on the device`,
    });
    expect(tempsIn(out)).toEqual([]);
    expect(fs.existsSync(path.join(out, 'report.json'))).toBe(false);
    const rerun = await runGate({ ...base(), outDir: out });
    expect(rerun.resumed).toBe(FILES);
    expect(reportIn(out)).toBe(canonical);
  });

  it('EXPECTED FAILURE - a read-only output directory names it (it said "no such file or directory")', async () => {
    const out = freshOut();
    Object.assign(fault, {
      dir: root,
      code: 'EROFS',
      writes: 0,
      target: new RegExp(`^${path.basename(out)}$`),
    });
    await expect(runGate({ ...base(), outDir: out })).rejects.toMatchObject({
      code: 'E_WRITE_FAILED',
      message: `${out}: cannot write: read-only file system`,
    });
  });
});

describe('merging overlapping shards', () => {
  const shard = async (index: number, count: number) => {
    const out = path.join(root, `shard-${index}-of-${count}`);
    if (!fs.existsSync(out)) await runGate({ ...base(), shard: { index, count }, outDir: out });
    return out;
  };

  it('EXPECTED FAILURE - a whole run plus shard 1/3 counts each file once (it reported 534 files of 403), with a note', async () => {
    const notes: string[] = [];
    const merged = await mergeShards([path.join(root, 'whole'), await shard(1, 3)], {
      outDir: freshOut(),
      onNote: (n) => notes.push(n),
    });
    expect(merged.corpus.scoredFiles + merged.corpus.failed.length).toBe(FILES);
    expect(merged.corpus.failed.map((f) => f.id)).toEqual(['3', '5', '7'].map((i) => corpusIds(corpus)[+i]));
    expect(notes).toEqual([
      `14 file(s) held by more than one log with the same results (first: '${corpusIds(corpus)[0]}'), counted once`,
    ]);
    expect(bytesOf(merged)).toBe(canonical);
  });

  it('merges shards of different counts that together cover the manifest', async () => {
    const merged = await mergeShards([await shard(1, 2), await shard(2, 2), await shard(2, 3)], {
      outDir: freshOut(),
    });
    expect(bytesOf(merged)).toBe(canonical);
  });

  it('EXPECTED FAILURE - shards that leave manifest files uncovered are refused, never under- or over-counted', async () => {
    const error = await mergeShards([await shard(1, 2), await shard(2, 3), await shard(3, 3)], {
      outDir: freshOut(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_BAD_SHARDS',
      message: `7 of ${FILES} manifest file(s) are in no log (first: '${corpusIds(corpus)[3]}')`,
    });
  });

  it('EXPECTED FAILURE - logs that disagree on a file are refused naming both lines', async () => {
    const edited = path.join(root, 'edited-shard');
    fs.cpSync(await shard(1, 3), edited, { recursive: true });
    const file = path.join(edited, 'results.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const record = JSON.parse(lines[1]!) as { variants: Record<string, { steps: number }> };
    record.variants['lean']!.steps += 1;
    lines[1] = JSON.stringify(record);
    fs.writeFileSync(file, lines.join('\n'));
    const error = await mergeShards([path.join(root, 'whole'), edited], { outDir: freshOut() }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'E_BAD_SHARDS' });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${file} line 2: file '.+' has other results than .+whole/results\\.jsonl line \\d+; these logs are not of one run$`,
      ),
    );
  });

  it('EXPECTED FAILURE - a manifest changed since the shards ran is refused', async () => {
    const copy = path.join(root, 'corpus-copy');
    fs.cpSync(corpus, copy, { recursive: true });
    const out = path.join(root, 'copy-whole');
    await runGate({ ...base(), dataDir: copy, outDir: out });
    fs.appendFileSync(path.join(copy, 'manifest.jsonl'), '\n');
    await expect(mergeShards([out], { outDir: freshOut() })).rejects.toThrow(
      new RegExp(`^${path.join(copy, 'manifest.jsonl')}: changed since the shards ran`),
    );
  });

  it('EXPECTED FAILURE - a record whose id is not in the manifest is refused naming the log and line', async () => {
    const bad = path.join(root, 'foreign-shard');
    fs.cpSync(path.join(root, 'whole'), bad, { recursive: true });
    const file = path.join(bad, 'results.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2]!.replace(/"id":"[^"]+"/, '"id":"not-in-the-manifest"');
    fs.writeFileSync(file, lines.join('\n'));
    await expect(mergeShards([bad], { outDir: freshOut() })).rejects.toMatchObject({
      code: 'E_BAD_RESULTS',
      message: `${file} line 3: id "not-in-the-manifest" is not in the manifest (delete the line to redo that file, or the log to start over)`,
    });
  });
});

describe('determinism: the same report whatever the execution', () => {
  it.each([
    [2, 1],
    [2, 3],
    [1, 16],
  ])('workers %i, batch %i give the bytes of workers 1, batch 1', async (workers, batch) => {
    const out = freshOut();
    const run = await runGate({ ...base(), workers, batch, outDir: out });
    expect(bytesOf(run.report!)).toBe(canonical);
    expect(run.report!.execution.workers).toBeLessThanOrEqual(workers);
  });

  it('reports the threads that ran, not the request (it said workers: 100000 when 3 ran)', async () => {
    const small = path.join(root, 'small-corpus');
    makeCorpus(small, model, { files: 3 });
    const run = await runGate({ ...base(), dataDir: small, workers: 100_000, outDir: freshOut() });
    expect(run.report!.execution).toMatchObject({ mode: 'worker-threads', workers: 3 });
  });
});

describe('hostile ids and corpora', () => {
  const HOSTILE = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'prototype', 'valueOf'];

  function rewrite(dir: string, edit: (line: Record<string, unknown>, i: number) => void): string {
    fs.cpSync(corpus, dir, { recursive: true });
    const file = path.join(dir, 'manifest.jsonl');
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    lines.forEach(edit);
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return dir;
  }

  it('EXPECTED FAILURE - ids such as __proto__ are files like any other (it crashed with exit 3)', async () => {
    const dir = rewrite(path.join(root, 'hostile'), (l, i) => {
      if (i < HOSTILE.length) l.id = HOSTILE[i];
    });
    const out = freshOut();
    const run = await runGate({ ...base(), dataDir: dir, workers: 2, outDir: out });
    const whole = JSON.parse(canonical) as GateReport;
    expect(run.report!.corpus.scoredFiles + run.report!.corpus.failed.length).toBe(FILES);
    expect(run.report!.variants).toEqual(whole.variants);
    expect(run.report!.flipMargins).toEqual(whole.flipMargins);
    // Resumed and merged with the same ids.
    expect((await runGate({ ...base(), dataDir: dir, outDir: out })).resumed).toBe(FILES);
    expect(bytesOf(await mergeShards([out], { outDir: freshOut() }))).toBe(bytesOf(run.report!));
  });

  it('EXPECTED FAILURE - references with no words are bad input, nothing written (it said PASS at "WER 10800%")', async () => {
    const dir = rewrite(path.join(root, 'wordless'), (l) => {
      l.text = ' ';
    });
    const out = freshOut();
    await expect(runGate({ ...base(), dataDir: dir, outDir: out })).rejects.toMatchObject({
      code: 'E_BAD_CORPUS',
      message: `${path.join(dir, 'manifest.jsonl')}: the references hold no words (after the harness normaliser), so WER is undefined; give each file its reference text`,
    });
    expect(fs.existsSync(out)).toBe(false);
  });

  it("EXPECTED FAILURE - frames that resolve outside the corpus through a symlink are that file's failure", async () => {
    const dir = rewrite(path.join(root, 'escaping'), () => {});
    const ids = corpusIds(dir);
    const outside = path.join(root, 'outside.npy');
    const first = path.join(dir, `frames/${ids[0]}.npy`);
    fs.copyFileSync(first, outside);
    fs.rmSync(first);
    fs.symlinkSync(outside, first);
    // A symlink that stays inside the corpus is fine.
    const second = path.join(dir, `frames/${ids[1]}.npy`);
    fs.renameSync(second, path.join(dir, 'moved.npy'));
    fs.symlinkSync(path.join(dir, 'moved.npy'), second);
    const run = await runGate({ ...base(), dataDir: dir, outDir: freshOut() });
    const failed = new Map(run.report!.corpus.failed.map((f) => [f.id, f.reason]));
    expect(failed.get(ids[0]!)).toBe(
      `${path.join(dir, 'manifest.jsonl')} line 1: \`frames\` "frames/${ids[0]}.npy" resolves outside the corpus directory (to ${fs.realpathSync(outside)}); copy the file into the corpus`,
    );
    expect(failed.has(ids[1]!)).toBe(false);
  });

  it('EXPECTED FAILURE - a frames path that is a directory fails that file naming the path', async () => {
    const dir = rewrite(path.join(root, 'dir-frames'), () => {});
    const ids = corpusIds(dir);
    const frames = path.join(dir, `frames/${ids[0]}.npy`);
    fs.rmSync(frames);
    fs.mkdirSync(frames);
    const run = await runGate({ ...base(), dataDir: dir, outDir: freshOut() });
    expect(run.report!.corpus.failed.find((f) => f.id === ids[0])!.reason).toBe(
      `${frames}: is a directory, expected a .npy file`,
    );
  });
});
