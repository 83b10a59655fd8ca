/**
 * fp16 rounding for the reference math, so it rounds exactly where an fp16 graph does. The bit
 * conversions are the shared ones of `@eou/rnnt-decode/float16`.
 */
import { fp16Round, fromFloat16, toFloat16 } from '@eou/rnnt-decode/float16';

export { float16BitsToFloat32, float32ToFloat16Bits, fp16Round } from '@eou/rnnt-decode/float16';

/** Converts float32 values to float16 bits. */
export function toFloat16Array(values: ArrayLike<number>): Uint16Array {
  return toFloat16(values);
}

/** Converts float16 bits to float32 values. */
export function fromFloat16Array(bits: Uint16Array): Float32Array {
  return fromFloat16(bits);
}

/** Rounds every element of `values` to fp16 in place and returns it. */
export function fp16RoundInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = fp16Round(values[i]!);
  return values;
}
