import { describe, expect, it } from 'vitest';
import { compareSystems } from './compareSystems';
import { defaultGateRules, evaluateRules } from './rules';
import { speakerOf } from './speakerTests';
import { WerError } from './werError';

const references = { u1: 'a b c d', u2: 'e f g h i j k l m n' };

describe('compareSystems', () => {
  it('reports totals, deltas, a blowup and the worst delta against the reference system (hand-checked)', () => {
    const cmp = compareSystems({
      references,
      systems: [
        { name: 'ref', hypotheses: { u1: 'a b c d', u2: 'e f g h i j k l m x' } },
        // u1: b->x, c and d deleted = 3 errors over 4 words (+75 pp, a blowup); u2 equal to ref's.
        { name: 'lean', hypotheses: { u1: 'a x', u2: 'e f g h i j k l m x' } },
      ],
    });
    expect(cmp.referenceSystem).toBe('ref');
    expect(cmp.referenceWords).toBe(14);
    expect(cmp.systems.map((s) => [s.name, s.errors])).toEqual([
      ['ref', 1],
      ['lean', 4],
    ]);
    const lean = cmp.candidates[0]!;
    expect(lean.deltaErrors).toBe(3);
    expect(lean.deltaWerPp).toBeCloseTo(300 / 14, 10);
    expect(lean.seqDiffs).toBe(1);
    expect(lean.seqDiffIds).toEqual(['u1']);
    expect([lean.improved, lean.regressed, lean.unchangedErrors]).toEqual([0, 1, 1]);
    expect(lean.blowups).toEqual([
      { id: 'u1', referenceWords: 4, referenceErrors: 0, candidateErrors: 3, deltaErrors: 3, deltaPp: 75 },
    ]);
    expect(lean.worst.map((w) => w.id)).toEqual(['u1']);
    expect(lean.maxDeltaPp).toBe(75);
    expect(cmp.perUtterance).toEqual([
      { id: 'u1', referenceWords: 4, errors: { ref: 0, lean: 3 } },
      { id: 'u2', referenceWords: 10, errors: { ref: 1, lean: 1 } },
    ]);
    expect(lean.significance.sign).toMatchObject({ worse: 1, better: 0, ties: 1 });
  });

  it('counts identical sequences on tokens when both systems give them, else on words', () => {
    const base = { u1: 'a b', u2: 'c d' };
    const cmp = compareSystems({
      references: base,
      systems: [
        { name: 'ref', hypotheses: base, tokens: { u1: [1, 2], u2: [3, 4] } },
        // Same words, different tokens on u1 (a different segmentation): a sequence diff with no WER change.
        { name: 'fused', hypotheses: base, tokens: { u1: [1, 2, 0], u2: [3, 4] } },
        { name: 'words-only', hypotheses: { u1: 'a b', u2: 'c x' } },
      ],
    });
    expect(cmp.candidates.map((c) => [c.name, c.seqDiffs, c.deltaErrors])).toEqual([
      ['fused', 1, 0],
      ['words-only', 1, 1],
    ]);
  });

  it('uses the blowup fraction strictly (> fraction) and ignores empty references', () => {
    const refs = { u1: 'a b c d e', u2: '' };
    const systems = [
      { name: 'ref', hypotheses: { u1: 'a b c d e', u2: '' } },
      // u1: one error / 5 words = exactly 20 %: not a blowup. u2: insertions on an empty reference.
      { name: 'cand', hypotheses: { u1: 'a b c d x', u2: 'p q' } },
    ];
    expect(compareSystems({ references: refs, systems }).candidates[0]!.blowups).toEqual([]);
    expect(
      compareSystems({ references: refs, systems, blowupFraction: 0.1 }).candidates[0]!.blowups.map(
        (b) => b.id,
      ),
    ).toEqual(['u1']);
  });

  it('finds the largest per-utterance delta in pp even outside the worst list (ranked by errors)', () => {
    const long = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    const refs = { a: long, b: 'x y' };
    const cmp = compareSystems({
      references: refs,
      worst: 1,
      systems: [
        { name: 'ref', hypotheses: refs },
        // a: +3 errors over 100 words (+3 pp); b: +1 error over 2 words (+50 pp).
        { name: 'cand', hypotheses: { a: long.replace(/w[0-2] /g, 'z '), b: 'x q' } },
      ],
    });
    const c = cmp.candidates[0]!;
    expect(c.worst.map((w) => [w.id, w.deltaErrors])).toEqual([['a', 3]]);
    expect(c.maxDeltaPp).toBe(50);
  });

  it('takes another reference system by name', () => {
    const cmp = compareSystems({
      references,
      referenceSystem: 'b',
      systems: [
        { name: 'a', hypotheses: { u1: 'a b c d', u2: 'e f g h i j k l m n' } },
        { name: 'b', hypotheses: { u1: 'a b c x', u2: 'e f g h i j k l m n' } },
      ],
    });
    expect(cmp.candidates.map((c) => [c.name, c.deltaErrors])).toEqual([['a', -1]]);
  });

  it('reports sentence error rates and their change', () => {
    const cmp = compareSystems({
      references,
      systems: [
        { name: 'ref', hypotheses: { u1: 'a b c d', u2: 'e f g h i j k l m x' } },
        { name: 'lean', hypotheses: { u1: 'a x', u2: 'e f g h i j k l m x' } },
        { name: 'good', hypotheses: references },
      ],
    });
    expect(cmp.systems.map((s) => [s.name, s.sentenceErrors, s.ser])).toEqual([
      ['ref', 1, 0.5],
      ['lean', 2, 1],
      ['good', 0, 0],
    ]);
    expect(cmp.candidates.map((c) => [c.name, c.ser, c.deltaSerPp])).toEqual([
      ['lean', 1, 50],
      ['good', 0, -50],
    ]);
  });

  it('refuses to call a corpus without reference words good: WER undefined, every WER rule fails', () => {
    const cmp = compareSystems({
      references: { u1: '', u2: '' },
      systems: [
        { name: 'ref', hypotheses: { u1: 'uh', u2: '' } },
        { name: 'lean', hypotheses: { u1: 'uh', u2: '' } },
      ],
    });
    expect(cmp.systems[0]!.wer).toBeNaN();
    expect(cmp.systems[0]!.rate).toMatchObject({ defined: false, reason: 'no-reference-words' });
    const lean = cmp.candidates[0]!;
    expect(lean.deltaWerPp).toBeNaN();
    expect(lean.worst).toEqual([]);
    const verdict = evaluateRules(defaultGateRules, cmp);
    expect(verdict.pass).toBe(false);
    expect(verdict.rules.find((r) => r.metric === 'deltaWerPp')).toMatchObject({ value: null, pass: false });
  });

  it('sorts worst deltas with an empty reference (undefined pp) after defined ones of equal errors', () => {
    const cmp = compareSystems({
      references: { e: '', w: 'a b' },
      systems: [
        { name: 'ref', hypotheses: { e: '', w: 'a b' } },
        { name: 'cand', hypotheses: { e: 'x', w: 'a' } },
      ],
    });
    expect(cmp.candidates[0]!.worst.map((d) => [d.id, d.deltaPp])).toEqual([
      ['w', 50],
      ['e', NaN],
    ]);
  });

  it('aligns with sclite costs and adds sclite per-speaker tests when asked', () => {
    const cmp = compareSystems({
      references: { 's1-a': 'x a', 's1-b': 'b c', 's2-a': 'd e' },
      systems: [
        { name: 'ref', hypotheses: { 's1-a': 'x a', 's1-b': 'b c', 's2-a': 'd e' } },
        { name: 'cand', hypotheses: { 's1-a': 'a x', 's1-b': 'b c', 's2-a': 'd' } },
      ],
      costs: 'sclite',
      speakerOf,
    });
    expect(cmp.systems[1]).toMatchObject({ substitutions: 0, deletions: 2, insertions: 1 });
    const sig = cmp.candidates[0]!.significance;
    expect(sig.speakerSign).toMatchObject({ speakers: 2, first: 'candidate', plus: 2, minus: 0, ties: 0 });
    expect(sig.speakerWilcoxon).toMatchObject({ speakers: 2, plus: 2, minus: 0 });
    // The deprecated keys are the same objects as the new ones.
    expect(sig.sign).toBe(sig.utteranceSign);
    expect(sig.wilcoxon).toBe(sig.utteranceWilcoxon);
    expect(
      compareSystems({
        references,
        systems: [
          { name: 'r', hypotheses: references },
          { name: 'c', hypotheses: references },
        ],
      }).candidates[0]!.significance.speakerSign,
    ).toBeUndefined();
  });

  it('EXPECTED FAILURE - a system missing an utterance id is named with the first missing id', () => {
    const run = () => compareSystems({ references, systems: [{ name: 'ref', hypotheses: { u1: 'a' } }] });
    expect(run).toThrow(WerError);
    expect(run).toThrow("system 'ref' lacks 1 reference id(s) (first: 'u2')");
  });

  it('BAD CALL - rejects no systems, duplicate names and an unknown reference system', () => {
    expect(() => compareSystems({ references, systems: [] })).toThrow(
      'systems must list at least one system',
    );
    const s = { name: 'x', hypotheses: references };
    expect(() => compareSystems({ references, systems: [s, s] })).toThrow(
      "systems: duplicate system name 'x'",
    );
    expect(() => compareSystems({ references, systems: [s], referenceSystem: 'y' })).toThrow(RangeError);
  });
});
