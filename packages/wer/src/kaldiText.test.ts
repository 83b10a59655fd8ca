import { describe, expect, it } from 'vitest';
import { parseKaldiText } from './kaldiText';
import { WerError } from './werError';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseKaldiText', () => {
  it('reads ids and texts, skips empty lines and keeps an id without words as an empty transcript', () => {
    const out = parseKaldiText(enc('\ufeffu1 hello world\r\n\nu2\tgood\u00a0bye  \nu3\n'), 'ref.txt');
    expect(out).toEqual([
      { id: 'u1', text: 'hello world', line: 1 },
      { id: 'u2', text: 'good\u00a0bye', line: 3 },
      { id: 'u3', text: '', line: 4 },
    ]);
  });

  it('EXPECTED FAILURE - a duplicate id names the file, both lines and the id', () => {
    const run = () => parseKaldiText('a x\nb y\na z\n', 'hyp.txt');
    expect(run).toThrow(WerError);
    expect(run).toThrow("hyp.txt:3: duplicate utterance id 'a' (first at line 1)");
    try {
      run();
    } catch (e) {
      expect((e as WerError).code).toBe('E_DUPLICATE_ID');
      expect((e as WerError).line).toBe(3);
    }
  });

  it('EXPECTED FAILURE - a line starting with whitespace has no id', () => {
    expect(() => parseKaldiText('a x\n  y z\n', 'ref.txt')).toThrow(
      'ref.txt:2: line has no utterance id (it starts with whitespace)',
    );
  });

  it('EXPECTED FAILURE - NUL bytes and invalid UTF-8 are binary garbage, reported with the line', () => {
    expect(() =>
      parseKaldiText(new Uint8Array([0x61, 0x20, 0x62, 0x0a, 0x63, 0x00, 0x64]), 'bin.txt'),
    ).toThrow('bin.txt:2: not a text file (NUL byte at offset 5)');
    expect(() =>
      parseKaldiText(new Uint8Array([0x61, 0x0a, 0x62, 0x0a, 0xff, 0xfe, 0x41]), 'bin.txt'),
    ).toThrow('bin.txt:3: not a text file (invalid UTF-8)');
    expect(() => parseKaldiText('a\u0000b', 'str.txt')).toThrow(
      expect.objectContaining({ name: 'WerError', code: 'E_BINARY' }),
    );
  });
});
