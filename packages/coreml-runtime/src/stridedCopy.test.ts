import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NumericTypedArray } from './binding';
import { denseToStrided, stridedToDense, type StridedLayout } from './stridedCopy';

// Reference: visit the view in C order by plain recursion over the dimensions.
function visit(layout: StridedLayout, each: (index: number) => void): void {
  const walk = (dim: number, base: number): void => {
    if (dim === layout.shape.length) {
      each(base);
      return;
    }
    for (let i = 0; i < layout.shape[dim]!; i++) walk(dim + 1, base + i * layout.strides[dim]!);
  };
  walk(0, layout.offset ?? 0);
}

const kinds = [
  Float32Array,
  Float64Array,
  Int32Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  BigInt64Array,
] as const;
type Kind = (typeof kinds)[number];

function filled(Kind: Kind, length: number, shift = 0): NumericTypedArray {
  const array = new Kind(length);
  for (let i = 0; i < length; i++) {
    const v = (i * 7 + 3 + shift) % 120; // distinct enough in every type, including int8
    if (array instanceof BigInt64Array) array[i] = BigInt(v) - 60n;
    else array[i] = v - 60;
  }
  return array;
}

// A layout plus the smallest buffer it fits in (and a little slack after it).
const layoutArb = fc
  .record({
    dims: fc.array(
      fc.record({ size: fc.integer({ min: 0, max: 4 }), stride: fc.integer({ min: 0, max: 7 }) }),
      { maxLength: 4 },
    ),
    offset: fc.integer({ min: 0, max: 5 }),
    slack: fc.integer({ min: 0, max: 3 }),
    kind: fc.constantFrom(...kinds),
  })
  .map(({ dims, offset, slack, kind }) => {
    const layout: StridedLayout = {
      shape: dims.map((d) => d.size),
      strides: dims.map((d) => d.stride),
      offset,
    };
    const empty = layout.shape.some((n) => n === 0);
    const last = offset + dims.reduce((sum, d) => sum + (d.size - 1) * d.stride, 0);
    return { layout, length: (empty ? offset : last + 1) + slack, kind };
  });

