/**
 * Temp directories next to their target, named for the process that writes them
 * (`<target>.tmp-<pid>`), so that a later run can tell an abandoned one (its process is gone: killed
 * mid-generation) from one still being written, and remove it.
 */
import fs from 'node:fs';
import path from 'node:path';

/** This process's temp sibling of `target`. */
export function tempSibling(target: string): string {
  return `${target}.tmp-${process.pid}`;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temps of this process being filled; removed if SIGINT or SIGTERM ends it first. */
const inFlight = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const tmp of inFlight) fs.rmSync(tmp, { recursive: true, force: true });
  inFlight.clear();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // Then the signal's own effect (end the process), unless the program handles it itself.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function track(tmp: string): void {
  if (inFlight.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  inFlight.add(tmp);
}

function untrack(tmp: string): void {
  inFlight.delete(tmp);
  if (inFlight.size === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/**
 * Removes the temp siblings of `target` whose process no longer runs.
 * @returns the paths removed.
 */
export function removeStaleTemps(target: string): string[] {
  const parent = path.dirname(target);
  const prefix = `${path.basename(target)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isSafeInteger(pid) || pid <= 0 || isRunning(pid)) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    removed.push(path.join(parent, name));
  }
  return removed;
}

/**
 * Makes `target` by filling this process's temp sibling with `fill` and renaming it into place, unless
 * `isComplete(target)` already holds (another run made it). Abandoned temps of dead processes are
 * removed first; this process's temp is removed when `fill` throws or SIGINT or SIGTERM ends the process.
 */
export async function materialize(
  target: string,
  isComplete: (dir: string) => boolean,
  fill: (tmp: string) => void | Promise<void>,
): Promise<boolean> {
  if (isComplete(target)) return false;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  removeStaleTemps(target);
  const tmp = tempSibling(target);
  fs.rmSync(tmp, { recursive: true, force: true });
  // SIGKILL cannot be caught: its temp is removed by the next run (removeStaleTemps above).
  track(tmp);
  try {
    fs.mkdirSync(tmp, { recursive: true });
    await fill(tmp);
    if (isComplete(target)) {
      fs.rmSync(tmp, { recursive: true, force: true });
      return false;
    }
    // A target left incomplete (by a run of an older version) is replaced.
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
    return true;
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  } finally {
    untrack(tmp);
  }
}
