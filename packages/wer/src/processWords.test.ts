import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requireDefinedRate } from './measures';
import { cer, processCharacters, processWords, wer } from './processWords';
import { lowercase, toNormalizer } from './transforms';

describe('processWords', () => {
  it('counts hand-checked errors of one pair and derives every measure', () => {
    // the cat sat on the mat / the cat sit on mat: sat->sit (S), "the" deleted (D).
    const out = processWords('the cat sat on the mat', 'the cat sit on mat');
    expect([out.hits, out.substitutions, out.deletions, out.insertions]).toEqual([4, 1, 1, 0]);
    expect(out.errors).toBe(2);
    expect(out.referenceWords).toBe(6);
    expect(out.hypothesisWords).toBe(5);
    expect(out.wer).toBeCloseTo(2 / 6, 12);
    expect(out.mer).toBeCloseTo(2 / 6, 12);
    expect(out.wip).toBeCloseTo((4 / 6) * (4 / 5), 12);
    expect(out.wil).toBeCloseTo(1 - (4 / 6) * (4 / 5), 12);
  });

  it('treats tabs, non-breaking spaces and other Unicode spaces as word separators', () => {
    // jiwer#129: a tab or NBSP must not glue two words together.
    const out = processWords('a\tb\u00a0c\u2003d\u3000e', 'a b c d e');
    expect(out.errors).toBe(0);
    expect(out.referenceWords).toBe(5);
    expect(processWords('  lead\n\ntrail\u0085  ', 'lead trail').errors).toBe(0);
  });

  it('compares Unicode words exactly (no implicit normalisation)', () => {
    const out = processWords('café naïve 東京 😀 Hello', 'cafe naïve 東京 😀 hello');
    expect([out.hits, out.substitutions]).toEqual([3, 2]);
    expect(processWords('Hello', 'hello', { normalizer: toNormalizer(lowercase) }).errors).toBe(0);
    // jiwer#10: punctuation is a difference unless a transform removes it.
    expect(processWords('hello', 'hello.').errors).toBe(1);
  });

  it('leaves WER undefined without reference words, never 0 or the insertion count (A note on empty references)', () => {
    const none = processWords('', '');
    expect(none.wer).toBeNaN();
    expect(none.rate).toEqual({
      defined: false,
      value: null,
      reason: 'no-reference-words',
      message: 'the error rate is undefined: the references have no words (0 insertions)',
    });
    const ins = processWords('', 'x y');
    expect([ins.insertions, ins.errors, ins.referenceWords]).toEqual([2, 2, 0]);
    expect(ins.wer).toBeNaN();
    expect(ins.rate).toMatchObject({ defined: false, reason: 'no-reference-words' });
    expect(ins.utterances[0]!.wer).toBeNaN();
    expect(JSON.parse(JSON.stringify({ wer: ins.wer })).wer).toBeNull();
    const del = processWords('x y', '');
    expect([del.deletions, del.wer, del.rate]).toEqual([2, 1, { defined: true, value: 1 }]);
    expect(processWords('   ', '\t').wer).toBeNaN();
    expect(() => requireDefinedRate(ins.rate, 'ref.txt')).toThrow(
      expect.objectContaining({ name: 'WerError', code: 'E_UNDEFINED_RATE' }),
    );
    expect(() => requireDefinedRate(ins.rate, 'ref.txt')).toThrow(
      'ref.txt: the error rate is undefined: the references have no words (2 insertions)',
    );
    expect(requireDefinedRate(del.rate, 'ref.txt')).toBe(1);
  });

  it('scores a corpus with some empty references, leaving them out of the mean of per-utterance rates only', () => {
    const out = processWords(['a b', '', 'c'], ['a x', 'y', 'c']);
    expect([out.errors, out.referenceWords]).toEqual([2, 3]);
    expect(out.wer).toBeCloseTo(2 / 3, 12);
    expect(out.meanUtteranceWer).toBeCloseTo((0.5 + 0) / 2, 12);
    expect([out.sentences, out.sentenceErrors, out.ser]).toEqual([3, 2, 2 / 3]);
  });

  it('counts sentence errors (SER) as utterances with at least one error', () => {
    const out = processWords(['a b', 'c', 'd e f', ''], ['a b', 'x', 'd e', '']);
    expect([out.sentences, out.sentenceErrors]).toEqual([4, 2]);
    expect(out.ser).toBe(0.5);
    expect(processWords([], []).ser).toBeNaN();
  });

  it('aligns with sclite costs when asked (a deletion and an insertion instead of two substitutions)', () => {
    expect(processWords('x a', 'a x')).toMatchObject({ substitutions: 2, deletions: 0, insertions: 0 });
    expect(processWords('x a', 'a x', { costs: 'sclite' })).toMatchObject({
      substitutions: 0,
      deletions: 1,
      insertions: 1,
    });
    expect(wer('x a', 'a x', { costs: 'sclite' })).toBe(1);
    expect(() => processWords('a', 'a', { costs: 'nist' as 'sclite' })).toThrow(RangeError);
  });

  it('aggregates a corpus as summed errors over summed reference words and labels the mean of rates apart', () => {
    // 1 error / 1 word and 0 errors / 9 words: corpus 1/10, mean of rates (1 + 0) / 2.
    const out = processWords(['a', 'b c d e f g h i j'], ['x', 'b c d e f g h i j']);
    expect(out.wer).toBeCloseTo(0.1, 12);
    expect(out.meanUtteranceWer).toBeCloseTo(0.5, 12);
    expect(out.utterances.map((u) => u.wer)).toEqual([1, 0]);
  });

  it('applies separate reference and hypothesis normalisers', () => {
    const out = processWords('A B', 'a b', { referenceNormalizer: toNormalizer(lowercase) });
    expect(out.errors).toBe(0);
    expect(out.utterances[0]!.reference).toEqual(['a', 'b']);
  });

  it('agrees with the counts-only wer() on random corpora', () => {
    const words = fc
      .array(fc.constantFrom('a', 'b', 'c', 'dd', 'é'), { maxLength: 40 })
      .map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(fc.tuple(words, words), { maxLength: 8 }), (pairs) => {
        const refs = pairs.map((p) => p[0]);
        const hyps = pairs.map((p) => p[1]);
        const want = processWords(refs, hyps).wer;
        if (Number.isNaN(want)) expect(wer(refs, hyps)).toBeNaN();
        else expect(wer(refs, hyps)).toBeCloseTo(want, 12);
      }),
      { numRuns: 200 },
    );
  });

  it('BAD CALL - rejects lists of different lengths with a RangeError naming both sizes', () => {
    expect(() => processWords(['a', 'b'], ['a'])).toThrow(RangeError);
    expect(() => processWords(['a', 'b'], ['a'])).toThrow(
      'reference and hypothesis must have the same number of texts, got 2 and 1',
    );
  });

  it('BAD CALL - rejects a non-string text with a TypeError naming the index', () => {
    expect(() => processWords(['a', 3 as unknown as string], ['a', 'b'])).toThrow(TypeError);
    expect(() => processWords(['a', 3 as unknown as string], ['a', 'b'])).toThrow(
      'reference[1] must be a string, got number',
    );
  });
});

