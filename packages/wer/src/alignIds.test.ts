import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignIds, alignIdsWith, type AlignmentChunk } from './alignIds';
import { editDistance, editDistanceBlockwise } from './editDistance';

/** Reference: the full O(n*m) matrix, backtrace from the end preferring diagonal, then deletion, then insertion. */
function naiveAlign(ref: readonly number[], hyp: readonly number[]) {
  const n = ref.length;
  const m = hyp.length;
  const d: number[][] = [];
  for (let i = 0; i <= n; i++) {
    d.push([]);
    for (let j = 0; j <= m; j++) {
      if (i === 0) d[i]!.push(j);
      else if (j === 0) d[i]!.push(i);
      else
        d[i]!.push(
          Math.min(
            d[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1),
            d[i - 1]![j]! + 1,
            d[i]![j - 1]! + 1,
          ),
        );
    }
  }
  const ops: string[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && d[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1) === d[i]![j]) {
      ops.push(ref[i - 1] === hyp[j - 1] ? 'equal' : 'substitute');
      i--;
      j--;
    } else if (i > 0 && d[i - 1]![j]! + 1 === d[i]![j]) {
      ops.push('delete');
      i--;
    } else {
      ops.push('insert');
      j--;
    }
  }
  ops.reverse();
  const count = (k: string) => ops.filter((o) => o === k).length;
  return {
    distance: d[n]![m]!,
    ops,
    hits: count('equal'),
    substitutions: count('substitute'),
    deletions: count('delete'),
    insertions: count('insert'),
  };
}

function expandChunks(chunks: readonly AlignmentChunk[]): string[] {
  const ops: string[] = [];
  for (const c of chunks)
    for (let k = 0; k < Math.max(c.refEnd - c.refStart, c.hypEnd - c.hypStart); k++) ops.push(c.kind);
  return ops;
}

// Small alphabets make matches, ties and repeated words common.
const seq = (max: number) => fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: max });
// A hypothesis derived from the reference by a few edits: the long-form shape.
const editedPair = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 200 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 30 })), {
      maxLength: 25,
    }),
  )
  .map(([ref, edits]) => {
    const hyp = [...ref];
    for (const [pos, kind, sym] of edits) {
      const p = hyp.length ? pos % (hyp.length + (kind === 1 ? 1 : 0)) : 0;
      if (kind === 0 && hyp.length) hyp[p] = sym;
      else if (kind === 1) hyp.splice(p, 0, sym);
      else if (hyp.length) hyp.splice(p, 1);
    }
    return [ref, hyp] as const;
  });

