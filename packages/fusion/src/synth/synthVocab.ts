/**
 * A deterministic SentencePiece-like vocabulary of pseudo-words: word-initial pieces start with
 * `▁` (U+2581), continuation pieces do not. Built from consonant-vowel syllables so that texts
 * read as words and every piece string is distinct.
 */

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';

function syllable(i: number): string {
  return CONSONANTS[Math.floor(i / VOWELS.length) % CONSONANTS.length]! + VOWELS[i % VOWELS.length]!;
}

/** The i-th syllable string in a fixed order: single syllables, then pairs. */
function syllables(i: number): string {
  const n = CONSONANTS.length * VOWELS.length;
  if (i < n) return syllable(i);
  const k = i - n;
  return syllable(Math.floor(k / n) % n) + syllable(k % n);
}

/** Pieces of a text vocabulary of `size`: about 60% word-initial, the rest continuations. */
export function synthPieces(size: number): string[] {
  const initial = Math.ceil(size * 0.6);
  const pieces: string[] = [];
  for (let i = 0; i < initial; i++) pieces.push('\u2581' + syllables(i));
  // Continuations start further along the syllable list so they read differently.
  for (let i = 0; i < size - initial; i++) pieces.push(syllables(i + 3) + (i % 3 === 0 ? 'n' : ''));
  return pieces;
}

/** Number of word-initial pieces among the first `size` (they come first). */
export function initialPieceCount(size: number): number {
  return Math.ceil(size * 0.6);
}
