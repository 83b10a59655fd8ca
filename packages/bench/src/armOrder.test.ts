import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { armOrder, orderCycle } from './armOrder';

// Counts over one full cycle: how often arm a sits at position p, and how often b directly follows a.
function counts(k: number, order: 'rotating' | 'balanced') {
  const position = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const follows = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let r = 0; r < orderCycle(k, order); r++) {
    const row = armOrder(k, r, order);
    row.forEach((a, p) => position[a]![p]!++);
    for (let p = 1; p < k; p++) follows[row[p - 1]!]![row[p]!]!++;
  }
  return { position, follows };
}

describe('armOrder', () => {
  it('rotates: ABC, BCA, CAB', () => {
    expect([0, 1, 2, 3].map((r) => armOrder(3, r))).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
    ]);
  });

  it('gives the textbook Williams squares for 4 and 3 arms', () => {
    expect([0, 1, 2, 3].map((r) => armOrder(4, r, 'balanced'))).toEqual([
      [0, 1, 3, 2],
      [1, 2, 0, 3],
      [2, 3, 1, 0],
      [3, 0, 2, 1],
    ]);
    expect([0, 1, 2, 3, 4, 5].map((r) => armOrder(3, r, 'balanced'))).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
      [1, 0, 2],
      [0, 2, 1],
    ]);
  });

  // The rounds run back to back: the last arm of round r also precedes the first of round r + 1.
  it('balanced: across round boundaries no arm follows itself (3+ arms), and with 3 arms every pair is equally often', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), (k) => {
        const cycle = orderCycle(k, 'balanced');
        const sequence = Array.from({ length: cycle }, (_, r) => armOrder(k, r, 'balanced')).flat();
        const follows = Array.from({ length: k }, () => new Array<number>(k).fill(0));
        sequence.forEach((b, i) => follows[sequence[(i - 1 + sequence.length) % sequence.length]!]![b]!++);
        for (let a = 0; a < k; a++) expect(follows[a]![a]).toBe(k === 2 ? cycle / 2 : 0);
        if (k === 3) expect(new Set(follows.flatMap((row, a) => row.filter((_, b) => b !== a)))).toEqual(new Set([3]));
      }),
    );
  });

  it('balanced: every arm takes every position, and follows every other arm, equally often', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), (k) => {
        const { position, follows } = counts(k, 'balanced');
        const cycle = orderCycle(k, 'balanced');
        for (let a = 0; a < k; a++) {
          expect(new Set(position[a])).toEqual(new Set([cycle / k]));
          expect(follows[a]![a]).toBe(0);
          for (let b = 0; b < k; b++)
            if (a !== b) expect(follows[a]![b]).toBe(((k - 1) * cycle) / (k * (k - 1)));
        }
      }),
    );
  });

  it('rotating balances positions but not neighbours', () => {
    const { position, follows } = counts(3, 'rotating');
    expect(position).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(follows[0]).toEqual([0, 2, 0]); // A is always followed by B
  });

  it('continues the cycle for negative rounds (warm-up)', () => {
    expect(armOrder(3, -1, 'balanced')).toEqual(armOrder(3, 5, 'balanced'));
    expect(armOrder(3, -1)).toEqual([2, 0, 1]);
  });

  it('BAD CALL - rejects a bad arm count or order', () => {
    expect(() => armOrder(0, 0)).toThrow('`k` must be an integer >= 1, got 0');
    expect(() => armOrder(2, 0, 'random' as never)).toThrow(
      `\`order\` must be 'rotating' or 'balanced', got "random"`,
    );
  });
});
