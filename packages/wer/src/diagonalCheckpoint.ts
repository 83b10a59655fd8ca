/**
 * The diagonal-transition backtrace of `alignIds` without its d^2 table, for long pairs with a
 * moderate distance d. Walking back from (n, m) at cost v needs only row v - 1 of the table (the
 * furthest rows of cost v - 1), so rows are needed last to first: the forward pass keeps every
 * B-th row (checkpoints; B doubles as the pass goes on, so that it stays near sqrt(e / 2)), and
 * the backtrace recomputes one block of B rows at a time from its checkpoint. Memory is about
 * d^2 / B + 2 d B ints (~2.8 d^1.5), time one forward pass (~d^2 diagonal updates) plus the
 * recomputation, which knows d and so skips every diagonal k that cannot reach the end in time
 * (e + |delta - k| > d; any path to a kept entry runs through kept entries only, by the triangle
 * inequality, so kept entries are exact): about d^2 / 2 more. The rows are the numbers the full
 * table holds, so the operations are `diagonalBacktrace`'s, tie for tie.
 */
import { UNREACHED } from './diagonalTransition';
import { OP_DEL, OP_EQUAL, OP_INS, OP_SUB } from './alignmentChunks';

/**
 * Row e (L[e][k] for k = -(e+2)..e+2 at index k + e + 2) from row e - 1, for a[0..n) vs b[0..m);
 * only diagonals in [kFrom, kTo] are computed, the others are UNREACHED.
 */
function nextRow(
  a: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  m: number,
  prev: Int32Array,
  e: number,
  cur: Int32Array,
  kFrom: number,
  kTo: number,
): void {
  const base = e + 2;
  const pBase = e + 1;
  const kLo = Math.max(-e, -n, kFrom);
  const kHi = Math.min(e, m, kTo);
  for (let k = -e - 2, end = Math.min(kLo, e + 3); k < end; k++) cur[base + k] = UNREACHED;
  for (let k = Math.max(kHi + 1, -e - 2); k <= e + 2; k++) cur[base + k] = UNREACHED;
  for (let k = kLo; k <= kHi; k++) {
    let i = prev[pBase + k]! + 1;
    const del = prev[pBase + k + 1]! + 1;
    if (del > i) i = del;
    const ins = prev[pBase + k - 1]!;
    if (ins > i) i = ins;
    if (i < 0 || i + k < 0) {
      cur[base + k] = UNREACHED;
      continue;
    }
    if (i > n) i = n;
    if (i + k > m) i = m - k;
    let x = i;
    const xEnd = n < m - k ? n : m - k;
    while (x < xEnd && a[x] === b[x + k]) x++;
    cur[base + k] = x;
  }
}

/**
 * Backtrace of a[0..n) vs b[0..m) (n, m > 0, distance > 0) into `ops` (last operation first),
 * with the choices of `diagonalBacktrace`.
 *
 * @param budget bytes the checkpoints and one block may take; when the distance turns out too
 *   large for it, nothing is pushed and the distance is returned negated (so the caller can take
 *   the linear-memory method with it).
 * @returns the distance d (or -d when over budget).
 */
export function checkpointedBacktrace(
  a: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  m: number,
  ops: number[],
  budget = Infinity,
): number {
  const delta = m - n;
  // Forward: rows 0 .. d, keeping rows 0, B, 2B, ... (B doubling, checkpoints thinned to match).
  let B = 8;
  let saved: Int32Array[] = [];
  let savedInts: number;
  let size = 64;
  let prev = new Int32Array(size);
  let cur = new Int32Array(size);
  let i0 = 0;
  while (i0 < n && i0 < m && a[i0] === b[i0]) i0++;
  prev.fill(UNREACHED, 0, 5);
  prev[2] = i0;
  saved.push(prev.slice(0, 5));
  savedInts = 5;
  let over = false;
  let e = 0;
  while (!(delta >= -e && delta <= e && prev[e + 2 + delta]! >= n)) {
    e++;
    if (2 * e + 5 > size) {
      size = Math.max(2 * e + 5, size * 2);
      const p = new Int32Array(size);
      p.set(prev.subarray(0, 2 * e + 3));
      prev = p;
      cur = new Int32Array(size);
    }
    nextRow(a, n, b, m, prev, e, cur, -Infinity, Infinity);
    if (!over && e % B === 0) {
      saved.push(cur.slice(0, 2 * e + 5));
      savedInts += 2 * e + 5;
      if (2 * B < Math.sqrt(e / 2)) {
        // Keep every other checkpoint: rows 0, 2B, 4B, ...
        saved = saved.filter((_, c) => c % 2 === 0);
        savedInts = saved.reduce((t, r) => t + r.length, 0);
        B *= 2;
      }
      if (4 * (savedInts + B * (2 * e + 5)) > budget) {
        over = true;
        saved = [];
      }
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  const d = e;
  if (over) return -d;
  // Backtrace, materialising one block of rows at a time, top block first.
  const block: Int32Array[] = [];
  let loaded = -1;
  let i = n;
  let j = m;
  let v = d;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && a[i - 1] === b[j - 1]) {
      ops.push(OP_EQUAL);
      i--;
      j--;
      continue;
    }
    const r = v - 1;
    const c = Math.floor(r / B);
    if (c !== loaded) {
      const first = c * B;
      const last = Math.min(first + B - 1, d - 1);
      block[0] = saved[c]!;
      for (let row = first + 1; row <= last; row++) {
        const s = row - first;
        if (!block[s] || block[s].length < 2 * row + 5) block[s] = new Int32Array(2 * row + 5);
        nextRow(a, n, b, m, block[s - 1]!, row, block[s], delta - (d - row), delta + (d - row));
      }
      loaded = c;
    }
    const row = block[r - c * B]!;
    const k = j - i;
    const reach = (kk: number) => (kk >= -r && kk <= r ? row[kk + r + 2]! : UNREACHED);
    if (i > 0 && j > 0 && reach(k) >= i - 1) {
      ops.push(OP_SUB);
      i--;
      j--;
    } else if (i > 0 && reach(k + 1) >= i - 1) {
      ops.push(OP_DEL);
      i--;
    } else {
      ops.push(OP_INS);
      j--;
    }
    v--;
  }
  return d;
}
