/**
 * Counts-only path: Levenshtein distance (unit costs) between two sequences of non-negative
 * integer ids, with the bit-parallel algorithm of Myers (1999) in the block form of Hyyrö (2003).
 * The shorter sequence is the bit-vector "pattern", 32 symbols per machine word, so the cost is
 * O(ceil(min(n, m) / 32) * max(n, m)) word operations whatever the number of errors. Long inputs
 * with few errors first try the diagonal-transition method, which costs about d^2. Memory stays
 * linear in the input: the diagonal method keeps two rows, and when the match-bit table (distinct
 * symbols x blocks) would be large, the blocks are processed one at a time over the whole text
 * with the carries between blocks kept per text position.
 */

import { diagonalDistanceRows } from './diagonalTransition';

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
    const d = diagonalDistanceRows(a, start, lenA, b, start, lenB, cap);
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

/** Largest match-bit table (ints) of the row-wise kernel; above it the block-wise kernel runs. */
const PEQ_LIMIT = 1 << 22;

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
  // Assign each distinct pattern symbol a slot.
  let distinct = 0;
  for (let i = p0; i < p1; i++) {
    const id = p[i]!;
    if (slotOf[id]! < 0) slotOf[id] = distinct++;
  }
  if (blocks > 1 && distinct * blocks > PEQ_LIMIT) {
    for (let i = p0; i < p1; i++) slotOf[p[i]!] = -1;
    return bitParallelBlockwise(p, p0, p1, t, t0, t1);
  }
  // Match bits (Peq) of each slot.
  if (peq.length < distinct * blocks) peq = new Int32Array(Math.max(distinct * blocks, peq.length * 2));
  peq.fill(0, 0, distinct * blocks);
  for (let i = p0; i < p1; i++) {
    const s = slotOf[p[i]!]!;
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

let carries = new Int8Array(1024);
const blockMasks = new Int32Array(32);

/**
 * The same recurrence with the loops swapped: one 32-symbol block of the pattern at a time over
 * the whole text, the horizontal carry of every text position handed to the next block. Memory is
 * one byte per text symbol plus a 32-entry table, whatever the vocabulary.
 */
function bitParallelBlockwise(
  p: ArrayLike<number>,
  p0: number,
  p1: number,
  t: ArrayLike<number>,
  t0: number,
  t1: number,
): number {
  const m = p1 - p0;
  const len = t1 - t0;
  if (carries.length < len) carries = new Int8Array(Math.max(len, carries.length * 2));
  const hins = carries;
  // Row 0 of the matrix rises by one per text symbol.
  hins.fill(1, 0, len);
  const slotLen = slotOf.length;
  for (let from = p0; from < p1; from += 32) {
    const to = Math.min(p1, from + 32);
    let distinct = 0;
    for (let i = from; i < to; i++) {
      const id = p[i]!;
      let s = slotOf[id]!;
      if (s < 0) {
        s = distinct++;
        slotOf[id] = s;
        blockMasks[s] = 0;
      }
      blockMasks[s]! |= 1 << (i - from);
    }
    const high = 1 << (to - from - 1);
    let pv = -1;
    let mv = 0;
    for (let j = 0; j < len; j++) {
      const c = t[t0 + j]!;
      const s = c < slotLen ? slotOf[c]! : -1;
      let eq = s >= 0 ? blockMasks[s]! : 0;
      const hin = hins[j]!;
      const xv = eq | mv;
      if (hin < 0) eq |= 1;
      const xh = (((eq & pv) + pv) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      hins[j] = ph & high ? 1 : mh & high ? -1 : 0;
      ph <<= 1;
      mh <<= 1;
      if (hin < 0) mh |= 1;
      else if (hin > 0) ph |= 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
    }
    for (let i = from; i < to; i++) slotOf[p[i]!] = -1;
  }
  let score = m;
  for (let j = 0; j < len; j++) score += hins[j]!;
  return score;
}

/** Test hook: the block-wise kernel on whole sequences (the shorter one as the pattern). */
export function editDistanceBlockwise(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let maxId = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > maxId) maxId = a[i]!;
  for (let i = 0; i < b.length; i++) if (b[i]! > maxId) maxId = b[i]!;
  ensureSlots(maxId);
  return a.length <= b.length
    ? bitParallelBlockwise(a, 0, a.length, b, 0, b.length)
    : bitParallelBlockwise(b, 0, b.length, a, 0, a.length);
}
