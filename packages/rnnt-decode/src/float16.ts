/** IEEE 754 half-precision bits to float32, for fp16 `.npy` files and fp16 `h_out`/`c_out` outputs. */

/** Converts one half-precision bit pattern to a number (exact: every half is a float32). */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Converts `count` halves from `source` into `target`. */
export function copyFloat16(source: Uint16Array, target: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) target[i] = float16ToFloat32(source[i]!);
}
