import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfBits } from './half';

describe('fp16 conversions', () => {
  it('round-trips every non-NaN half bit pattern', () => {
    for (let b = 0; b < 0x10000; b++) {
      const v = fromHalfBits(b);
      if (Number.isNaN(v)) expect(Number.isNaN(fromHalfBits(toHalfBits(v)))).toBe(true);
      else expect(toHalfBits(v)).toBe(b);
    }
  });

  it('rounds to the nearest representable half (ties to even)', () => {
    fc.assert(
      fc.property(fc.double({ min: -70000, max: 70000, noNaN: true }), (x) => {
        const x32 = Math.fround(x);
        const h = fromHalfBits(toHalfBits(x32));
        // reference: the neighbours of the chosen half are no closer
        const bits = toHalfBits(h);
        const mag = bits & 0x7fff;
        const sign = bits & 0x8000;
        const neighbours = [mag + 1, mag - 1]
          .filter((m) => m >= 0 && m < 0x7c00)
          .map((m) => fromHalfBits(sign | m));
        if (Math.abs(x32) > 65520) expect(Math.abs(h)).toBe(Infinity);
        else for (const n of neighbours) expect(Math.abs(x32 - h)).toBeLessThanOrEqual(Math.abs(x32 - n));
      }),
    );
  });
});
