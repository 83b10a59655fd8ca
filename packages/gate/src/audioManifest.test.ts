import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudioManifest } from './audioManifest';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-audiomanifest-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(root, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

describe(readAudioManifest, () => {
  it('reads NeMo JSONL: relative paths against the manifest, ids from file names, extra keys kept', () => {
    const f = write(
      'nemo/test.jsonl',
      [
        '{"audio_filepath": "wavs/a.wav", "text": "one two", "duration": 1.5, "speech_end": 1.2}',
        '',
        '{"audio_filepath": "/abs/b.flac", "text": "three", "id": "bee", "voice": "x"}',
      ].join('\n'),
    );
    const m = readAudioManifest(f);
    expect(m.kind).toBe('nemo');
    expect(m.entries).toEqual([
      {
        id: 'a',
        audioPath: path.join(root, 'nemo', 'wavs', 'a.wav'),
        text: 'one two',
        line: 1,
        extra: { duration: 1.5, speech_end: 1.2 },
      },
      { id: 'bee', audioPath: '/abs/b.flac', text: 'three', line: 3, extra: { voice: 'x' } },
    ]);
  });

  it('reads a Kaldi wav.scp with its text, as the file or as the data directory', () => {
    write('kaldi/wav.scp', 'u1 /data/u1.wav\n# a comment\nu2 rel/u2.wav\n');
    write('kaldi/text', 'u2 second utterance\nu1 first\n');
    for (const given of [path.join(root, 'kaldi', 'wav.scp'), path.join(root, 'kaldi')]) {
      const m = readAudioManifest(given);
      expect(m.kind).toBe('kaldi');
      expect(m.files).toEqual([path.join(root, 'kaldi', 'wav.scp'), path.join(root, 'kaldi', 'text')]);
      expect(m.entries.map((e) => [e.id, e.audioPath, e.text])).toEqual([
        ['u1', '/data/u1.wav', 'first'],
        ['u2', path.join(root, 'kaldi', 'rel', 'u2.wav'), 'second utterance'],
      ]);
    }
  });

  it('BAD INPUT: one-line errors naming the file, line and field', () => {
    const cases: [string, string, RegExp][] = [
      [
        'bad1.jsonl',
        '{"audio_filepath": "a.wav"}\n',
        /bad1\.jsonl line 1: `text` must be a string, got undefined/,
      ],
      ['bad2.jsonl', '{"text": "a"}\n', /bad2\.jsonl line 1: `audio_filepath` must be a non-empty string/],
      [
        'bad3.jsonl',
        '{"audio_filepath": "a.wav", "text": "a"}\nnot json\n',
        /bad3\.jsonl line 2: not valid JSON/,
      ],
      [
        'bad4.jsonl',
        '{"audio_filepath": "x/a.wav", "text": "a"}\n{"audio_filepath": "y/a.wav", "text": "b"}\n',
        /bad4\.jsonl line 2: duplicate id "a" \(first at line 1\)/,
      ],
      [
        'bad5.jsonl',
        '{"audio_filepath": "a.wav", "text": "a", "duration": -1}\n',
        /line 1: `duration` must be seconds >= 0/,
      ],
      ['bad6.jsonl', '\n\n', /bad6\.jsonl: no entries/],
    ];
    for (const [name, text, re] of cases) {
      const f = write(name, text);
      expect(() => readAudioManifest(f), name).toThrow(re);
    }
    write('k2/wav.scp', 'u1 sox a.wav -t wav - |\n');
    write('k2/text', 'u1 x\n');
    expect(() => readAudioManifest(path.join(root, 'k2'))).toThrow(
      /wav\.scp line 1: u1: piped commands are not supported/,
    );
    write('k3/wav.scp', 'u1 a.wav\n');
    expect(() => readAudioManifest(path.join(root, 'k3'))).toThrow(/needs its `text` beside it/);
    write('k4/wav.scp', 'u1 a.wav\nu2 b.wav\n');
    write('k4/text', 'u1 x\n');
    expect(() => readAudioManifest(path.join(root, 'k4'))).toThrow(
      /k4\/text: no transcript for "u2" \(listed in .*wav\.scp line 2\)/,
    );
    expect(() => readAudioManifest(path.join(root, 'nope.jsonl'))).toThrow(/nope\.jsonl: no such file/);
    fs.mkdirSync(path.join(root, 'empty-dir'));
    expect(() => readAudioManifest(path.join(root, 'empty-dir'))).toThrow(/must be a Kaldi data directory/);
  });
});
