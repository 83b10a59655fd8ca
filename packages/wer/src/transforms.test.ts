import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collapseWhitespace,
  compose,
  lowercase,
  removeKaldiNonWords,
  removePunctuation,
  removeWords,
  splitCharacters,
  splitWords,
  substituteRegexes,
  substituteWords,
  toNormalizer,
  uppercase,
} from './transforms';

describe('splitWords', () => {
  it('splits on every Unicode whitespace character and drops empty words', () => {
    const spaces = [
      '\t',
      '\n',
      '\r',
      '\v',
      '\f',
      ' ',
      '\u0085',
      '\u00a0',
      '\u1680',
      '\u2000',
      '\u200a',
      '\u2028',
      '\u2029',
      '\u202f',
      '\u205f',
      '\u3000',
    ];
    for (const s of spaces) expect(splitWords(`${s}a${s}${s}b${s}`)).toEqual(['a', 'b']);
    expect(splitWords('')).toEqual([]);
    expect(splitWords(' \t ')).toEqual([]);
  });

  it('keeps zero-width characters inside words (they are not whitespace)', () => {
    expect(splitWords('a\u200bb c')).toEqual(['a\u200bb', 'c']);
  });

  it('never returns an empty word and round-trips words joined by any spaces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zé😀]{1,4}$/u), { maxLength: 10 }),
        fc.constantFrom(' ', '\t', '\u00a0', '  \n'),
        (words, sep) => {
          expect(splitWords(words.join(sep))).toEqual(words);
        },
      ),
    );
  });
});

describe('compose and toNormalizer', () => {
  it('applies transforms left to right', () => {
    const t = compose(substituteWords({ a: 'b' }), substituteWords({ b: 'c' }));
    expect(t('a')).toBe('c');
    expect(compose()('Keep  Me')).toBe('Keep  Me');
  });

  it('splits after the transforms', () => {
    expect(toNormalizer(lowercase, removeWords(['<eou>']))('Hello <EOU>\tWorld')).toEqual(['hello', 'world']);
    expect(toNormalizer()('A  b')).toEqual(['A', 'b']);
  });
});

describe('transforms', () => {
  it('change case without locale rules', () => {
    expect(lowercase('ÀB İ')).toBe('àb i̇');
    expect(uppercase('straße')).toBe('STRASSE');
  });

  it('collapse whitespace runs to one space and trim', () => {
    expect(collapseWhitespace('\u00a0a \t b\n')).toBe('a b');
  });

  it('remove punctuation, keeping the characters asked for', () => {
    expect(removePunctuation()("Hello, world! Don't-stop.")).toBe('Hello world Dontstop');
    expect(removePunctuation({ keep: "'", replacement: ' ' })("don't-stop.")).toBe("don't stop ");
  });

  it('substitute whole words only, possibly by several words or none', () => {
    expect(substituteWords({ ok: 'okay', uh: '', gonna: 'going to' })('ok uh I am gonna book')).toBe(
      'okay I am going to book',
    );
    expect(substituteWords(new Map([['a', 'x']]))('a ab')).toBe('x ab');
  });

  it('apply regular expressions in order', () => {
    expect(
      substituteRegexes([
        [/a/g, 'b'],
        [/b+/g, 'c'],
      ])('aab'),
    ).toBe('c');
  });

  it('remove given tokens such as <EOU> and Kaldi non-words', () => {
    expect(removeWords(['<EOU>'])('hi <EOU> there<EOU>')).toBe('hi there<EOU>');
    expect(removeKaldiNonWords('a <unk> [noise] b<x> [laugh]')).toBe('a b<x>');
  });

  it('split characters by code point', () => {
    expect(splitCharacters('a😀é')).toEqual(['a', '😀', 'é']);
  });
});
