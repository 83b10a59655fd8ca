/**
 * Small, explicit text transforms and `compose()`. Nothing is normalised unless the caller asks:
 * a {@link Normalizer} is a composed chain of transforms followed by a split on whitespace.
 */

/** One text-to-text step, e.g. {@link lowercase}. */
export type Transform = (text: string) => string;

/** Text to words: the composed transforms, then {@link splitWords}. */
export type Normalizer = (text: string) => string[];

// Unicode White_Space (JS `\s` lacks U+0085) plus U+FEFF, which `\s` includes.
const WHITESPACE_RUN = /[\s\u0085]+/;
const WHITESPACE_RUN_GLOBAL = /[\s\u0085]+/g;

/**
 * Splits on any run of Unicode whitespace (space, tab, newline, NBSP U+00A0, U+2000-U+200A,
 * U+3000, ...), dropping empty words.
 */
export function splitWords(text: string): string[] {
  const parts = text.split(WHITESPACE_RUN);
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Applies `transforms` left to right. `compose()` is the identity. */
export function compose(...transforms: readonly Transform[]): Transform {
  if (transforms.length === 0) return (text) => text;
  if (transforms.length === 1) return transforms[0]!;
  return (text) => {
    let out = text;
    for (const t of transforms) out = t(out);
    return out;
  };
}

/** A normaliser: `transforms` in order, then {@link splitWords}. */
export function toNormalizer(...transforms: readonly Transform[]): Normalizer {
  const t = compose(...transforms);
  return transforms.length === 0 ? splitWords : (text) => splitWords(t(text));
}

/** Lower-cases (locale-independent). */
export const lowercase: Transform = (text) => text.toLowerCase();

/** Upper-cases (locale-independent). */
export const uppercase: Transform = (text) => text.toUpperCase();

/** Replaces every run of Unicode whitespace by one space and trims both ends. */
export const collapseWhitespace: Transform = (text) => text.replace(WHITESPACE_RUN_GLOBAL, ' ').trim();

/**
 * Removes Unicode punctuation (general category P).
 *
 * @param options.keep characters to keep, e.g. `"'"` to keep apostrophes.
 * @param options.replacement what a punctuation mark becomes; `''` (default) joins `a-b` into `ab`,
 *   `' '` splits it.
 */
export function removePunctuation(options: { keep?: string; replacement?: string } = {}): Transform {
  const keep = new Set(Array.from(options.keep ?? ''));
  const replacement = options.replacement ?? '';
  return (text) => text.replace(/\p{P}/gu, (c) => (keep.has(c) ? c : replacement));
}

/**
 * Replaces whole words (split on whitespace) by others. A value may hold several words or be `''`.
 *
 * @param map word to replacement, e.g. `{ okay: 'ok' }`.
 */
export function substituteWords(
  map: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
): Transform {
  const table = map instanceof Map ? new Map(map) : new Map(Object.entries(map));
  return (text) =>
    splitWords(text)
      .map((w) => table.get(w) ?? w)
      .filter((w) => w !== '')
      .join(' ');
}

/** Applies regular-expression replacements in order (use the `g` flag to replace every match). */
export function substituteRegexes(rules: ReadonlyArray<readonly [RegExp, string]>): Transform {
  return (text) => {
    let out = text;
    for (const [re, by] of rules) out = out.replace(re, by);
    return out;
  };
}

/**
 * Removes the given whole words, e.g. `removeWords(['<EOU>'])`.
 *
 * @param words exact words to drop (compared after the earlier transforms of the chain).
 */
export function removeWords(words: readonly string[]): Transform {
  const drop = new Set(words);
  return (text) =>
    splitWords(text)
      .filter((w) => !drop.has(w))
      .join(' ');
}

/** Removes Kaldi-style non-words: whole words written `<...>` or `[...]` (e.g. `<unk>`, `[noise]`). */
export const removeKaldiNonWords: Transform = (text) =>
  splitWords(text)
    .filter((w) => !/^(<[^>]*>|\[[^\]]*\])$/.test(w))
    .join(' ');

/** Splits text into characters (code points): the tokeniser behind CER. */
export function splitCharacters(text: string): string[] {
  return Array.from(text);
}
