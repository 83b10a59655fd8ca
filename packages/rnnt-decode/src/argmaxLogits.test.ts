import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argmaxLogits } from './argmaxLogits';

const decide = (logits: number[], rows: number, V: number) => {
  const out = { tokens: new Int32Array(rows), probs: new Float32Array(rows) };
  argmaxLogits(Float32Array.from(logits), rows, V, out, 'joiner.onnx');
  return { tokens: Array.from(out.tokens), probs: Array.from(out.probs) };
};

describe(argmaxLogits, () => {
  it('picks the first maximal index of each row, like std::max_element and numpy.argmax', () => {
    expect(decide([1, 3, 3, 2, 5, 5, 5, 0], 2, 4).tokens).toEqual([1, 0]);
    expect(decide([-4, -1, -1, -9], 1, 4).tokens).toEqual([1]);
  });

  it('gives the softmax probability of the chosen token, summed in float64', () => {
    expect(decide([0, 0, 0, 0], 1, 4).probs).toEqual([0.25]);
    expect(decide([Math.log(3), 0], 1, 2).probs).toEqual([Math.fround(0.75)]);
    // Large logits do not overflow: the maximum is subtracted first.
    expect(decide([1000, 1000], 1, 2).probs).toEqual([0.5]);
  });

  it('matches a plain argmax and softmax on random rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        (row, rows) => {
          const logits = Array.from({ length: rows }, (_, r) => row.map((v) => v + r)).flat();
          const got = decide(logits, rows, row.length);
          const best = row.indexOf(Math.max(...row));
          const p = 1 / row.reduce((s, v) => s + Math.exp(v - row[best]!), 0);
          expect(got.tokens).toEqual(Array.from({ length: rows }, () => best));
          expect(got.probs).toEqual(Array.from({ length: rows }, () => Math.fround(p)));
        },
      ),
    );
  });

  it('EXPECTED FAILURE - a row with NaN logits is named with the file and row', () => {
    expect(() => decide([0, 1, 2, NaN, 1, 2], 2, 3)).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_CONTRACT',
        field: 'logit',
        message: 'joiner.onnx: output `logit` row 1 holds NaN, no token can be chosen',
      }),
    );
  });
});
