import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateError } from './gateError';
import { LOCK_NAME, lockOutput } from './outputLock';

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
});
