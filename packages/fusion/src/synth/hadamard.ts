/**
 * Fast Walsh-Hadamard transform (unnormalised, in place). The synthetic joint's encoder
 * projection is `c * H * D` (H the Hadamard matrix, D random signs): every entry is ±c, exactly
 * representable in fp16, and its inverse costs O(n log n) per frame instead of a dense solve.
 */

/** In-place unnormalised WHT of `x` (length a power of two). `H * H = n * I`. */
export function fwht(x: Float64Array | Float32Array): void {
  const n = x.length;
  for (let len = 1; len < n; len <<= 1) {
    for (let i = 0; i < n; i += len << 1) {
      for (let j = i; j < i + len; j++) {
        const a = x[j]!;
        const b = x[j + len]!;
        x[j] = a + b;
        x[j + len] = a - b;
      }
    }
  }
}

/** Entry (i, j) of the n x n Sylvester Hadamard matrix: (-1)^popcount(i & j). */
export function hadamardSign(i: number, j: number): number {
  let v = i & j;
  let parity = 0;
  while (v) {
    parity ^= v & 1;
    v >>>= 1;
  }
  return parity ? -1 : 1;
}

/** Whether n is a power of two (>= 1). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}