describe(stridedToDense, () => {
  it('matches a recursive C-order gather for random shapes, strides, offsets and element sizes', () => {
    fc.assert(
      fc.property(layoutArb, ({ layout, length, kind }) => {
        const src = filled(kind, length);
        const want: unknown[] = [];
        visit(layout, (i) => want.push(src[i]));
        const got = stridedToDense(src, layout);
        expect(got.constructor).toBe(kind);
        expect(Array.from(got as ArrayLike<unknown>)).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });

  it('extracts frame t of a [1, E, T] encoder output as a dense [1, E, 1] column', () => {
    const E = 3;
    const T = 4;
    const encoder = Float32Array.from({ length: E * T }, (_, k) => k); // value = e * T + t
    const column = stridedToDense(encoder, { shape: [1, E, 1], strides: [E * T, T, 1], offset: 2 });
    expect(Array.from(column)).toEqual([2, 6, 10]);
  });

  it('copies a rank-0 view as one element', () => {
    expect(Array.from(stridedToDense(Int32Array.of(5, 6, 7), { shape: [], strides: [], offset: 2 }))).toEqual(
      [7],
    );
  });

  it('writes into a given output array and returns it', () => {
    const dst = new Uint16Array(2);
    expect(stridedToDense(Uint16Array.of(1, 2, 3, 4), { shape: [2], strides: [2] }, dst)).toBe(dst);
    expect(Array.from(dst)).toEqual([1, 3]);
  });

  it('BAD CALL - refuses a view that reaches past the end of the source', () => {
    expect(() =>
      stridedToDense(new Float32Array(6), { shape: [2, 3], strides: [3, 1], offset: 1 }),
    ).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message:
          'stridedToDense: src has 6 elements but shape [2, 3], strides [3, 1], offset 1 address element 6',
      }),
    );
  });

  it('BAD CALL - refuses a stride so large the address overflows', () => {
    expect(() => stridedToDense(new Float32Array(6), { shape: [3], strides: [2 ** 53 - 1] })).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: expect.stringMatching(
          /^stridedToDense: src has 6 elements .* address element 18014398509481982$/,
        ),
      }),
    );
    expect(() => stridedToDense(new Float32Array(6), { shape: [4097], strides: [2 ** 53 - 1] })).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: expect.stringMatching(/address element beyond 2\^63$/),
      }),
    );
  });

  it('BAD CALL - refuses a negative stride', () => {
    expect(() => stridedToDense(new Float32Array(6), { shape: [2], strides: [-1] })).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: 'stridedToDense: layout.strides[0] must be a non-negative integer, got -1',
      }),
    );
  });

  it('BAD CALL - refuses a fractional offset', () => {
    expect(() => stridedToDense(new Float32Array(6), { shape: [2], strides: [1], offset: 0.5 })).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: 'stridedToDense: layout.offset must be a non-negative integer, got 0.5',
      }),
    );
  });

  it('BAD CALL - refuses shape and strides of different lengths', () => {
    expect(() => stridedToDense(new Float32Array(6), { shape: [2, 3], strides: [3] })).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: 'stridedToDense: layout.strides.length must equal layout.shape.length (2), got 1',
      }),
    );
  });

  it('BAD CALL - refuses a dimension that is not a number', () => {
    expect(() =>
      stridedToDense(new Float32Array(6), { shape: ['2'] as unknown as number[], strides: [1] }),
    ).toThrowError(
      expect.objectContaining({
        name: 'TypeError',
        message: 'stridedToDense: layout.shape[0] must be a number, got string',
      }),
    );
  });

  it('BAD CALL - refuses a missing layout', () => {
    expect(() => stridedToDense(new Float32Array(6), null as unknown as StridedLayout)).toThrowError(
      expect.objectContaining({
        name: 'TypeError',
        message: 'stridedToDense: layout must be an object {shape, strides, offset?}, got null',
      }),
    );
  });

  it('BAD CALL - refuses a source that is not a typed array', () => {
    expect(() =>
      stridedToDense([1, 2] as unknown as Float32Array, { shape: [2], strides: [1] }),
    ).toThrowError(
      expect.objectContaining({
        name: 'TypeError',
        message: 'stridedToDense: src must be a typed array, got array',
      }),
    );
  });

  it('BAD CALL - refuses an output of another type or length', () => {
    expect(() =>
      stridedToDense(
        new Float32Array(4),
        { shape: [2], strides: [2] },
        new Int32Array(2) as unknown as Float32Array,
      ),
    ).toThrowError(
      expect.objectContaining({
        name: 'TypeError',
        message: 'stridedToDense: dst must be a Float32Array like src, got Int32Array',
      }),
    );
    expect(() =>
      stridedToDense(new Float32Array(4), { shape: [2], strides: [2] }, new Float32Array(3)),
    ).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: 'stridedToDense: dst.length must be 2 (the product of shape), got 3',
      }),
    );
  });
});

describe(denseToStrided, () => {
  it('matches a recursive C-order scatter and leaves other elements alone', () => {
    fc.assert(
      fc.property(layoutArb, ({ layout, length, kind }) => {
        const count = layout.shape.reduce((a, b) => a * b, 1);
        const src = filled(kind, count, 50);
        const dst = filled(kind, length);
        const want: unknown[] = Array.from(dst as ArrayLike<unknown>);
        let k = 0;
        visit(layout, (i) => {
          want[i] = src[k++];
        });
        expect(denseToStrided(src, layout, dst)).toBe(dst);
        expect(Array.from(dst as ArrayLike<unknown>)).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });

  it('BAD CALL - refuses a dense source of the wrong length', () => {
    expect(() =>
      denseToStrided(new Float32Array(3), { shape: [2, 2], strides: [4, 1] }, new Float32Array(8)),
    ).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: 'denseToStrided: src.length must be 4 (the product of shape), got 3',
      }),
    );
  });

  it('BAD CALL - refuses a view that reaches past the end of the output', () => {
    expect(() =>
      denseToStrided(new Float32Array(4), { shape: [2, 2], strides: [4, 1] }, new Float32Array(5)),
    ).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message:
          'denseToStrided: dst has 5 elements but shape [2, 2], strides [4, 1], offset 0 address element 5',
      }),
    );
  });
});
