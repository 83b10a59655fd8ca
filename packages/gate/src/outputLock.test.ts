import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GateError } from './gateError';
import { LOCK_NAME, lockOutput, lockOutputDir } from './outputLock';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-lock-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const dir = path.join(root, `d${n++}`);
  fs.mkdirSync(dir);
  return dir;
};
afterEach(() => {
  vi.restoreAllMocks();
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** A lock left by a process that is gone (as after a SIGKILL). */
async function staleLock(dir: string): Promise<{ file: string; pid: number }> {
  const pid = await deadPid();
  const file = path.join(dir, LOCK_NAME);
  fs.writeFileSync(file, JSON.stringify({ pid, host: os.hostname(), started: '2026-01-01T00:00:00.000Z' }));
  return { file, pid };
}

/** Runs `script` (ESM, with `lockOutput` and `fs` imported) in a child process; resolves with its end. */
async function runChild(
  name: string,
  body: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const script = path.join(root, `${name}.mts`);
  const module = fileURLToPath(new URL('./outputLock.ts', import.meta.url));
  fs.writeFileSync(
    script,
    `import fs from 'node:fs';\nimport { lockOutput } from ${JSON.stringify(module)};\n${body}\n`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: path.dirname(fileURLToPath(import.meta.url)),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

describe(lockOutput, () => {
  it('holds the directory until released, and release is idempotent', () => {
    const dir = fresh();
    const lock = lockOutput(dir);
    const holder = JSON.parse(fs.readFileSync(lock.file, 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(() => lockOutput(dir)).toThrow(GateError);
    lock.release();
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
    lockOutput(dir).release();
  });

  it('EXPECTED FAILURE - a lock being created (no content yet) is not taken over; one unreadable for long is, with a note', () => {
    const dir = fresh();
    const file = path.join(dir, LOCK_NAME);
    fs.writeFileSync(file, '');
    expect(() => lockOutput(dir)).toThrow(
      `${file}: the output directory is in use by a gate that is starting`,
    );
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const notes: string[] = [];
    lockOutput(dir, (line) => notes.push(line)).release();
    expect(notes).toEqual([`${file}: took over an unreadable lock`]);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    it(`is released when ${signal} ends the process`, async () => {
      const dir = fresh();
      const script = path.join(root, `hold-${signal}.mts`);
      const module = fileURLToPath(new URL('./outputLock.ts', import.meta.url));
      fs.writeFileSync(
        script,
        `import { lockOutput } from ${JSON.stringify(module)};\n` +
          `lockOutput(${JSON.stringify(dir)});\nconsole.log('locked');\nsetInterval(() => {}, 1000);\n`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: path.dirname(fileURLToPath(import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it locked`)));
      });
      expect(fs.existsSync(path.join(dir, LOCK_NAME))).toBe(true);
      child.kill(signal);
      const got = await new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, exitSignal) => resolve(exitSignal)),
      );
      expect(got).toBe(signal);
      expect(fs.existsSync(path.join(dir, LOCK_NAME))).toBe(false);
    });

  describe('two processes taking over one stale lock', () => {
    it('EXPECTED FAILURE - the one that looked before the other took it over is refused, and the winner keeps its lock', async () => {
      const dir = fresh();
      const { file, pid } = await staleLock(dir);
      // B reads the stale lock; before it acts on what it saw, A takes the lock over from start to end.
      const read = fs.readFileSync;
      let first: ReturnType<typeof lockOutput> | undefined;
      let armed = true;
      const notesA: string[] = [];
      vi.spyOn(fs, 'readFileSync').mockImplementation((...args: Parameters<typeof read>) => {
        const got = read(...args);
        if (armed) {
          armed = false;
          first = lockOutput(dir, (line) => notesA.push(line));
        }
        return got;
      });
      const notesB: string[] = [];
      expect(() => lockOutput(dir, (line) => notesB.push(line))).toThrow(
        new RegExp(`^${file}: the output directory is in use by pid ${process.pid} on .+ since \\S+; wait`),
      );
      vi.restoreAllMocks();
      expect(first).toBeDefined();
      expect(notesA).toEqual([
        `${file}: took over a lock of pid ${pid} (no longer running, started 2026-01-01T00:00:00.000Z)`,
      ]);
      expect(notesB).toEqual([]);
      // A still holds the lock it wrote.
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
      first!.release();
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it('EXPECTED FAILURE - one that arrives while the other is removing the stale lock is refused, naming the takeover', async () => {
      const dir = fresh();
      const { file } = await staleLock(dir);
      const rm = fs.rmSync;
      let second: unknown;
      let armed = true;
      vi.spyOn(fs, 'rmSync').mockImplementation((target, options) => {
        if (armed && target === file) {
          armed = false;
          second = (() => {
            try {
              return lockOutput(dir);
            } catch (error) {
              return error;
            }
          })();
        }
        rm(target, options);
      });
      const lock = lockOutput(dir);
      vi.restoreAllMocks();
      expect(second).toBeInstanceOf(GateError);
      expect(second).toMatchObject({ code: 'E_LOCKED', file });
      expect((second as Error).message).toMatch(
        new RegExp(
          `^${file}: the output directory is in use by pid ${process.pid} on .+, which is taking over a stale lock \\(${LOCK_NAME}\\.takeover-[0-9a-f]{16}\\); wait`,
        ),
      );
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
      lock.release();
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it('takes over after a taker was killed before removing the stale lock (its marker is stale too)', async () => {
      const dir = fresh();
      const { file, pid } = await staleLock(dir);
      const end = await runChild(
        'killed-before-remove',
        `const rm = fs.rmSync;\n` +
          `fs.rmSync = (target, options) => {\n` +
          `  if (target === ${JSON.stringify(file)}) process.kill(process.pid, 'SIGKILL');\n` +
          `  rm(target, options);\n};\n` +
          `lockOutput(${JSON.stringify(dir)});`,
      );
      expect(end.signal).toBe('SIGKILL');
      expect(fs.readdirSync(dir).sort()).toEqual([
        LOCK_NAME,
        expect.stringMatching(/\.takeover-[0-9a-f]{16}$/),
      ]);
      const notes: string[] = [];
      const lock = lockOutput(dir, (line) => notes.push(line));
      expect(notes).toEqual([
        `${file}: took over a lock of pid ${pid} (no longer running, started 2026-01-01T00:00:00.000Z)`,
      ]);
      expect(fs.readdirSync(dir)).toEqual([LOCK_NAME]);
      lock.release();
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it('removes the marker of a taker killed after it removed the stale lock', async () => {
      const dir = fresh();
      const { file } = await staleLock(dir);
      const end = await runChild(
        'killed-after-remove',
        `const rm = fs.rmSync;\n` +
          `fs.rmSync = (target, options) => {\n` +
          `  rm(target, options);\n` +
          `  if (target === ${JSON.stringify(file)}) process.kill(process.pid, 'SIGKILL');\n};\n` +
          `lockOutput(${JSON.stringify(dir)});`,
      );
      expect(end.signal).toBe('SIGKILL');
      expect(fs.readdirSync(dir)).toEqual([expect.stringMatching(/\.takeover-[0-9a-f]{16}$/)]);
      const lock = lockOutput(dir);
      expect(fs.readdirSync(dir)).toEqual([LOCK_NAME]);
      lock.release();
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });
});

describe(lockOutputDir, () => {
  it('creates the directory, and says so, or takes an existing one', () => {
    const dir = path.join(root, `new-${n++}`);
    const first = lockOutputDir(dir);
    expect(first.created).toBe(true);
    expect(fs.existsSync(path.join(dir, LOCK_NAME))).toBe(true);
    first.lock.release();
    const again = lockOutputDir(dir);
    expect(again.created).toBe(false);
    again.lock.release();
  });

  it('EXPECTED FAILURE - losing the race for a directory it created leaves the winner its lock', () => {
    // Another live gate locks the directory between this call's mkdir and its lock. Before, the
    // loser removed the directory it had created, recursively, and with it the winner's lock.
    const dir = path.join(root, `race-${n++}`);
    const mkdir = fs.mkdirSync.bind(fs);
    const winner = JSON.stringify({
      pid: process.ppid,
      host: os.hostname(),
      started: '2026-01-01T00:00:00.000Z',
    });
    vi.spyOn(fs, 'mkdirSync').mockImplementation((target, options) => {
      const made = mkdir(target, options);
      if (target === dir) fs.writeFileSync(path.join(dir, LOCK_NAME), winner);
      return made;
    });
    expect(() => lockOutputDir(dir)).toThrow(expect.objectContaining({ code: 'E_LOCKED' }));
    expect(fs.readFileSync(path.join(dir, LOCK_NAME), 'utf8')).toBe(winner);
  });

  it('removes a directory it created when the lock cannot be taken and nothing is in it', () => {
    const dir = path.join(root, `empty-${n++}`);
    vi.spyOn(fs, 'openSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    expect(() => lockOutputDir(dir)).toThrow();
    expect(fs.existsSync(dir)).toBe(false);
  });
});
