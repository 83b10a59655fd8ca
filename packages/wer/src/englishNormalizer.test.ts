import { describe, expect, it } from 'vitest';
import { britishToAmerican } from './britishToAmerican';
import {
  americanizeSpelling,
  expandContractions,
  expandTitles,
  normalizeEnglish,
  removeBracketedSpans,
  removeFillers,
  removeStraySymbols,
  removeSymbolsAndDiacritics,
} from './englishNormalizer';
import { spelledNumbersToDigits } from './englishNumbers';
import { normalizerByName, presets } from './presets';

describe('normalizeEnglish', () => {
  const cases: Array<[string, string]> = [
    [
      "Mr. Smith's colour wasn't GREY, it's been [noise] twenty-one (laughs) years.",
      'mister smith is color was not gray it has been 21 years',
    ],
    [
      "Uh, I can't realise the programme's cost: $1,000.50 or 5%!",
      'i can not realize the program is cost $1000.50 or 5%',
    ],
    ['Café naïve Œuvre — Straße', 'cafe naive oeuvre strasse'],
    [
      "Dr Who said \u2018hello\u2019 at St. Paul's <unk> in 1999.",
      'doctor who said hello at saint paul is in 1999',
    ],
    ["We'd gone to the centre; they're organising", 'we had gone to the center they are organizing'],
    ['Nineteen ninety five, ten dollars, five percent', '1995 $10 5%'],
    ['hmm mhm um', ''],
  ];
  for (const [input, want] of cases) {
    it(`normalises ${JSON.stringify(input)}`, () => {
      expect(normalizeEnglish(input)).toBe(want);
    });
  }

  it('is idempotent on its own output', () => {
    for (const [input] of cases)
      expect(normalizeEnglish(normalizeEnglish(input))).toBe(normalizeEnglish(input));
  });
});

describe('English normaliser steps', () => {
  it('removes bracketed spans and fillers', () => {
    expect(removeBracketedSpans('a [x y] b <unk> c (laughs) d').split(/\s+/).join(' ')).toBe('a b c d');
    expect(removeFillers('um yes uhm uh').split(/\s+/).filter(Boolean)).toEqual(['yes', 'uhm']);
  });

  it('expands contractions, perfect tenses first', () => {
    expect(expandContractions("won't can't let's she's been he'd gone i'm they've you'll")).toBe(
      'will not can not let us she has been he had gone i am they have you will',
    );
  });

  it('expands titles with or without a period', () => {
    expect(expandTitles('mr. and mrs jones met dr. no and lt dan jr.')).toBe(
      'mister and missus jones met doctor no and lieutenant dan junior',
    );
  });

  it('keeps .%$ and currency symbols, folds letters and strips diacritics', () => {
    expect(removeSymbolsAndDiacritics('é-ü@ø $5 £3 ¢ 5% 1.5 #')).toBe('e u o $5 £3 ¢ 5% 1.5  ');
    expect(removeStraySymbols('$ 5% . $5 . end$')).toBe('  5%   $5   end ');
  });

  it('maps British spellings from a list of several hundred words', () => {
    expect(britishToAmerican.size).toBeGreaterThan(500);
    expect(americanizeSpelling('the neighbours travelled to the theatre and analysed the catalogue')).toBe(
      'the neighbors traveled to the theater and analyzed the catalog',
    );
    for (const [gb, us] of britishToAmerican) {
      expect(gb).toMatch(/^[a-z]+$/);
      expect(us).toMatch(/^[a-z]+$/);
      expect(britishToAmerican.has(us)).toBe(false);
    }
  });

  it('turns spelled numbers into digits', () => {
    const n = (s: string) => spelledNumbersToDigits(s.split(' ')).join(' ');
    expect(n('two thousand and twenty one')).toBe('2021');
    expect(n('twenty twenty')).toBe('2020');
    expect(n('twenty eleven')).toBe('2011');
    expect(n('twenty first century')).toBe('21st century');
    expect(n('one hundred and five')).toBe('105');
    expect(n('three point one four')).toBe('3.14');
    expect(n('seventy per cent')).toBe('70%');
    expect(n('one million two hundred thousand')).toBe('1200000');
    expect(n('one two three')).toBe('1 2 3');
    expect(n('a hundred men')).toBe('a hundred men');
    expect(n('at first a second')).toBe('at first a second');
    expect(n('the third man ninety ninth')).toBe('the 3rd man 99th');
    expect(n('eleven twelfth thirteenth')).toBe('11 12th 13th');
  });
});

describe('presets', () => {
  it('harness lower-cases and splits, and nothing else', () => {
    expect(presets.harness("Hello,\u00a0WORLD it's")).toEqual(['hello,', 'world', "it's"]);
  });

  it('production applies the English normaliser', () => {
    expect(presets.production("Hello, WORLD it's")).toEqual(['hello', 'world', 'it', 'is']);
  });

  it('none only splits', () => {
    expect(presets.none('A\tb.')).toEqual(['A', 'b.']);
  });

  it('BAD CALL - an unknown normalizer name is a RangeError listing the known names', () => {
    expect(() => normalizerByName('whisper')).toThrow(RangeError);
    expect(() => normalizerByName('whisper')).toThrow(
      "unknown normalizer 'whisper' (known: harness, production, none)",
    );
  });
});
