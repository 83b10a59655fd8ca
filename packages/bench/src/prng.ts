/**
 * A seeded 32-bit generator: a Weyl sequence (step 0x9E3779B9) passed through the MurmurHash3
 * finaliser. Small, fast and deterministic across platforms, which is all the bootstrap needs;
 * it is not meant for cryptography or for very long streams.
 *
 * @param seed any integer; only its low 32 bits are used.
 * @returns a function giving uniform floats in [0, 1).
 */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}
