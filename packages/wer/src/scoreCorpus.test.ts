import { describe, expect, it } from 'vitest';
import { parseKaldiText } from './kaldiText';
import { scoreCorpus } from './scoreCorpus';

describe('scoreCorpus', () => {
  const refs = parseKaldiText('u1 a b c\nu2 d e\nu3 f\n', 'ref.txt');

  it('pairs utterances by id, whatever the order of the hypothesis file', () => {
    const hyps = parseKaldiText('u3 f\nu1 a x c\nu2 d e\n', 'hyp.txt');
    const out = scoreCorpus(refs, hyps);
    expect(out.utterances.map((u) => [u.id, u.errors])).toEqual([
      ['u1', 1],
      ['u2', 0],
      ['u3', 0],
    ]);
    expect([out.errors, out.referenceWords, out.wer]).toEqual([1, 6, 1 / 6]);
    expect([out.missingInHyp, out.missingInRef]).toEqual([[], []]);
  });

  it('EXPECTED FAILURE - ids on one side only are an error by default, naming the side and the first id', () => {
    const hyps = parseKaldiText('u1 a b c\nu9 z\n', 'hyp.txt');
    expect(() => scoreCorpus(refs, hyps, { referenceName: 'ref.txt', hypothesisName: 'hyp.txt' })).toThrow(
      "2 id(s) of ref.txt missing in hyp.txt (first: 'u2'); 1 id(s) of hyp.txt missing in ref.txt (first: 'u9')",
    );
  });

  it("scores missing sides as empty transcripts with missing: 'empty' and lists them", () => {
    const hyps = parseKaldiText('u1 a b c\nu9 z y\n', 'hyp.txt');
    const out = scoreCorpus(refs, hyps, { missing: 'empty' });
    expect(out.missingInHyp).toEqual(['u2', 'u3']);
    expect(out.missingInRef).toEqual(['u9']);
    // u2, u3 deleted (3 words), u9 inserted (2 words): 5 errors over 6 reference words.
    expect([out.deletions, out.insertions, out.errors, out.referenceWords]).toEqual([3, 2, 5, 6]);
    expect(out.utterances.map((u) => u.id)).toEqual(['u1', 'u2', 'u3', 'u9']);
  });
});
