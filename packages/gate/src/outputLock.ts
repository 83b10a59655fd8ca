/**
 * The output directory's lock: `<outDir>/.eou-gate.lock`, created exclusively (`O_EXCL`) and holding
 * the holder's pid, host and start time, so two gates never append to one `results.jsonl` (two did:
 * 32 duplicate ids and a torn line). A second gate is refused naming the holder; a lock left by a dead
 * process on this host (SIGKILL cannot be caught) is taken over with a note. Released on return, on
 * `process.exit` and on SIGINT / SIGTERM.
 *
 * Taking over is exclusive: two gates that both saw the same stale lock once both took it (the second
 * removed the first's fresh lock). Now only the winner of an `O_EXCL` takeover marker named after the
 * exact stale file may remove it, after checking that the file there is still that one and still stale.
 */
import { createHash } from 'node:crypto';
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

function holderIn(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    if (
      value !== null &&
      typeof value === 'object' &&
      Number.isSafeInteger(value.pid) &&
      typeof value.host === 'string' &&
      typeof value.started === 'string'
    )
      return value as LockHolder;
  } catch {
    // Torn or empty: judged by its age.
  }
  return undefined;
}

/** One look at a lock (or takeover marker) file: who holds it, whether it is stale, and which file it was. */
interface Seen {
  readonly holder: LockHolder | undefined;
  /** Why it may be taken over, or undefined while its holder may still be alive. */
  readonly stale: string | undefined;
  /** The exact file seen (inode, mtime, bytes): a lock removed and created again is another one. */
  readonly id: string;
}

/**
 * Reads `file` through one descriptor (so content and identity belong together); undefined when gone.
 * A file this process may not read is judged by its age, as a torn one.
 */
function inspect(file: string, host: string): Seen | undefined {
  let stat: fs.Stats;
  let text = '';
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
  }
  if (fd === undefined) {
    const found = fs.statSync(file, { throwIfNoEntry: false });
    if (found === undefined) return undefined;
    stat = found;
  } else {
    try {
      stat = fs.fstatSync(fd);
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  }
  const holder = holderIn(text);
  let stale: string | undefined;
  if (holder === undefined) {
    if (Date.now() - stat.mtimeMs > CREATING_MS) stale = 'an unreadable lock';
  } else if (holder.host === host && holder.pid !== process.pid && !isRunning(holder.pid))
    stale = `a lock of pid ${holder.pid} (no longer running, started ${holder.started})`;
  const id = createHash('sha256')
    .update(`${stat.dev}:${stat.ino}:${stat.mtimeMs}:${stat.size}\n${text}`)
    .digest('hex')
    .slice(0, 16);
  return { holder, stale, id };
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

/** Takeover markers of stale markers are nested this deep at most (each level is a crash mid-takeover). */
const MAX_TAKEOVER_DEPTH = 3;

/** Prefix of takeover markers: `<lock>.takeover-<id of the stale file>`. */
const MARKER_INFIX = '.takeover-';

type Takeover =
  | { readonly kind: 'removed' }
  /** The file is not the one inspected any more (taken over, released or replaced): look again. */
  | { readonly kind: 'changed' }
  /** A live process is taking it over (it holds `marker`). */
  | { readonly kind: 'busy'; readonly marker: string; readonly taker: LockHolder | undefined };

/**
 * Removes the stale `target` exactly as `seen`, if this process wins its takeover marker (created
 * `O_EXCL`, named after the file seen) and the file is still that one and still stale. Two processes
 * that both saw the same stale lock thus cannot both remove it: the second either loses the marker or,
 * holding it after the first finished, finds another file there. A marker left by a taker that died
 * (SIGKILL mid-takeover) is stale in turn and taken over the same way, one level deeper.
 */
function takeOver(target: string, seen: Seen, me: LockHolder, depth: number): Takeover {
  const marker = `${target}${MARKER_INFIX}${seen.id}`;
  if (!tryCreate(marker, me)) {
    const other = inspect(marker, me.host);
    if (other === undefined) return { kind: 'changed' };
    if (other.stale === undefined || depth + 1 >= MAX_TAKEOVER_DEPTH)
      return { kind: 'busy', marker, taker: other.holder };
    const nested = takeOver(marker, other, me, depth + 1);
    if (nested.kind !== 'removed') return nested;
    if (!tryCreate(marker, me)) return { kind: 'changed' };
  }
  try {
    const now = inspect(target, me.host);
    if (now === undefined || now.id !== seen.id || now.stale === undefined) return { kind: 'changed' };
    fs.rmSync(target, { force: true });
    return { kind: 'removed' };
  } finally {
    fs.rmSync(marker, { force: true });
  }
}

/** Removes takeover markers left by takers that died after removing their stale file (they hold nothing). */
function sweepMarkers(dir: string, host: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(LOCK_NAME + MARKER_INFIX)) continue;
    const file = path.join(dir, name);
    if (inspect(file, host)?.stale !== undefined) fs.rmSync(file, { force: true });
  }
}

