import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqual, firstDifference } from './deepEqual';

describe('firstDifference', () => {
  it('is null for deep-equal values, including NaN and typed arrays', () => {
    expect(
      firstDifference({ a: [1, NaN], t: Int32Array.of(1, 2) }, { a: [1, NaN], t: Int32Array.of(1, 2) }),
    ).toBeNull();
    expect(firstDifference(new Map([[1, 'x']]), new Map([[1, 'x']]))).toBeNull();
  });
  it('names the path of the first difference', () => {
    expect(firstDifference({ tokens: [1, 2, 3] }, { tokens: [1, 5, 3] })).toBe('$.tokens[1]');
    expect(firstDifference([1, 2], [1, 2, 3])).toBe('$.length');
    expect(firstDifference(Int32Array.of(1), Float32Array.of(1))).toBe('$');
    expect(firstDifference({ a: 1 }, { b: 1 })).toBe('$.a');
  });
  it('agrees with JSON equality on JSON values and their clones', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(deepEqual(a, structuredClone(a))).toBe(true);
        const sameJson = JSON.stringify(a) === JSON.stringify(b);
        if (sameJson) expect(deepEqual(a, b)).toBe(true);
      }),
    );
  });
});
