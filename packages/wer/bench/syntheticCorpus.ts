// The synthetic corpora of the benchmarks: a 5,000-word vocabulary and hypotheses made from the
// references by random edits (a third each substitutions, deletions, insertions).

/** Words of the synthetic vocabulary. */
export const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}`);

/** Reference and hypothesis texts of `utterances` x `words` reference words at `editRate`. */
export function syntheticCorpus(
  random: () => number,
  utterances: number,
  words: number,
  editRate = 0.08,
): { refs: string[]; hyps: string[]; refWords: number } {
  const word = () => VOCAB[Math.floor(random() * VOCAB.length)]!;
  const refs: string[] = [];
  const hyps: string[] = [];
  for (let u = 0; u < utterances; u++) {
    const ref = Array.from({ length: words }, word);
    const hyp: string[] = [];
    for (const w of ref) {
      const r = random();
      if (r < editRate / 3)
        hyp.push(word()); // substitution
      else if (r < (2 * editRate) / 3)
        continue; // deletion
      else if (r < editRate)
        hyp.push(w, word()); // insertion
      else hyp.push(w);
    }
    refs.push(ref.join(' '));
    hyps.push(hyp.join(' '));
  }
  return { refs, hyps, refWords: utterances * words };
}
