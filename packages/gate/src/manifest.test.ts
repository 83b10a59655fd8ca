import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest';
import { GateError } from './gateError';

describe('parseManifest', () => {
  it('reads id, text and frames and keeps the other keys', () => {
    const text = [
      '{"id": "1089-134686-0000", "text": "he hoped there would be stew", "frames": "frames/1089-134686-0000.npy", "duration": 10.4, "audio_filepath": "a.flac"}',
      '',
      '{"id": "u2", "text": "", "frames": "u2.npy"}',
    ].join('\n');
    expect(parseManifest(text, 'manifest.jsonl')).toEqual([
      {
        id: '1089-134686-0000',
        text: 'he hoped there would be stew',
        frames: 'frames/1089-134686-0000.npy',
        line: 1,
        extra: { duration: 10.4, audio_filepath: 'a.flac' },
      },
      { id: 'u2', text: '', frames: 'u2.npy', line: 3, extra: {} },
    ]);
  });

  const cases: Array<[string, string, string | undefined]> = [
    ['{"id": "a", "text": "x"', 'm.jsonl line 1: not valid JSON', undefined],
    ['[1, 2]', 'm.jsonl line 1: expected a JSON object, got an array', undefined],
    [
      '{"text": "x", "frames": "a.npy"}',
      'm.jsonl line 1: `id` must be a non-empty string without whitespace, got undefined',
      'id',
    ],
    ['{"id": "a", "text": 3, "frames": "a.npy"}', 'm.jsonl line 1: `text` must be a string, got 3', 'text'],
    [
      '{"id": "a", "text": "x", "frames": "/abs/a.npy"}',
      'm.jsonl line 1: `frames` must be a relative path, got "/abs/a.npy"',
      'frames',
    ],
    [
      '{"id": "a", "text": "x", "frames": "../a.npy"}',
      'm.jsonl line 1: `frames` must stay inside the corpus directory, got "../a.npy"',
      'frames',
    ],
    [
      '{"id": "a", "text": "x", "frames": "a.npy"}\n{"id": "a", "text": "y", "frames": "b.npy"}',
      'm.jsonl line 2: duplicate `id` "a" (first at line 1)',
      'id',
    ],
  ];
  for (const [input, message, field] of cases) {
    it(`EXPECTED FAILURE - ${message}`, () => {
      let error: unknown;
      try {
        parseManifest(input, 'm.jsonl');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GateError);
      expect((error as GateError).code).toBe('E_BAD_MANIFEST');
      expect((error as GateError).message.startsWith(message)).toBe(true);
      expect((error as GateError).field).toBe(field);
    });
  }
});

describe('parseManifest with lenient', () => {
  const text = [
    '{"id":"a","text":"x y","frames":"a.npy"}',
    '{"id":"b","frames":"b.npy"}',
    '{"id":"c","text":"z"}',
  ].join('\n');

  it('keeps entries without text or frames, each with its problem and line', () => {
    const entries = parseManifest(text, 'm.jsonl', { lenient: true });
    expect(entries.map((e) => [e.id, e.problem])).toEqual([
      ['a', undefined],
      ['b', 'm.jsonl line 2: `text` must be a string, got undefined'],
      ['c', 'm.jsonl line 3: `frames` must be a non-empty relative path, got undefined'],
    ]);
  });

  it('EXPECTED FAILURE - without lenient the first problem fails the file', () => {
    expect(() => parseManifest(text, 'm.jsonl')).toThrow(
      'm.jsonl line 2: `text` must be a string, got undefined',
    );
  });
});
