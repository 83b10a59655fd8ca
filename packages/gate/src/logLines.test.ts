import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanLines } from './logLines';

describe(scanLines, () => {
  let dir: string;
  let p: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-lines-'));
    p = path.join(dir, 'log.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives every complete line, whatever the chunk size, with lines and characters across chunk ends', () => {
    const lines = ['{"a":1}', '', 'é€𝄞 a longer line than the chunk', 'x'];
    const text = lines.join('\n') + '\nthe torn é';
    fs.writeFileSync(p, text);
    const torn = Buffer.byteLength('the torn é');
    for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const got: [string, number][] = [];
      const scan = scanLines(p, (line, n) => void got.push([line, n]), chunk);
      expect(got, `chunk ${chunk}`).toEqual(lines.map((l, i) => [l, i + 1]));
      expect(scan).toEqual({ lines: 4, validBytes: Buffer.byteLength(text) - torn, tornBytes: torn });
    }
  });

  it('stops where the visitor returns false', () => {
    fs.writeFileSync(p, 'a\nb\nc\n');
    const got: string[] = [];
    const scan = scanLines(p, (line) => (got.push(line), line !== 'b'), 1);
    expect(got).toEqual(['a', 'b']);
    expect(scan.lines).toBe(2);
  });

  it('sees no line in a file without a newline', () => {
    fs.writeFileSync(p, 'no newline');
    expect(scanLines(p, () => undefined)).toEqual({ lines: 0, validBytes: 0, tornBytes: 10 });
  });
});
