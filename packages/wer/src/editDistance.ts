/**
 * Counts-only path: Levenshtein distance (unit costs) between two sequences of non-negative
 * integer ids, with the bit-parallel algorithm of Myers (1999) in the block form of Hyyrö (2003).
 * The shorter sequence is the bit-vector "pattern", 32 symbols per machine word, so the cost is
 * O(ceil(min(n, m) / 32) * max(n, m)) word operations whatever the number of errors. Long inputs
 * with few errors first try the diagonal-transition method, which costs about d^2.
 */

import { diagonalDistance } from './diagonalTransition';

// Scratch buffers reused across calls; the kernels are synchronous, so sharing is safe.
let slotOf = new Int32Array(1024).fill(-1);
let peq = new Int32Array(1024);
let pvBlocks = new Int32Array(64);
let mvBlocks = new Int32Array(64);

function ensureSlots(maxId: number): void {
  if (maxId < slotOf.length) return;
  let size = slotOf.length;
  while (size <= maxId) size *= 2;
  slotOf = new Int32Array(size).fill(-1);
}

/**
 * Edit distance between `a` and `b` (substitution, insertion and deletion cost 1).
 *
 * @param a ids of the first sequence (e.g. reference words mapped by a {@link Vocabulary}).
 * @param b ids of the second sequence, over the same vocabulary.
 * @returns the minimum number of edits turning `a` into `b`.
 * @throws {RangeError} when an id is negative or not an integer.
 */
export function editDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  // Common prefix and suffix never change the distance.
  while (start < endA && start < endB && a[start] === b[start]) start++;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const lenA = endA - start;
  const lenB = endB - start;
  checkIds(a, start, endA);
  checkIds(b, start, endB);
  if (lenA === 0) return lenB;
  if (lenB === 0) return lenA;
  // Few errors on long inputs: the diagonal method costs ~d^2, the bit-parallel one
  // ~min * max / 32 word operations; try the first within that budget.
  if (lenA * lenB > 4096) {
    const cap = Math.floor(Math.sqrt((lenA * lenB) / 64));
    const d = diagonalDistance(a, start, lenA, b, start, lenB, cap);
    if (d >= 0) return d;
  }
  // The shorter side is the pattern held in bit vectors.
  return lenA <= lenB
    ? bitParallel(a, start, endA, b, start, endB)
    : bitParallel(b, start, endB, a, start, endA);
}

function checkIds(ids: ArrayLike<number>, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const id = ids[i]!;
    if (!(id >= 0 && Number.isInteger(id)))
      throw new RangeError(`editDistance: ids must be non-negative integers, got ${id}`);
  }
}

function bitParallel(
  p: ArrayLike<number>,
  p0: number,
  p1: number,
  t: ArrayLike<number>,
  t0: number,
  t1: number,
): number {
  const m = p1 - p0;
  const blocks = (m + 31) >>> 5;
  let maxId = 0;
  for (let i = p0; i < p1; i++) if (p[i]! > maxId) maxId = p[i]!;
  ensureSlots(maxId);
  // Assign each distinct pattern symbol a slot and set its match bits (Peq).
  let distinct = 0;
  if (peq.length < m * blocks) peq = new Int32Array(Math.max(m * blocks, peq.length * 2));
  for (let i = p0; i < p1; i++) {
    const id = p[i]!;
    let s = slotOf[id]!;
    if (s < 0) {
      s = distinct++;
      slotOf[id] = s;
      peq.fill(0, s * blocks, s * blocks + blocks);
    }
    const bit = i - p0;
    peq[s * blocks + (bit >>> 5)]! |= 1 << (bit & 31);
  }
  const slotLen = slotOf.length;
  let score = m;
  if (blocks === 1) {
    const last = 1 << (m - 1);
    let pv = -1;
    let mv = 0;
    for (let j = t0; j < t1; j++) {
      const c = t[j]!;
      const s = c < slotLen ? slotOf[c]! : -1;
      const eq = s >= 0 ? peq[s]! : 0;
      const xv = eq | mv;
      const xh = (((eq & pv) + pv) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      if (ph & last) score++;
      else if (mh & last) score--;
      ph = (ph << 1) | 1;
      mh = mh << 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
    }
  } else {
    if (pvBlocks.length < blocks) {
      pvBlocks = new Int32Array(blocks * 2);
      mvBlocks = new Int32Array(blocks * 2);
    }
    const pvs = pvBlocks;
    const mvs = mvBlocks;
    pvs.fill(-1, 0, blocks);
    mvs.fill(0, 0, blocks);
    const lastBlock = blocks - 1;
    const lastBit = 1 << ((m - 1) & 31);
    for (let j = t0; j < t1; j++) {
      const c = t[j]!;
      const s = c < slotLen ? slotOf[c]! : -1;
      const base = s * blocks;
      let hin = 1;
      for (let k = 0; k < blocks; k++) {
        let eq = s >= 0 ? peq[base + k]! : 0;
        const pv = pvs[k]!;
        const mv = mvs[k]!;
        const xv = eq | mv;
        if (hin < 0) eq |= 1;
        const xh = (((eq & pv) + pv) ^ pv) | eq;
        let ph = mv | ~(xh | pv);
        let mh = pv & xh;
        const high = k === lastBlock ? lastBit : 0x80000000 | 0;
        const hout = ph & high ? 1 : mh & high ? -1 : 0;
        ph <<= 1;
        mh <<= 1;
        if (hin < 0) mh |= 1;
        else if (hin > 0) ph |= 1;
        pvs[k] = mh | ~(xv | ph);
        mvs[k] = ph & xv;
        hin = hout;
      }
      score += hin;
    }
  }
  for (let i = p0; i < p1; i++) slotOf[p[i]!] = -1;
  return score;
}
