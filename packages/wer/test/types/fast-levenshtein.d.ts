// fast-levenshtein 3.0.0 ships no types; only `get` is used (the CER oracle in the tests).
declare module 'fast-levenshtein' {
  const levenshtein: { get(a: string, b: string, options?: { useCollator?: boolean }): number };
  export default levenshtein;
}
