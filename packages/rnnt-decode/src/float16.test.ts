import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  fp16Round as fp16RoundOne,
  fromFloat16,
  toFloat16,
} from './float16';

const fp16Round = (x: number): number => fromFloat16(toFloat16([x]))[0]!;

/** Value of half bits from the IEEE definition, in float64. */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 31;
  const mant = h & 1023;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (exp === 0 ? mant * 2 ** -24 : (1 + mant / 1024) * 2 ** (exp - 15));
}

// Finite non-negative halves in increasing order: bits 0..0x7bff.
const positives = Array.from({ length: 0x7c00 }, (_, h) => halfValue(h));

/** Nearest half by search, ties to the even bit pattern; overflow past 65520 is infinity. */
function nearestHalfBits(x: number): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00;
  let lo = 0;
  let hi = positives.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (positives[mid]! <= a) lo = mid;
    else hi = mid;
  }
  if (positives[hi]! <= a) lo = hi;
  const below = lo;
  const above = Math.min(lo + 1, positives.length - 1);
  const dBelow = a - positives[below]!;
  const dAbove = positives[above]! - a;
  const pick = dBelow < dAbove ? below : dAbove < dBelow ? above : below % 2 === 0 ? below : above;
  return sign | pick;
}

describe('fp16', () => {
  it('decodes every one of the 65,536 half patterns to its IEEE value and encodes it back to the same bits (NaNs to a NaN)', () => {
    const bad: string[] = [];
    for (let h = 0; h < 65536; h++) {
      const v = float16BitsToFloat32(h);
      const expected = halfValue(h);
      const back = float32ToFloat16Bits(v);
      // NaN payloads are not preserved (a JS NaN is canonical), but a NaN stays a NaN.
      const ok = Number.isNaN(expected)
        ? Number.isNaN(v) && (back & 0x7c00) === 0x7c00 && (back & 0x3ff) !== 0
        : Object.is(v, expected) && back === h;
      if (!ok) bad.push(`${h.toString(16)} -> ${v} -> ${back.toString(16)}`);
    }
    expect(bad).toEqual([]);
  });

  it('rounds every midpoint between adjacent halves to the even neighbour', () => {
    const bad: number[] = [];
    for (let h = 0; h < 0x7bff; h++) {
      const mid = (positives[h]! + positives[h + 1]!) / 2; // exact in float32: one more bit
      const even = h % 2 === 0 ? h : h + 1;
      if (float32ToFloat16Bits(mid) !== even || float32ToFloat16Bits(-mid) !== (0x8000 | even)) bad.push(h);
    }
    expect(bad).toEqual([]);
  });

  it('rounds any float32 to the nearest half, ties to even (property against a search reference)', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (x) => {
        expect(float32ToFloat16Bits(x)).toBe(nearestHalfBits(x));
      }),
      { numRuns: 20000 },
    );
    fc.assert(
      fc.property(fc.float({ min: -70000, max: 70000, noNaN: true }), (x) => {
        expect(float32ToFloat16Bits(x)).toBe(nearestHalfBits(x));
        expect(Object.is(fp16Round(x), float16BitsToFloat32(nearestHalfBits(x)))).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('fp16Round', () => {
  it('is the round trip through bits', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (x) => {
        expect(fp16RoundOne(x)).toBe(fp16Round(x));
      }),
    );
  });
});
