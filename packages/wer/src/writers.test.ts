import { describe, expect, it } from 'vitest';
import { formatAlignment } from './alignmentText';
import { processCharacters, processWords } from './processWords';
import { formatScoreSummary, toJson } from './reports';
import { formatTrn, parseTrn } from './trn';
import { WerError } from './werError';

describe('formatTrn and parseTrn', () => {
  it('writes "text (id)" lines and reads them back', () => {
    const trn = formatTrn([
      { id: 'u1', text: ' hello\tworld ' },
      { id: 'u2', words: ['a', 'b'] },
      { id: 'u3', text: '' },
    ]);
    expect(trn).toBe('hello world (u1)\na b (u2)\n(u3)\n');
    expect(parseTrn(trn, 'x.trn')).toEqual([
      { id: 'u1', text: 'hello world', line: 1 },
      { id: 'u2', text: 'a b', line: 2 },
      { id: 'u3', text: '', line: 3 },
    ]);
  });

  it('BAD CALL - an id with spaces or parentheses cannot be written', () => {
    expect(() => formatTrn([{ id: 'a b', text: 'x' }])).toThrow(RangeError);
  });

  it('EXPECTED FAILURE - a line without (id) and a duplicate id name the file and line', () => {
    expect(() => parseTrn('a (u1)\nno id here\n', 'h.trn')).toThrow(
      expect.objectContaining({ name: 'WerError', code: 'E_NO_ID' }),
    );
    expect(() => parseTrn('a (u1)\nno id here\n', 'h.trn')).toThrow(
      'h.trn:2: line has no utterance id (expected "words (id)")',
    );
    expect(() => parseTrn('a (u1)\nb (u1)\n', 'h.trn')).toThrow(WerError);
  });
});

describe('formatAlignment', () => {
  const out = processWords(
    ['the cat sat on the mat', 'same words', 'a b'],
    ['the cat sit on mat now', 'same words', 'a x b'],
  );
  const utts = out.utterances.map((u, i) => ({ id: `u${i}`, ...u }));

  it('prints REF, HYP and ops lines with columns padded by code points', () => {
    const u = {
      id: 'u0',
      reference: ['the', 'cat', 'sat', 'on', 'the', 'mat'],
      hypothesis: ['the', 'cat', 'sit', 'on', 'mat', 'now'],
      chunks: [
        { kind: 'equal', refStart: 0, refEnd: 2, hypStart: 0, hypEnd: 2 },
        { kind: 'substitute', refStart: 2, refEnd: 3, hypStart: 2, hypEnd: 3 },
        { kind: 'equal', refStart: 3, refEnd: 4, hypStart: 3, hypEnd: 4 },
        { kind: 'delete', refStart: 4, refEnd: 5, hypStart: 4, hypEnd: 4 },
        { kind: 'equal', refStart: 5, refEnd: 6, hypStart: 4, hypEnd: 5 },
        { kind: 'insert', refStart: 6, refEnd: 6, hypStart: 5, hypEnd: 6 },
      ] as const,
    };
    expect(formatAlignment([u])).toBe(
      [
        'u0',
        'REF: the cat sat on the mat ***',
        'HYP: the cat sit on *** mat now',
        '             S      D       I',
        '',
      ].join('\n'),
    );
  });

  it('skips correct utterances when asked and separates blocks by a blank line', () => {
    const text = formatAlignment(utts, { skipCorrect: true });
    expect(text.split('\n\n').map((b) => b.split('\n')[0])).toEqual(['u0', 'u2']);
    expect(formatAlignment(utts).split('\n\n')).toHaveLength(3);
  });

  it('pads wide characters by code point and wraps long lines', () => {
    const u = processWords('東京 😀 x', '東 😀 y').utterances[0]!;
    expect(formatAlignment([u])).toBe(
      ['utterance 0', 'REF: 東京 😀 x', 'HYP: 東  😀 y', '     S    S', ''].join('\n'),
    );
    const long = processWords('a b c d e f', 'a b c d e f').utterances[0]!;
    expect(
      formatAlignment([long], { lineWidth: 10 })
        .split('\n')
        .filter((l) => l.startsWith('REF:')),
    ).toEqual(['REF: a b c', 'REF: d e f']);
  });
});

describe('reports', () => {
  it('toJson writes NaN and Infinity as null', () => {
    expect(toJson({ a: NaN, b: [Infinity, 1] }, { indent: 0 })).toBe('{"a":null,"b":[null,1]}\n');
  });

  it('formatScoreSummary names the corpus WER and labels the mean of rates', () => {
    const text = formatScoreSummary(processWords(['a b', 'c'], ['a x', 'c']));
    expect(text).toBe(
      'WER 33.333% (1 errors / 3 reference words, 2 utterances)\nhits 2  substitutions 1  deletions 0  insertions 0\nSER 50.000% (1 of 2 utterances with an error)\nmean of per-utterance WER (not the corpus WER) 25.000%\n',
    );
  });

  it('formatScoreSummary names characters for a CER and says when the rate is undefined', () => {
    const cer = formatScoreSummary(processCharacters('ab', 'ax'), 'CER', { unit: 'characters' });
    expect(cer.split('\n')[0]).toBe('CER 50.000% (1 errors / 2 reference characters, 1 utterances)');
    const empty = formatScoreSummary(processWords([''], ['x y']));
    expect(empty.split('\n')[0]).toBe('WER undefined: no reference words (2 errors, 1 utterances)');
    expect(empty).not.toMatch(/Infinity|NaN/);
  });
});
