import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreCorpus } from './scoreCorpus';
import { removeWords, toNormalizer } from './transforms';
import { parseTrn } from './trn';

// pocketsphinx's LibriVox test set (BSD-2-Clause; see test/fixtures/pocketsphinx-librivox/README.md):
// sclite scores these hypotheses at 20 errors over 71 reference words.
const dir = new URL('../test/fixtures/pocketsphinx-librivox/', import.meta.url);
const refs = parseTrn(readFileSync(new URL('ref.trn', dir)), 'ref.trn');
const hyps = parseTrn(readFileSync(new URL('hyp.match', dir)), 'hyp.match');

describe('the pocketsphinx LibriVox fixture (sclite: 20 errors / 71 words)', () => {
  const score = scoreCorpus(refs, hyps, { normalizer: toNormalizer(removeWords(['<s>', '</s>'])) });

  it('reads five utterances from each side, ignoring the decoder score after the id', () => {
    expect(hyps.map((h) => h.id)).toEqual(refs.map((r) => r.id));
    expect(hyps[0]!.text.endsWith('to do for')).toBe(true);
  });

  it("gives sclite's totals: 20 errors over 71 reference words", () => {
    expect([score.errors, score.referenceWords]).toEqual([20, 71]);
    expect(score.wer).toBeCloseTo(20 / 71, 12);
  });

  it('gives the hand-checked per-utterance errors and the S/D/I split', () => {
    // 0870: and->but, mister->mr, dashwood had then -> guess would have been at (3 S + 2 I), prudently->prickly, them deleted.
    // 0880: ill disposed -> illness those. 0890: unless, ill, disposed substituted. 0920: "a" and one of "than he was" deleted,
    // two substituted. 0930: "the" inserted, himself->itself.
    expect(score.utterances.map((u) => [u.errors, u.substitutions, u.deletions, u.insertions])).toEqual([
      [9, 6, 1, 2],
      [2, 2, 0, 0],
      [3, 3, 0, 0],
      [4, 2, 2, 0],
      [2, 1, 0, 1],
    ]);
    expect([score.substitutions, score.deletions, score.insertions]).toEqual([14, 3, 3]);
  });
});
