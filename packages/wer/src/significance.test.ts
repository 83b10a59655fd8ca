import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlignmentChunk } from './alignIds';
import { processWords } from './processWords';
import {
  binomialTwoSided,
  mapsswe,
  mapssweSegments,
  mcnemar,
  normalUpperTail,
  pairedBootstrap,
  signTest,
  wilcoxonSignedRank,
  type PairedUtterance,
} from './significance';

/** Chunks for a reference of n words where the listed word indices are substituted. */
function subsAt(n: number, wrong: number[], inserts: Array<[number, number]> = []): AlignmentChunk[] {
  const chunks: AlignmentChunk[] = [];
  let j = 0;
  for (let i = 0; i <= n; i++) {
    for (const [gap, count] of inserts)
      if (gap === i) {
        chunks.push({ kind: 'insert', refStart: i, refEnd: i, hypStart: j, hypEnd: j + count });
        j += count;
      }
    if (i === n) break;
    chunks.push({
      kind: wrong.includes(i) ? 'substitute' : 'equal',
      refStart: i,
      refEnd: i + 1,
      hypStart: j,
      hypEnd: j + 1,
    });
    j++;
  }
  return chunks;
}

function utt(
  n: number,
  refWrong: number[],
  candWrong: number[],
  candInserts: Array<[number, number]> = [],
): PairedUtterance {
  return {
    referenceWords: n,
    referenceErrors: refWrong.length,
    candidateErrors: candWrong.length + candInserts.reduce((s, [, c]) => s + c, 0),
    referenceChunks: subsAt(n, refWrong),
    candidateChunks: subsAt(n, candWrong, candInserts),
  };
}

describe('mapssweSegments', () => {
  it('cuts segments at runs of two jointly correct words (hand-checked)', () => {
    // 10 words; reference system wrong at 2, candidate at 2 and 5. Runs 3-4 and 6-9 close segments.
    expect(mapssweSegments([utt(10, [2], [2, 5])], 2)).toEqual([
      { utterance: 0, reference: 1, candidate: 1 },
      { utterance: 0, reference: 0, candidate: 1 },
    ]);
    // With three words needed, the run 3-4 no longer closes a segment.
    expect(mapssweSegments([utt(10, [2], [2, 5])], 3)).toEqual([
      { utterance: 0, reference: 1, candidate: 2 },
    ]);
  });

  it('puts insertions in the segment of their gap and never lets a run with an insertion close a segment', () => {
    // Candidate inserts 2 words before word 4 (inside the run 3..9): the run splits into 3 and 4..9.
    expect(mapssweSegments([utt(10, [2], [2], [[4, 2]])], 2)).toEqual([
      { utterance: 0, reference: 1, candidate: 3 },
    ]);
    // Insertion at the very end belongs to the last segment.
    expect(mapssweSegments([utt(3, [], [], [[3, 1]])], 2)).toEqual([
      { utterance: 0, reference: 0, candidate: 1 },
    ]);
  });
});

describe('mapsswe', () => {
  it('computes z and the two-sided p-value from segment differences (hand-checked)', () => {
    // Differences 0 and 1: mean 0.5, sd sqrt(0.5), z = 0.5 / (sqrt(0.5) / sqrt(2)) = 1, p = 2 Q(1).
    const r = mapsswe([utt(10, [2], [2, 5])]);
    expect(r.segments).toBe(2);
    expect(r.z).toBeCloseTo(1, 12);
    expect(r.pValue).toBeCloseTo(0.3173105, 6);
  });

  it('gives p = 1 for identical systems, NaN for one segment and p = 0 for a constant non-zero difference', () => {
    expect(mapsswe([utt(5, [1], [1])]).pValue).toBe(1);
    expect(mapsswe([utt(5, [], [1])]).pValue).toBeNaN();
    expect(mapsswe([utt(10, [], [2]), utt(10, [], [5])]).pValue).toBe(0);
  });

  it('BAD CALL - rejects minBoundaryWords below 1', () => {
    expect(() => mapsswe([], 0)).toThrow(RangeError);
    expect(() => mapsswe([], 0)).toThrow('minBoundaryWords must be an integer >= 1, got 0');
  });
});

describe('normalUpperTail', () => {
  it('matches known values of the normal law', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1)).toBeCloseTo(0.8413447, 6);
  });
});

describe('signTest and binomialTwoSided', () => {
  it('counts better, worse and ties and gives the exact p-value', () => {
    const us: PairedUtterance[] = [
      { referenceWords: 5, referenceErrors: 1, candidateErrors: 2 },
      { referenceWords: 5, referenceErrors: 1, candidateErrors: 2 },
      { referenceWords: 5, referenceErrors: 1, candidateErrors: 2 },
      { referenceWords: 5, referenceErrors: 2, candidateErrors: 2 },
    ];
    // 3 worse, 0 better: p = 2 * (1/8) = 0.25.
    const r = signTest(us);
    expect({ worse: r.worse, better: r.better, ties: r.ties }).toEqual({ worse: 3, better: 0, ties: 1 });
    expect(r.pValue).toBeCloseTo(0.25, 12);
  });

  it('equals the sum of binomial coefficients for n up to 40', () => {
    const choose = (n: number, k: number) => {
      let c = 1;
      for (let i = 1; i <= k; i++) c = (c * (n - i + 1)) / i;
      return c;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.nat(), (n, kk) => {
        const k = n === 0 ? 0 : kk % (n + 1);
        let tail = 0;
        for (let i = 0; i <= Math.min(k, n - k); i++) tail += choose(n, i);
        expect(binomialTwoSided(k, n)).toBeCloseTo(Math.min(1, (2 * tail) / 2 ** n), 10);
      }),
    );
  });

  it('stays finite for thousands of utterances', () => {
    expect(binomialTwoSided(1000, 2620)).toBeGreaterThan(0);
    expect(binomialTwoSided(1000, 2620)).toBeLessThan(1e-20);
  });
});

