/**
 * IEEE half-precision conversion over the native addon. Node 20 has no Float16Array, so
 * float16 data travels as its bit patterns in a `Uint16Array` (the session contract's rule).
 */
import { loadBinding } from './binding';

/**
 * Converts half bits to float32. Exact: every half value is a float32 (NaN payloads kept).
 * @param src IEEE half bit patterns.
 * @param dst Optional output of the same length (written and returned).
 * @throws TypeError when `src`/`dst` are not a Uint16Array/Float32Array; RangeError on a length mismatch.
 */
export function halfToFloat(src: Uint16Array, dst?: Float32Array): Float32Array {
  return loadBinding().halfToFloat(src, dst);
}

/**
 * Converts float32 to half bits with round-to-nearest-even (as CoreML's and ONNX Runtime's casts
 * do): values from 65520 up become infinity, tiny values become subnormals or signed zero, and
 * NaN stays a (quiet) NaN.
 * @param src float32 values.
 * @param dst Optional output of the same length (written and returned).
 * @throws TypeError when `src`/`dst` are not a Float32Array/Uint16Array; RangeError on a length mismatch.
 */
export function floatToHalf(src: Float32Array, dst?: Uint16Array): Uint16Array {
  return loadBinding().floatToHalf(src, dst);
}
