import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  CLEAR_LINE,
  createProgress,
  formatDuration,
  heartbeatLine,
  progressLine,
  progressSettings,
} from './progress';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('progress', () => {
  it('shows files done, rate and ETA', () => {
    expect(progressLine(50, 200, 10, 8)).toBe('[##......] 50/200 files  5.0 files/s  ETA 0:30');
    expect(heartbeatLine('eou wer-gate', 50, 200, 10)).toBe(
      'eou wer-gate: 50/200 files (25.0%), 5.0 files/s, ETA 0:30, elapsed 0:10',
    );
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('--:--');
  });

  it('is silent when off', () => {
    const sink = new Sink();
    const p = createProgress(sink, 10, { mode: 'off', label: 'x' });
    p.tick(5);
    p.finish();
    expect(sink.text).toBe('');
  });

  it('redraws one line with a carriage return, clears what a longer line left, and ends it', () => {
    const sink = new Sink();
    let now = 0;
    const p = createProgress(sink, 2, { mode: 'bar', label: 'x', now: () => now });
    now = 1000;
    p.tick(1);
    now = 2000;
    p.tick(2);
    p.finish();
    const draws = sink.text.split('\r').slice(1);
    expect(draws).toHaveLength(2);
    for (const d of draws.slice(0, -1)) expect(d.endsWith(CLEAR_LINE)).toBe(true);
    expect(sink.text.endsWith(`2/2 files  1.0 files/s  ETA 0:00${CLEAR_LINE}\n`)).toBe(true);
  });

  it('prints no stale characters when the ETA gets shorter (the `ETA 9:504` bug)', () => {
    // A terminal: \r moves to column 0, ESC[K erases to the end, other characters overwrite.
    const screen = (text: string) => {
      let line: string[] = [];
      let col = 0;
      for (let i = 0; i < text.length; i++) {
        if (text[i] === '\r') col = 0;
        else if (text.startsWith(CLEAR_LINE, i)) {
          line = line.slice(0, col);
          i += CLEAR_LINE.length - 1;
        } else line[col++] = text[i]!;
      }
      return line.join('');
    };
    const sink = new Sink();
    let now = 0;
    const p = createProgress(sink, 1000, { mode: 'bar', label: 'x', now: () => now });
    now = 10_000;
    p.tick(1); // slow start: ETA 2:46:30
    now = 11_000;
    p.tick(9); // ETA 20:11, two characters shorter
    expect(sink.text.split('\r')[1]).toMatch(/ETA 2:46:30/);
    expect(screen(sink.text)).toMatch(/ 9\/1000 files {2}0\.8 files\/s {2}ETA 20:11$/);
    // Without the clear, the end of the first line would still show.
    expect(screen(sink.text.replaceAll(CLEAR_LINE, ''))).toMatch(/ETA 20:1130$/);
  });

  it('off a terminal, prints a heartbeat line per interval with done/total, rate and ETA, and a last line', () => {
    const sink = new Sink();
    let now = 0;
    const p = createProgress(sink, 100, {
      mode: 'lines',
      label: 'eou wer-gate',
      heartbeatSeconds: 10,
      now: () => now,
    });
    for (let done = 1; done <= 100; done++) {
      now = done * 500; // 2 files/s: one line every 20 files
      p.tick(done);
    }
    now = 50_100;
    p.finish();
    const lines = sink.text.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('eou wer-gate: 20/100 files (20.0%), 2.0 files/s, ETA 0:40, elapsed 0:10');
    expect(lines[4]).toBe('eou wer-gate: 100/100 files (100.0%), 2.0 files/s, ETA 0:00, elapsed 0:50');
    expect(sink.text).not.toContain('\r');
  });

  it('off a terminal, a run shorter than one interval prints nothing', () => {
    const sink = new Sink();
    let now = 0;
    const p = createProgress(sink, 3, { mode: 'lines', label: 'x', now: () => now });
    for (let done = 1; done <= 3; done++) {
      now = done * 1000;
      p.tick(done);
    }
    p.finish();
    expect(sink.text).toBe('');
  });

  it('picks the bar on a terminal and lines elsewhere; EOU_PROGRESS and EOU_PROGRESS_INTERVAL override', () => {
    expect(progressSettings({ stderrIsTTY: true, env: {} })).toEqual({ mode: 'bar', heartbeatSeconds: 10 });
    expect(progressSettings({ stderrIsTTY: false, env: {} }).mode).toBe('lines');
    expect(
      progressSettings({ stderrIsTTY: true, env: { EOU_PROGRESS: 'off', EOU_PROGRESS_INTERVAL: '0.5' } }),
    ).toEqual({ mode: 'off', heartbeatSeconds: 0.5 });
    expect(progressSettings({ stderrIsTTY: false, env: { EOU_PROGRESS: 'fancy' } }).mode).toBe('lines');
  });
});
