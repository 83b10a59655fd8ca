/** A one-line progress bar on stderr (files done, rate, ETA); silent when stderr is not a TTY. */
import type { Writable } from 'node:stream';

export interface Progress {
  tick(done: number): void;
  finish(): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}`
    : `${m}:${String(r).padStart(2, '0')}`;
}

export function progressLine(done: number, total: number, elapsedSec: number, width = 28): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(frac * width);
  const rate = elapsedSec > 0 ? done / elapsedSec : 0;
  const eta = rate > 0 ? (total - done) / rate : NaN;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files  ${rate.toFixed(1)} files/s  ETA ${formatDuration(eta)}`;
}

export function createProgress(
  stream: Writable,
  total: number,
  enabled: boolean,
  now: () => number = () => performance.now(),
): Progress {
  const start = now();
  let last = -Infinity;
  return {
    tick(done) {
      if (!enabled) return;
      const t = now();
      if (t - last < 100 && done < total) return;
      last = t;
      stream.write(`\r${progressLine(done, total, (t - start) / 1000)}`);
    },
    finish() {
      if (enabled) stream.write('\n');
    },
  };
}
