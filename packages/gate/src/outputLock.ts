/**
 * The output directory's lock: `<outDir>/.eou-gate.lock`, created exclusively (`O_EXCL`) and holding
 * the holder's pid, host and start time, so two gates never append to one `results.jsonl` (two did:
 * 32 duplicate ids and a torn line). A second gate is refused naming the holder; a lock left by a dead
 * process on this host (SIGKILL cannot be caught) is taken over with a note. Released on return, on
 * `process.exit` and on SIGINT / SIGTERM.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GateError } from './gateError';
import { writingTo } from './writeFailure';

/** The lock file's name inside the output directory. */
export const LOCK_NAME = '.eou-gate.lock';

/** What a lock file holds. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the holder took the lock. */
  readonly started: string;
}

/** A held lock; `release()` is idempotent. */
export interface OutputLock {
  readonly file: string;
  release(): void;
}

/** A lock file whose content cannot be read yet is a lock being created, for this long. */
const CREATING_MS = 10_000;

const held = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function releaseAll(): void {
  for (const file of held) fs.rmSync(file, { force: true });
  held.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  releaseAll();
  unlisten();
  // Then the signal's own effect (end the process), unless the program handles it itself.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function listen(): void {
  process.on('exit', releaseAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function unlisten(): void {
  process.removeListener('exit', releaseAll);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder> | null;
    if (
      value !== null &&
      typeof value === 'object' &&
      Number.isSafeInteger(value.pid) &&
      typeof value.host === 'string' &&
      typeof value.started === 'string'
    )
      return value as LockHolder;
  } catch {
    // Torn, unreadable or gone: judged by its age below.
  }
  return undefined;
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify(holder) + '\n');
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return true;
}

/**
 * Takes `<dir>/.eou-gate.lock` (the directory must exist).
 *
 * @param onNote told when a stale lock (of a dead process on this host) is taken over.
 * @throws {GateError} `E_LOCKED` naming the lock file and its holder when another live process holds
 *   it; `E_WRITE_FAILED` naming `dir` when the lock cannot be written there.
 */
export function lockOutput(dir: string, onNote?: (line: string) => void): OutputLock {
  const file = path.join(dir, LOCK_NAME);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    if (writingTo(dir, () => tryCreate(file, me))) {
      if (held.size === 0) listen();
      held.add(file);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          if (held.delete(file)) fs.rmSync(file, { force: true });
          if (held.size === 0) unlisten();
        },
      };
    }
    const holder = readHolder(file);
    let stale: string | undefined;
    if (holder === undefined) {
      const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > CREATING_MS) stale = 'an unreadable lock';
    } else if (holder.host === me.host && holder.pid !== process.pid && !isRunning(holder.pid))
      stale = `a lock of pid ${holder.pid} (no longer running, started ${holder.started})`;
    if (stale === undefined || attempt > 0) {
      const who =
        holder === undefined
          ? 'a gate that is starting'
          : `pid ${holder.pid} on ${holder.host} since ${holder.started}`;
      throw new GateError(
        'E_LOCKED',
        `${file}: the output directory is in use by ${who}; wait for it to finish or use another output directory`,
        { file },
      );
    }
    fs.rmSync(file, { force: true });
    onNote?.(`${file}: took over ${stale}`);
  }
}
