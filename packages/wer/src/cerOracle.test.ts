// Character error rates against an independent edit distance: fast-levenshtein 3.0.0 (whose
// non-collator `get` is fastest-levenshtein's bit-parallel distance). It compares UTF-16 code
// units, and CER counts code points, so each distinct code point is first mapped to one BMP unit.
import levenshtein from 'fast-levenshtein';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cer, processCharacters } from './processWords';
import { splitCharacters, splitWords } from './transforms';

function oracle(ref: string, hyp: string): number {
  const units = new Map<string, string>();
  const map = (text: string) =>
    splitCharacters(splitWords(text).join(' '))
      .map((c) => {
        let u = units.get(c);
        if (u === undefined) units.set(c, (u = String.fromCharCode(0x4e00 + units.size)));
        return u;
      })
      .join('');
  return levenshtein.get(map(ref), map(hyp));
}

// Characters from a few scripts, an astral emoji and spaces, so that splits, surrogates and ties occur.
const text = fc
  .array(fc.constantFrom('a', 'b', 'é', '東', '😀', ' ', '\t'), { maxLength: 60 })
  .map((cs) => cs.join(''));

describe('CER against fast-levenshtein', () => {
  it('processCharacters counts the same edits as the oracle on random Unicode text', () => {
    fc.assert(
      fc.property(text, text, (ref, hyp) => {
        const out = processCharacters(ref, hyp);
        expect(out.errors).toBe(oracle(ref, hyp));
        // The alignment reaches the minimum with unit costs; sclite costs may use more edits.
        expect(processCharacters(ref, hyp, { costs: 'sclite' }).errors).toBeGreaterThanOrEqual(out.errors);
      }),
      { numRuns: 500 },
    );
  });

  it('the counts-only cer() equals oracle distance over reference characters', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 6 }), (pairs) => {
        const refs = pairs.map((p) => p[0]);
        const hyps = pairs.map((p) => p[1]);
        const words = refs.reduce((n, r) => n + splitCharacters(splitWords(r).join(' ')).length, 0);
        const errors = pairs.reduce((n, [r, h]) => n + oracle(r, h), 0);
        const got = cer(refs, hyps);
        if (words === 0) expect(got).toBeNaN();
        else expect(got).toBeCloseTo(errors / words, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('long texts (thousands of characters, past one 32-bit block)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', ' '), { minLength: 500, maxLength: 3000 }),
        fc.nat(),
        (cs, seed) => {
          const ref = cs.join('');
          const hyp = cs.map((c, i) => ((i * 7 + seed) % 23 === 0 ? 'd' : c)).join('');
          expect(processCharacters(ref, hyp).errors).toBe(oracle(ref, hyp));
        },
      ),
      { numRuns: 40 },
    );
  });
});
