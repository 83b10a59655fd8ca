/**
 * IEEE 754 binary16 <-> binary32, the one implementation every @eou package uses (fp16 `.npy`
 * frames, fp16 tensors fed to and read from runtimes, fp16 rounding in reference math). Node 20
 * has no `Float16Array` or `Math.f16round`, so halves travel as bits in a `Uint16Array`.
 * Importable alone as `@eou/rnnt-decode/float16`, which loads nothing else of this package.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds `value` to the nearest float16 (ties to even, like a hardware conversion) and returns its bits. */
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

// All 65,536 values, built on first use: a lookup beats bit arithmetic in the hot paths.
function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    const v =
      exp === 0
        ? mant * 2 ** -24
        : exp === 0x1f
          ? mant === 0
            ? Infinity
            : NaN
          : (1 + mant / 1024) * 2 ** (exp - 15);
    table[h] = h & 0x8000 ? -v : v;
  }
  return table;
}

/** The value of float16 bits (exact: every half is a float32). */
export function float16BitsToFloat32(bits: number): number {
  return halfTable()[bits & 0xffff]!;
}

/** Rounds `value` to the nearest float16 value (ties to even), returned as a number. */
export function fp16Round(value: number): number {
  return halfTable()[float32ToFloat16Bits(value)]!;
}

/** Converts float32 values to float16 bits, into `out` when given. */
export function toFloat16(
  values: ArrayLike<number>,
  out: Uint16Array = new Uint16Array(values.length),
): Uint16Array {
  if (out.length < values.length)
    throw new RangeError(`toFloat16: out has ${out.length} elements, need ${values.length}`);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i]!);
  return out;
}

/** Converts float16 bits to float32 values, into `out` when given. */
export function fromFloat16(
  bits: Uint16Array,
  out: Float32Array = new Float32Array(bits.length),
): Float32Array {
  if (out.length < bits.length)
    throw new RangeError(`fromFloat16: out has ${out.length} elements, need ${bits.length}`);
  copyFloat16(bits, out, bits.length);
  return out;
}

/** Converts `count` halves from `source` into `target` (no allocation). */
export function copyFloat16(source: Uint16Array, target: Float32Array, count: number): void {
  const t = halfTable();
  for (let i = 0; i < count; i++) target[i] = t[source[i]!]!;
}