describe('processCharacters and cer', () => {
  it('counts characters including the single space between words', () => {
    // "ab cd" vs "ab ce": 5 characters, one substitution.
    const out = processCharacters('ab  cd', 'ab ce');
    expect([out.referenceWords, out.errors]).toEqual([5, 1]);
    expect(cer('ab  cd', 'ab ce')).toBeCloseTo(0.2, 12);
  });

  it('counts an astral code point (emoji) as one character', () => {
    expect(processCharacters('a😀b', 'a😁b').substitutions).toBe(1);
    expect(processCharacters('a😀b', 'ab').deletions).toBe(1);
  });

  it('leaves CER undefined for an empty character reference', () => {
    expect(cer('', 'ab')).toBeNaN();
    expect(cer('', '')).toBeNaN();
    expect(processCharacters('', 'ab').rate).toMatchObject({
      defined: false,
      message: 'the error rate is undefined: the references have no characters (2 insertions)',
    });
  });
});

describe('large vocabularies', () => {
  it('scores a corpus of more than 65,536 distinct words (ids beyond 16 bits)', () => {
    // 7,000 utterances x 10 fresh words: 70,000 reference words, one substitution in every 7th utterance.
    const refs: string[] = [];
    const hyps: string[] = [];
    for (let u = 0; u < 7000; u++) {
      const words = Array.from({ length: 10 }, (_, k) => `w${u * 10 + k}`);
      refs.push(words.join(' '));
      if (u % 7 === 0) words[u % 10] = `x${u}`;
      hyps.push(words.join(' '));
    }
    const out = processWords(refs, hyps);
    expect([out.errors, out.substitutions, out.referenceWords]).toEqual([1000, 1000, 70000]);
    expect(wer(refs, hyps)).toBeCloseTo(1000 / 70000, 12);
  });
});
