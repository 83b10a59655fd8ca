import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fp16Round, fp16RoundInPlace, fromFloat16Array, toFloat16Array } from './fp16';

// The bit conversions themselves are tested exhaustively in @eou/rnnt-decode (src/float16.test.ts).
describe(fp16RoundInPlace, () => {
  it('rounds every element like fp16Round and returns the same array', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 50 }), (xs) => {
        const values = Float32Array.from(xs);
        const expected = Array.from(values, fp16Round);
        expect(fp16RoundInPlace(values)).toBe(values);
        expect(Array.from(values)).toEqual(expected);
      }),
    );
  });

  it('agrees with a round trip through the bit arrays', () => {
    const values = Float32Array.from([0.1, -2.5, 65504, 70000, 1e-8, 3.14159]);
    expect(Array.from(fp16RoundInPlace(values.slice()))).toEqual(
      Array.from(fromFloat16Array(toFloat16Array(values))),
    );
  });
});
