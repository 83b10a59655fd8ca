/**
 * Progress of a long command on stderr, the same in every command: on a terminal one bar redrawn in
 * place (`\r` and clear-to-end-of-line, so a shorter line leaves no stale characters), elsewhere (CI
 * logs, pipes) a throttled heartbeat line with done/total, rate and ETA, so a log never looks hung
 * and never fills with redraws. Written here rather than taken from a progress-bar library: those
 * draw bars only and print nothing useful when stderr is not a terminal, which is the case to fix.
 */
import type { Writable } from 'node:stream';

export interface Progress {
  tick(done: number): void;
  finish(): void;
}

/** `bar`: redrawn on a terminal; `lines`: heartbeat lines; `off`: silent. */
export type ProgressMode = 'bar' | 'lines' | 'off';

export const progressModes: readonly ProgressMode[] = ['bar', 'lines', 'off'];

/** Clear from the cursor to the end of the line (ANSI EL). */
export const CLEAR_LINE = '\x1b[K';

/** Seconds between heartbeat lines when stderr is not a terminal. */
export const HEARTBEAT_SECONDS = 10;

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

const rateOf = (done: number, elapsedSec: number): number => (elapsedSec > 0 ? done / elapsedSec : 0);

export function progressLine(
  done: number,
  total: number,
  elapsedSec: number,
  width = 28,
  unit = 'files',
): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(frac * width);
  const rate = rateOf(done, elapsedSec);
  const eta = rate > 0 ? (total - done) / rate : NaN;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit}  ${rate.toFixed(1)} ${unit}/s  ETA ${formatDuration(eta)}`;
}

/** One heartbeat: `label: 120/2620 files (4.6%), 3.2 files/s, ETA 13:01, elapsed 0:37`. */
export function heartbeatLine(
  label: string,
  done: number,
  total: number,
  elapsedSec: number,
  unit = 'files',
): string {
  const rate = rateOf(done, elapsedSec);
  const eta = done >= total ? 0 : rate > 0 ? (total - done) / rate : NaN;
  const pct = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
  return `${label}: ${done}/${total} ${unit} (${pct}%), ${rate.toFixed(1)} ${unit}/s, ETA ${formatDuration(eta)}, elapsed ${formatDuration(elapsedSec)}`;
}

export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** What the heartbeat lines start with, e.g. `eou wer-gate`. */
  readonly label: string;
  /** What is counted (default `files`). */
  readonly unit?: string;
  /** Seconds between heartbeat lines (default {@link HEARTBEAT_SECONDS}); the first comes after as long. */
  readonly heartbeatSeconds?: number;
  readonly now?: () => number;
}

/**
 * The progress mode and heartbeat interval a command uses: `bar` on a terminal, `lines` elsewhere;
 * `EOU_PROGRESS=bar|lines|off` overrides, `EOU_PROGRESS_INTERVAL=S` sets the heartbeat seconds.
 */
export function progressSettings(ctx: { readonly stderrIsTTY: boolean; readonly env: NodeJS.ProcessEnv }): {
  mode: ProgressMode;
  heartbeatSeconds: number;
} {
  const asked = ctx.env.EOU_PROGRESS as ProgressMode | undefined;
  const mode = asked && progressModes.includes(asked) ? asked : ctx.stderrIsTTY ? 'bar' : 'lines';
  const interval = Number(ctx.env.EOU_PROGRESS_INTERVAL);
  return {
    mode,
    heartbeatSeconds:
      ctx.env.EOU_PROGRESS_INTERVAL !== undefined && Number.isFinite(interval) && interval >= 0
        ? interval
        : HEARTBEAT_SECONDS,
  };
}

/**
 * A progress display of `total` items. In `lines` mode a run shorter than one heartbeat interval
 * prints nothing; a longer one prints a line per interval and a last one when it finishes.
 */
export function createProgress(stream: Writable, total: number, options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const unit = options.unit ?? 'files';
  const start = now();
  const intervalMs = 1000 * (options.heartbeatSeconds ?? HEARTBEAT_SECONDS);
  let last = options.mode === 'lines' ? start : -Infinity;
  let drawn = false;
  let latest = 0;
  let printedDone = -1;
  const elapsed = (t: number) => (t - start) / 1000;
  return {
    tick(done) {
      latest = done;
      if (options.mode === 'off') return;
      const t = now();
      if (options.mode === 'bar') {
        if (t - last < 100 && done < total) return;
        last = t;
        drawn = true;
        stream.write(`\r${progressLine(done, total, elapsed(t), 28, unit)}${CLEAR_LINE}`);
        return;
      }
      if (t - last < intervalMs || done === printedDone) return;
      last = t;
      drawn = true;
      printedDone = done;
      stream.write(`${heartbeatLine(options.label, done, total, elapsed(t), unit)}\n`);
    },
    finish() {
      if (!drawn) return;
      if (options.mode === 'bar') stream.write('\n');
      else if (printedDone !== latest)
        stream.write(`${heartbeatLine(options.label, latest, total, elapsed(now()), unit)}\n`);
      drawn = false;
    },
  };
}

/**
 * The progress of a command whose total is known only at the first report (the gate's), created
 * then with the command's settings.
 */
export function lazyProgress(
  ctx: { readonly stderr: Writable; readonly stderrIsTTY: boolean; readonly env: NodeJS.ProcessEnv },
  label: string,
  unit = 'files',
): { onProgress: (p: { done: number; total: number }) => void; finish: () => void } {
  let bar: Progress | undefined;
  const settings = progressSettings(ctx);
  return {
    onProgress: ({ done, total }) => {
      bar ??= createProgress(ctx.stderr, total, { ...settings, label, unit });
      bar.tick(done);
    },
    finish: () => bar?.finish(),
  };
}