function lockedError(file: string, who: string): GateError {
  return new GateError(
    'E_LOCKED',
    `${file}: the output directory is in use by ${who}; wait for it to finish or use another output directory`,
    { file },
  );
}

const holderText = (holder: LockHolder | undefined, starting: string): string =>
  holder === undefined ? starting : `pid ${holder.pid} on ${holder.host} since ${holder.started}`;

/** Looks at the lock this many times at most (each look after a takeover or a lock that went away). */
const MAX_ATTEMPTS = 4;

/**
 * Takes `<dir>/.eou-gate.lock` (the directory must exist).
 *
 * @param onNote told when a stale lock (of a dead process on this host) is taken over.
 * @throws {GateError} `E_LOCKED` naming the lock file and its holder when another live process holds
 *   it (or is taking over a stale one); `E_WRITE_FAILED` naming `dir` when the lock cannot be written there.
 */
export function lockOutput(dir: string, onNote?: (line: string) => void): OutputLock {
  const file = path.join(dir, LOCK_NAME);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  let tookOver: string | undefined;
  for (let attempt = 0; ; attempt++) {
    if (writingTo(dir, () => tryCreate(file, me))) {
      if (held.size === 0) listen();
      held.add(file);
      let released = false;
      try {
        sweepMarkers(dir, me.host);
      } catch {
        // Litter only: a marker that cannot be removed now holds nothing and must not fail the run.
      }
      if (tookOver !== undefined) onNote?.(`${file}: took over ${tookOver}`);
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
    const seen = inspect(file, me.host);
    const last = attempt + 1 >= MAX_ATTEMPTS;
    if (seen === undefined) {
      // Released between our create and our look: try again.
      if (last) throw lockedError(file, 'a gate that is starting');
      continue;
    }
    if (seen.stale === undefined || last)
      throw lockedError(file, holderText(seen.holder, 'a gate that is starting'));
    const outcome = writingTo(dir, () => takeOver(file, seen, me, 0));
    if (outcome.kind === 'busy')
      throw lockedError(
        file,
        `${holderText(outcome.taker, 'a gate')}, which is taking over a stale lock (${path.basename(outcome.marker)})`,
      );
    if (outcome.kind === 'removed') tookOver = seen.stale;
  }
}

/** Removes `dir` if nothing is in it (another gate may have taken it since the lock was released). */
export function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty or already gone: not ours to remove.
  }
}

/**
 * Creates `dir` when missing and takes its lock. When the lock cannot be had, a directory this call
 * created is removed only if still empty: a gate that won the race for it keeps its lock file.
 * @returns the lock, and whether `dir` was created here
 * @throws as {@link lockOutput}
 */
export function lockOutputDir(
  dir: string,
  onNote?: (line: string) => void,
): { readonly lock: OutputLock; readonly created: boolean } {
  const created = !fs.existsSync(dir);
  writingTo(dir, () => fs.mkdirSync(dir, { recursive: true }));
  try {
    return { lock: lockOutput(dir, onNote), created };
  } catch (error) {
    if (created) removeIfEmpty(dir);
    throw error;
  }
}