describe('pairedBootstrap', () => {
  const us: PairedUtterance[] = Array.from({ length: 200 }, (_, i) => ({
    referenceWords: 20,
    referenceErrors: i % 3,
    candidateErrors: (i % 3) + (i % 7 === 0 ? 1 : 0),
  }));

  it('is deterministic for a seed and changes with the seed', () => {
    const a = pairedBootstrap(us, { samples: 300, seed: 7 });
    expect(pairedBootstrap(us, { samples: 300, seed: 7 })).toEqual(a);
    expect(pairedBootstrap(us, { samples: 300, seed: 8 })).not.toEqual(a);
  });

  it('brackets the observed delta-WER with an interval on the worse side when every change is a regression', () => {
    const r = pairedBootstrap(us, { samples: 500 });
    expect(r.deltaWer).toBeCloseTo(29 / 4000, 12);
    expect(r.low).toBeLessThanOrEqual(r.deltaWer);
    expect(r.high).toBeGreaterThanOrEqual(r.deltaWer);
    expect(r.low).toBeGreaterThan(0);
    expect(r.probabilityWorse).toBe(1);
  });

  it('gives a zero-width interval for identical systems', () => {
    const same = us.map((u) => ({ ...u, candidateErrors: u.referenceErrors }));
    expect(pairedBootstrap(same)).toMatchObject({ deltaWer: 0, low: 0, high: 0, probabilityWorse: 0 });
  });

  it('BAD CALL - rejects a non-positive sample count and a confidence outside (0, 1)', () => {
    expect(() => pairedBootstrap(us, { samples: 0 })).toThrow('samples must be a positive integer, got 0');
    expect(() => pairedBootstrap(us, { confidence: 1 })).toThrow(RangeError);
  });
});

describe('mapssweSegments on real alignments', () => {
  it('assigns every error of both systems to exactly one segment', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 25 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (rows, k) => {
          const refs = rows.map((r) => r[0]);
          const a = processWords(
            refs,
            rows.map((r) => r[1]),
          );
          const b = processWords(
            refs,
            rows.map((r) => r[2]),
          );
          const paired: PairedUtterance[] = a.utterances.map((u, i) => ({
            referenceWords: u.referenceWords,
            referenceErrors: u.errors,
            candidateErrors: b.utterances[i]!.errors,
            referenceChunks: u.chunks,
            candidateChunks: b.utterances[i]!.chunks,
          }));
          const segs = mapssweSegments(paired, k);
          expect(segs.reduce((s, x) => s + x.reference, 0)).toBe(a.errors);
          expect(segs.reduce((s, x) => s + x.candidate, 0)).toBe(b.errors);
          for (const s of segs) expect(s.reference + s.candidate).toBeGreaterThan(0);
          // Fewer boundary words needed can only cut more finely.
          if (k > 1) expect(mapssweSegments(paired, k - 1).length).toBeGreaterThanOrEqual(segs.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('wilcoxonSignedRank', () => {
  const pairs = (diffs: number[]): PairedUtterance[] =>
    diffs.map((d) => ({ referenceWords: 10, referenceErrors: 5, candidateErrors: 5 + d }));

  it('ranks absolute differences with shared ranks for ties (hand-checked)', () => {
    // d = 1, 1, 2, -3, 0: zero dropped; ranks 1.5, 1.5, 3, 4; W+ = 6; mean 5; variance 4*5*9/24 - (8-2)/48 = 7.375;
    // z = (6 - 5 - 0.5) / sqrt(7.375).
    const r = wilcoxonSignedRank(pairs([1, 1, 2, -3, 0]));
    expect([r.n, r.wPlus]).toEqual([4, 6]);
    expect(r.z).toBeCloseTo(0.5 / Math.sqrt(7.375), 12);
    expect(r.pValue).toBeCloseTo(2 * normalUpperTail(0.5 / Math.sqrt(7.375)), 12);
  });

  it('gives p = 1 without differences and a small p when every difference has the same sign', () => {
    expect(wilcoxonSignedRank(pairs([0, 0])).pValue).toBe(1);
    expect(wilcoxonSignedRank(pairs(Array.from({ length: 30 }, (_, i) => 1 + (i % 4)))).pValue).toBeLessThan(
      1e-5,
    );
  });
});

describe('mcnemar', () => {
  it('tests the utterances correct in exactly one system', () => {
    const us: PairedUtterance[] = [
      { referenceWords: 3, referenceErrors: 0, candidateErrors: 1 },
      { referenceWords: 3, referenceErrors: 0, candidateErrors: 2 },
      { referenceWords: 3, referenceErrors: 0, candidateErrors: 1 },
      { referenceWords: 3, referenceErrors: 1, candidateErrors: 0 },
      { referenceWords: 3, referenceErrors: 1, candidateErrors: 1 },
    ];
    const r = mcnemar(us);
    expect([r.referenceOnlyCorrect, r.candidateOnlyCorrect]).toEqual([3, 1]);
    // 2 * P(X <= 1), X ~ Bin(4, 1/2) = 2 * 5 / 16.
    expect(r.pValue).toBeCloseTo(0.625, 12);
  });
});
