import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, progressLine } from './progress';

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
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('--:--');
  });

  it('is silent when disabled (not a TTY, or --json)', () => {
    const sink = new Sink();
    const p = createProgress(sink, 10, false);
    p.tick(5);
    p.finish();
    expect(sink.text).toBe('');
  });

  it('redraws one line with a carriage return and ends it', () => {
    const sink = new Sink();
    let now = 0;
    const p = createProgress(sink, 2, true, () => now);
    now = 1000;
    p.tick(1);
    now = 2000;
    p.tick(2);
    p.finish();
    expect(sink.text.startsWith('\r[')).toBe(true);
    expect(sink.text.endsWith('2/2 files  1.0 files/s  ETA 0:00\n')).toBe(true);
  });
});
