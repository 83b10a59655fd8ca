import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignIds, type AlignmentChunk } from './alignIds';
import { alignIdsSclite, alignIdsScliteWith } from './alignIdsSclite';

/**
 * The reference: sclite's dynamic programme written out on the full matrix. Cell costs: correct
 * 0, substitution 4, deletion 3, insertion 3. A cell takes the diagonal when it costs no more
 * than either gap, else the deletion when it is strictly cheaper than the insertion, else the
 * insertion; the backtrace follows those choices from (n, m).
 */
function scliteReference(ref: readonly number[], hyp: readonly number[]) {
  const n = ref.length;
  const m = hyp.length;
  const cost: number[][] = [];
  const step: string[][] = [];
  for (let i = 0; i <= n; i++) {
    cost.push([]);
    step.push([]);
    for (let j = 0; j <= m; j++) {
      if (i === 0 && j === 0) {
        cost[i]!.push(0);
        step[i]!.push('');
      } else if (i === 0) {
        cost[i]!.push(cost[i]![j - 1]! + 3);
        step[i]!.push('insert');
      } else if (j === 0) {
        cost[i]!.push(cost[i - 1]![j]! + 3);
        step[i]!.push('delete');
      } else {
        const same = ref[i - 1] === hyp[j - 1];
        const diag = cost[i - 1]![j - 1]! + (same ? 0 : 4);
        const del = cost[i - 1]![j]! + 3;
        const ins = cost[i]![j - 1]! + 3;
        if (diag <= del && diag <= ins) {
          cost[i]!.push(diag);
          step[i]!.push(same ? 'equal' : 'substitute');
        } else if (del < ins) {
          cost[i]!.push(del);
          step[i]!.push('delete');
        } else {
          cost[i]!.push(ins);
          step[i]!.push('insert');
        }
      }
    }
  }
  const ops: string[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const s = step[i]![j]!;
    ops.push(s);
    if (s !== 'insert') i--;
    if (s !== 'delete') j--;
  }
  ops.reverse();
  const count = (k: string) => ops.filter((o) => o === k).length;
  return {
    cost: cost[n]![m]!,
    ops,
    counts: [count('equal'), count('substitute'), count('delete'), count('insert')],
  };
}

function expand(chunks: readonly AlignmentChunk[]): string[] {
  const ops: string[] = [];
  for (const c of chunks)
    for (let k = 0; k < Math.max(c.refEnd - c.refStart, c.hypEnd - c.hypStart); k++) ops.push(c.kind);
  return ops;
}

const counts = (a: { hits: number; substitutions: number; deletions: number; insertions: number }) => [
  a.hits,
  a.substitutions,
  a.deletions,
  a.insertions,
];

// Three symbols make ties between gap pairs and substitutions frequent.
const seq = (max: number) => fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: max });
const editedPair = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 0, maxLength: 160 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 9 })), {
      maxLength: 30,
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

describe('alignIdsSclite', () => {
  it('prefers a deletion and an insertion (cost 6) to two substitutions (cost 8)', () => {
    // a b c / b c d: unit costs find D + I or S S S ties broken to D + I too; x a / a x is the
    // case where the split differs: unit takes 2 substitutions, sclite a deletion and an insertion.
    expect(counts(alignIds([9, 0], [0, 9]))).toEqual([0, 2, 0, 0]);
    const a = alignIdsSclite([9, 0], [0, 9]);
    expect(counts(a)).toEqual([1, 0, 1, 1]);
    expect(a.chunks).toEqual([
      { kind: 'delete', refStart: 0, refEnd: 1, hypStart: 0, hypEnd: 0 },
      { kind: 'equal', refStart: 1, refEnd: 2, hypStart: 0, hypEnd: 1 },
      { kind: 'insert', refStart: 2, refEnd: 2, hypStart: 1, hypEnd: 2 },
    ]);
  });

  it('makes empty sides all insertions or all deletions', () => {
    expect(counts(alignIdsSclite([], [1, 2]))).toEqual([0, 0, 0, 2]);
    expect(counts(alignIdsSclite([1, 2, 3], []))).toEqual([0, 0, 3, 0]);
    expect(alignIdsSclite([], [])).toEqual({
      hits: 0,
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      chunks: [],
    });
  });

  for (const method of ['auto', 'band', 'linear'] as const) {
    it(`equals sclite's dynamic programme (every operation) on random short pairs (${method})`, () => {
      fc.assert(
        fc.property(seq(14), seq(14), (ref, hyp) => {
          const want = scliteReference(ref, hyp);
          const got = alignIdsScliteWith(ref, hyp, method, true, { pieceCells: 8, checkpoints: 3 });
          expect(expand(got.chunks)).toEqual(want.ops);
          expect(counts(got)).toEqual(want.counts);
          expect(4 * got.substitutions + 3 * (got.deletions + got.insertions)).toBe(want.cost);
        }),
        { numRuns: 1000, seed: 20_261_202 },
      );
    });

    it(`equals sclite's dynamic programme on long pairs with few edits (${method})`, () => {
      fc.assert(
        fc.property(editedPair, ([ref, hyp]) => {
          const want = scliteReference(ref, hyp);
          const got = alignIdsScliteWith(ref, hyp, method, true, { pieceCells: 64 });
          expect(expand(got.chunks)).toEqual(want.ops);
        }),
        { numRuns: 150, seed: 20_261_203 },
      );
    });
  }

  it('gives the same counts with and without chunks, on both methods', () => {
    fc.assert(
      fc.property(seq(40), seq(40), (ref, hyp) => {
        const { chunks: _c, ...full } = alignIdsSclite(ref, hyp);
        const { chunks, ...bare } = alignIdsScliteWith(ref, hyp, 'linear', false, { pieceCells: 16 });
        expect(chunks).toEqual([]);
        expect(bare).toEqual(full);
      }),
      { numRuns: 200 },
    );
  });
});
