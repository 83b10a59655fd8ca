/**
 * float32 <-> float16 conversion for feeding and reading fp16 tensors (`Uint16Array` of IEEE
 * half bits). Round-to-nearest-even, like a hardware conversion; Node 20 has no `Math.f16round`.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds `value` to the nearest float16 (ties to even) and returns its bits. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant === 0 ? 0 : mant >>> 13 || 0x200);
  const e = exp - 112; // rebias 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e >= 1) {
    let half = (e << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    // A carry out of the mantissa bumps the exponent: still the correctly rounded value (or inf).
    if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  if (e < -10) return sign;
  mant |= 0x800000;
  const shift = 14 - e;
  let half = mant >>> shift;
  const rest = mant & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) === 1)) half += 1;
  return sign | half;
}

let table: Float32Array | undefined;

function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    const v = exp === 0 ? mant * 2 ** -24 : exp === 0x1f ? (mant === 0 ? Infinity : NaN) : (1 + mant / 1024) * 2 ** (exp - 15);
    table[h] = h & 0x8000 ? -v : v;
  }
  return table;
}

/** The value of float16 bits. */
export function float16BitsToFloat32(bits: number): number {
  return halfTable()[bits & 0xffff]!;
}

/** Converts float32 values to float16 bits, into `out` when given. */
export function toFloat16(values: ArrayLike<number>, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  if (out.length < values.length) throw new RangeError(`toFloat16: out has ${out.length} elements, need ${values.length}`);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i]!);
  return out;
}

/** Converts float16 bits to float32 values, into `out` when given. */
export function fromFloat16(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  if (out.length < bits.length) throw new RangeError(`fromFloat16: out has ${out.length} elements, need ${bits.length}`);
  const t = halfTable();
  for (let i = 0; i < bits.length; i++) out[i] = t[bits[i]!]!;
  return out;
}