describe('alignIds', () => {
  it('counts a substitution, a deletion and an insertion in a hand-checked pair', () => {
    // ref: a b c d e ; hyp: a x d e f. Cost 3; of the tied alignments the end-first backtrace
    // takes: a=a, b deleted, c->x, d e equal, f inserted (checked by hand on the 6x6 matrix).
    const a = alignIds([0, 1, 2, 3, 4], [0, 9, 3, 4, 5]);
    expect({ h: a.hits, s: a.substitutions, d: a.deletions, i: a.insertions }).toEqual({
      h: 3,
      s: 1,
      d: 1,
      i: 1,
    });
    expect(a.chunks).toEqual([
      { kind: 'equal', refStart: 0, refEnd: 1, hypStart: 0, hypEnd: 1 },
      { kind: 'delete', refStart: 1, refEnd: 2, hypStart: 1, hypEnd: 1 },
      { kind: 'substitute', refStart: 2, refEnd: 3, hypStart: 1, hypEnd: 2 },
      { kind: 'equal', refStart: 3, refEnd: 5, hypStart: 2, hypEnd: 4 },
      { kind: 'insert', refStart: 5, refEnd: 5, hypStart: 4, hypEnd: 5 },
    ]);
  });

  it('makes an empty reference all insertions and an empty hypothesis all deletions', () => {
    expect(alignIds([], [1, 2])).toMatchObject({ hits: 0, insertions: 2, deletions: 0, substitutions: 0 });
    expect(alignIds([], [1, 2]).chunks).toEqual([
      { kind: 'insert', refStart: 0, refEnd: 0, hypStart: 0, hypEnd: 2 },
    ]);
    expect(alignIds([1, 2, 3], [])).toMatchObject({ deletions: 3, insertions: 0 });
    expect(alignIds([], [])).toEqual({ hits: 0, substitutions: 0, deletions: 0, insertions: 0, chunks: [] });
  });

  it('merges a common suffix into the last equal chunk', () => {
    expect(alignIds([5, 1, 2], [1, 2]).chunks).toEqual([
      { kind: 'delete', refStart: 0, refEnd: 1, hypStart: 0, hypEnd: 0 },
      { kind: 'equal', refStart: 1, refEnd: 3, hypStart: 0, hypEnd: 2 },
    ]);
  });

  for (const method of ['auto', 'diagonal', 'band', 'checkpoint'] as const) {
    it(`equals the full dynamic programme (counts and every operation) on random short pairs (${method})`, () => {
      fc.assert(
        fc.property(seq(14), seq(14), (ref, hyp) => {
          const want = naiveAlign(ref, hyp);
          const got = alignIdsWith(ref, hyp, method);
          expect(got.substitutions + got.deletions + got.insertions).toBe(want.distance);
          expect(expandChunks(got.chunks)).toEqual(want.ops);
          expect([got.hits, got.substitutions, got.deletions, got.insertions]).toEqual([
            want.hits,
            want.substitutions,
            want.deletions,
            want.insertions,
          ]);
        }),
        { numRuns: 1000 },
      );
    });

    it(`equals the full dynamic programme on long pairs with few edits (${method})`, () => {
      fc.assert(
        fc.property(editedPair, ([ref, hyp]) => {
          const want = naiveAlign(ref, hyp);
          const got = alignIdsWith(ref, hyp, method);
          expect(expandChunks(got.chunks)).toEqual(want.ops);
          expect(editDistance(ref, hyp)).toBe(want.distance);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('linear: equals the current full-memory methods (counts and chunks) on random short pairs', () => {
    fc.assert(
      fc.property(seq(16), seq(16), fc.integer({ min: 1, max: 5 }), (ref, hyp, checkpoints) => {
        const want = alignIdsWith(ref, hyp, 'band');
        expect(alignIdsWith(ref, hyp, 'diagonal')).toEqual(want);
        expect(alignIdsWith(ref, hyp, 'linear', true, { pieceCells: 6, checkpoints })).toEqual(want);
        expect(alignIdsWith(ref, hyp, 'linear', false, { pieceCells: 6, checkpoints })).toEqual({
          ...want,
          chunks: [],
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('linear: equals the current methods on long pairs with few edits, pieces split recursively', () => {
    fc.assert(
      fc.property(editedPair, ([ref, hyp]) => {
        const want = alignIdsWith(ref, hyp, 'band');
        expect(alignIdsWith(ref, hyp, 'linear', true, { pieceCells: 40 })).toEqual(want);
        expect(alignIdsWith(ref, hyp, 'linear', true)).toEqual(want);
        expect(expandChunks(want.chunks)).toEqual(naiveAlign(ref, hyp).ops);
      }),
      { numRuns: 200 },
    );
  });

  it('checkpoint: equals the band method on pairs with hundreds of edits (many blocks of rows)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 200, maxLength: 600 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 200, maxLength: 600 }),
        (ref, hyp) => {
          expect(alignIdsWith(ref, hyp, 'checkpoint')).toEqual(alignIdsWith(ref, hyp, 'band'));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('gives the same counts with and without chunks', () => {
    fc.assert(
      fc.property(seq(40), seq(40), (ref, hyp) => {
        const { chunks: _c, ...withChunks } = alignIds(ref, hyp);
        const { chunks, ...counts } = alignIds(ref, hyp, false);
        expect(chunks).toEqual([]);
        expect(counts).toEqual(withChunks);
      }),
      { numRuns: 200 },
    );
  });

  it('returns chunks whose ranges tile both sequences without gaps', () => {
    fc.assert(
      fc.property(seq(30), seq(30), (ref, hyp) => {
        const { chunks } = alignIds(ref, hyp);
        let i = 0;
        let j = 0;
        for (const c of chunks) {
          expect([c.refStart, c.hypStart]).toEqual([i, j]);
          if (c.kind === 'insert') expect(c.refEnd).toBe(c.refStart);
          if (c.kind === 'delete') expect(c.hypEnd).toBe(c.hypStart);
          if (c.kind === 'equal' || c.kind === 'substitute')
            expect(c.refEnd - c.refStart).toBe(c.hypEnd - c.hypStart);
          i = c.refEnd;
          j = c.hypEnd;
        }
        expect([i, j]).toEqual([ref.length, hyp.length]);
      }),
    );
  });
});

describe('editDistance', () => {
  it('equals the full dynamic programme on random pairs across block sizes (1 to 4 words of 32 bits)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 130 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 130 }),
        (a, b) => {
          expect(editDistance(a, b)).toBe(naiveAlign(a, b).distance);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('block-wise kernel (long patterns, large vocabularies): equals the full dynamic programme', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 140 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 140 }),
        (a, b) => {
          expect(editDistanceBlockwise(a, b)).toBe(naiveAlign(a, b).distance);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a pair with a large distinct vocabulary in linear memory (block-wise kernel chosen)', () => {
    // 12,000 distinct symbols x 375 blocks would be a 4.5 M-int match-bit table (more than the
    // diagonal method's budget of sqrt(n * m / 64) = 1,500 edits is needed): the block-wise kernel runs.
    const a = Array.from({ length: 12_000 }, (_, i) => i);
    const b = a.map((x) => (x % 4 === 0 ? x + 100_000 : x));
    expect(editDistance(a, b)).toBe(3000);
  });

  it('handles patterns of exactly 32 and 33 symbols (block edges)', () => {
    for (const len of [31, 32, 33, 63, 64, 65]) {
      const a = Array.from({ length: len }, (_, i) => i % 7);
      const b = [...a.slice(1), 99, ...a.slice(0, 3)];
      expect(editDistance(a, b)).toBe(naiveAlign(a, b).distance);
      expect(editDistance(b, a)).toBe(naiveAlign(b, a).distance);
    }
  });

  it('handles ids far apart (sparse vocabularies)', () => {
    expect(editDistance([1_000_000, 5], [5, 1_000_000])).toBe(2);
  });

  it('BAD CALL - rejects negative or fractional ids with a RangeError', () => {
    expect(() => editDistance([-1, 2], [3])).toThrow(RangeError);
    expect(() => editDistance([1.5], [3])).toThrow(/non-negative integers/);
  });
});
