// fast-levenshtein 3.0.0 ships no types; only `get` is used (the edit-distance oracle of `eou wer`'s tests).
declare module 'fast-levenshtein' {
  const levenshtein: { get(a: string, b: string): number };
  export default levenshtein;
}
