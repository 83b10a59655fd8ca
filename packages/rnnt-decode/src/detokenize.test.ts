import { describe, expect, it } from 'vitest';
import { detokenize } from './detokenize';
import { parseVocab } from './vocab';

const vocab = parseVocab(
  JSON.stringify({ 0: '▁the', 1: '▁cat', 2: 's', 3: '▁sat', 1024: '<EOU>', 1025: '<EOB>' }),
  'vocab.json',
);

describe(detokenize, () => {
  it('joins pieces, turns ▁ into word breaks and trims', () => {
    expect(detokenize([0, 1, 2, 3], vocab)).toBe('the cats sat');
  });

  it('never renders EOU, blank or dropFromText ids, and skips unknown ids', () => {
    const config = { eouId: 1024, blankId: 1026, dropFromText: [1025] };
    expect(detokenize(new Int32Array([0, 1024, 1, 1025, 999, 1026, 3]), vocab, config)).toBe('the cat sat');
  });
});

describe(parseVocab, () => {
  it('reads an id -> piece object and a piece array', () => {
    expect(vocab.get(1)).toBe('▁cat');
    expect(parseVocab('["a", "▁b"]', 'v.json').get(1)).toBe('▁b');
  });

  it('EXPECTED FAILURE - a non-numeric key or a non-string piece names the file and key', () => {
    expect(() => parseVocab('{"x": "a"}', 'm/vocab.json')).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_VOCAB',
        message: 'm/vocab.json: key "x" is not a token id (a non-negative integer)',
      }),
    );
    expect(() => parseVocab('{"3": 4}', 'm/vocab.json')).toThrow(
      'm/vocab.json: "3" must be a string piece, got 4',
    );
    expect(() => parseVocab('{', 'm/vocab.json')).toThrow(/^m\/vocab\.json: not valid JSON/);
  });
});
