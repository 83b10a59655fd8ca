import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatToHalf, halfToFloat } from './fp16';

// Reference decoding straight from the IEEE 754 binary16 definition.
function refHalfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

// Every non-negative finite half in increasing order (bits 0..0x7bff are monotone), plus the
// "next" value 2^16 that IEEE overflow rounding treats as infinity (bits 0x7c00, even).
const ladder: number[] = Array.from({ length: 0x7c01 }, (_, i) => (i === 0x7c00 ? 65536 : refHalfToFloat(i)));

// Reference rounding: the nearest rung, ties to the even bit pattern. Differences are exact in
// doubles (Sterbenz), so the comparison is exact.
function refFloatToHalf(x: number): number {
  if (Number.isNaN(x)) return -1;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65536) return sign | 0x7c00;
  let lo = 0;
  let hi = 0x7c00;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ladder[mid]! <= a) lo = mid;
    else hi = mid;
  }
  if (ladder[lo] === a) return sign | lo;
  const below = a - ladder[lo]!;
  const above = ladder[hi]! - a;
  if (below < above) return sign | lo;
  if (above < below) return sign | hi;
  return sign | (lo % 2 === 0 ? lo : hi);
}

const isHalfNaN = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;

function expectMatchesReference(values: Float32Array): void {
  const native = floatToHalf(values);
  for (let i = 0; i < values.length; i++) {
    const want = refFloatToHalf(values[i]!);
    if (want === -1) {
      expect(isHalfNaN(native[i]!), `NaN input ${i} gives a NaN half`).toBe(true);
    } else if (native[i] !== want) {
      expect({ input: values[i], bits: native[i]!.toString(16) }).toEqual({
        input: values[i],
        bits: want.toString(16),
      });
    }
  }
}

const allHalves = Uint16Array.from({ length: 65536 }, (_, i) => i);

describe(halfToFloat, () => {
  it('decodes all 65536 half values exactly as the IEEE definition says', () => {
    const floats = halfToFloat(allHalves);
    for (let h = 0; h < 65536; h++) {
      const want = refHalfToFloat(h);
      if (Number.isNaN(want)) expect(Number.isNaN(floats[h]!)).toBe(true);
      else if (!Object.is(floats[h], want)) expect([h, floats[h]]).toEqual([h, want]);
    }
  });

  it('writes into a given output array and returns it', () => {
    const dst = new Float32Array(3);
    expect(halfToFloat(Uint16Array.of(0x3c00, 0xc000, 0x0001), dst)).toBe(dst);
    expect(Array.from(dst)).toEqual([1, -2, 2 ** -24]);
  });

  it('BAD CALL - refuses a Float32Array as source', () => {
    expect(() => halfToFloat(new Float32Array(2) as unknown as Uint16Array)).toThrowError(
      expect.objectContaining({
        name: 'TypeError',
        message: expect.stringMatching(
          /^halfToFloat: src must be a Uint16Array of IEEE half bits, got Float32Array$/,
        ),
      }),
    );
  });

  it('BAD CALL - refuses an output of the wrong length', () => {
    expect(() => halfToFloat(new Uint16Array(4), new Float32Array(3))).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: 'halfToFloat: dst.length must equal src.length (4), got 3',
      }),
    );
  });

  it('BAD CALL - refuses an output that overlaps the input', () => {
    const buffer = new ArrayBuffer(16);
    expect(() => halfToFloat(new Uint16Array(buffer, 0, 2), new Float32Array(buffer, 0, 2))).toThrowError(
      expect.objectContaining({ name: 'RangeError', message: 'halfToFloat: dst must not overlap src' }),
    );
  });
});

describe(floatToHalf, () => {
  it('round-trips every half value (NaNs come back as quiet NaNs with their sign and payload)', () => {
    const back = floatToHalf(halfToFloat(allHalves));
    for (let h = 0; h < 65536; h++) {
      const want = isHalfNaN(h) ? h | 0x0200 : h;
      if (back[h] !== want) expect(back[h]!.toString(16)).toBe(want.toString(16));
    }
  });

  it('rounds random float bit patterns to the nearest half, ties to even', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 400 }),
        (bits) => {
          expectMatchesReference(new Float32Array(Uint32Array.from(bits).buffer));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rounds random floats including subnormals, infinities and NaN', () => {
    fc.assert(
      fc.property(fc.array(fc.float(), { minLength: 1, maxLength: 400 }), (values) => {
        expectMatchesReference(Float32Array.from(values));
      }),
      { numRuns: 100 },
    );
  });

  it('rounds exact midpoints between neighbouring halves to the even one, and their neighbours to the nearer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7bff }), fc.boolean(), (i, negative) => {
        const mid = (ladder[i]! + ladder[i + 1]!) / 2; // 12 significant bits: exact in float32
        const around = new Float32Array([mid, mid, mid]);
        const bits = new Uint32Array(around.buffer);
        bits[1]! -= 1; // next float below the midpoint
        bits[2]! += 1; // next float above it
        if (negative) for (let k = 0; k < 3; k++) around[k] = -around[k]!;
        expectMatchesReference(around);
      }),
      { numRuns: 300 },
    );
  });

  it('sends values from 65520 upwards to infinity and keeps 65519.99 finite', () => {
    expect(Array.from(floatToHalf(Float32Array.of(65504, 65519.99, 65520, 1e9, -65520)))).toEqual([
      0x7bff, 0x7bff, 0x7c00, 0x7c00, 0xfc00,
    ]);
  });

  it('BAD CALL - refuses a plain array', () => {
    expect(() => floatToHalf([1, 2] as unknown as Float32Array)).toThrowError(
      expect.objectContaining({
        name: 'TypeError',
        message: 'floatToHalf: src must be a Float32Array, got array',
      }),
    );
  });

  it('BAD CALL - refuses an output of the wrong type', () => {
    expect(() => floatToHalf(new Float32Array(2), new Int16Array(2) as unknown as Uint16Array)).toThrowError(
      expect.objectContaining({
        name: 'TypeError',
        message: 'floatToHalf: dst must be a Uint16Array, got Int16Array',
      }),
    );
  });
});
