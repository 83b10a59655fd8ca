/**
 * The diagonal-transition algorithm (Ukkonen 1985, Landau-Vishkin 1989) for unit-cost edit
 * distance: for each cost e and diagonal k = j - i it finds L[e][k], the furthest row reachable on
 * diagonal k at cost <= e. Work is about d^2 plus the lengths of match runs, so long sequences
 * with few errors cost far less than n * m. The table stays in a shared scratch buffer for the
 * backtrace of `alignIds`: row e holds k = -(e+2)..e+2 (two UNREACHED sentinels on each side, so
 * the inner loop needs no bounds tests) and L[e][k] is at {@link reachIndex}(e, k).
 */

/** Marks a diagonal that cannot be reached at a cost. */
export const UNREACHED = -0x3fffffff;

let table = new Int32Array(1 << 16);

/** Index of L[e][k] in the table, for |k| <= e + 2. */
export function reachIndex(e: number, k: number): number {
  return e * e + 5 * e + 2 + k;
}

/** The table of the last {@link diagonalDistance} call (valid until the next call). */
export function reachTable(): Int32Array {
  return table;
}

/**
 * Edit distance of `a[a0 .. a0 + n)` and `b[b0 .. b0 + m)`, or -1 when it exceeds `cap`.
 */
export function diagonalDistance(
  a: ArrayLike<number>,
  a0: number,
  n: number,
  b: ArrayLike<number>,
  b0: number,
  m: number,
  cap: number,
): number {
  const delta = m - n;
  let i0 = 0;
  while (i0 < n && i0 < m && a[a0 + i0] === b[b0 + i0]) i0++;
  // Row 0: k = -2..2 at indices 0..4.
  table[0] = UNREACHED;
  table[1] = UNREACHED;
  table[2] = i0;
  table[3] = UNREACHED;
  table[4] = UNREACHED;
  if (delta === 0 && i0 >= n) return 0;
  let e = 0;
  while (true) {
    e++;
    if (e > cap) return -1;
    const base = e * e + 5 * e + 2; // index of k = 0 in row e
    const prev = base - 2 * e - 4; // index of k = 0 in row e - 1
    const need = base + e + 3;
    if (table.length < need) {
      const grown = new Int32Array(Math.max(need, table.length * 2));
      grown.set(table.subarray(0, prev + e + 2));
      table = grown;
    }
    const L = table;
    const kLo = Math.max(-e, -n);
    const kHi = Math.min(e, m);
    for (let k = -e - 2; k < kLo; k++) L[base + k] = UNREACHED;
    for (let k = kHi + 1; k <= e + 2; k++) L[base + k] = UNREACHED;
    for (let k = kLo; k <= kHi; k++) {
      // Predecessors at cost e - 1: substitution (same k), deletion (k + 1), insertion (k - 1).
      let i = L[prev + k]! + 1;
      const del = L[prev + k + 1]! + 1;
      if (del > i) i = del;
      const ins = L[prev + k - 1]!;
      if (ins > i) i = ins;
      if (i < 0 || i + k < 0) {
        L[base + k] = UNREACHED;
        continue;
      }
      if (i > n) i = n;
      if (i + k > m) i = m - k;
      const off = b0 + k - a0;
      let x = a0 + i;
      const xEnd = a0 + (n < m - k ? n : m - k);
      while (x < xEnd && a[x] === b[x + off]) x++;
      L[base + k] = x - a0;
    }
    if (delta >= -e && delta <= e && L[base + delta]! >= n) return e;
  }
}

let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);

/**
 * {@link diagonalDistance} keeping only two rows of the table (memory O(d) instead of O(d^2)), for
 * the counts-only path, which needs no backtrace. Leaves {@link reachTable} untouched.
 */
export function diagonalDistanceRows(
  a: ArrayLike<number>,
  a0: number,
  n: number,
  b: ArrayLike<number>,
  b0: number,
  m: number,
  cap: number,
): number {
  const delta = m - n;
  let i0 = 0;
  while (i0 < n && i0 < m && a[a0 + i0] === b[b0 + i0]) i0++;
  if (delta === 0 && i0 >= n) return 0;
  // Row e holds k = -(e+2)..e+2 at index k + e + 2; both rows are sized for the largest e.
  const size = 2 * Math.min(cap, n + m) + 8;
  if (rowPrev.length < size) {
    rowPrev = new Int32Array(size);
    rowCur = new Int32Array(size);
  }
  let prev = rowPrev;
  let cur = rowCur;
  prev[0] = UNREACHED;
  prev[1] = UNREACHED;
  prev[2] = i0;
  prev[3] = UNREACHED;
  prev[4] = UNREACHED;
  let e = 0;
  while (true) {
    e++;
    if (e > cap) return -1;
    const base = e + 2; // index of k = 0 in row e
    const pBase = e + 1; // index of k = 0 in row e - 1
    const kLo = Math.max(-e, -n);
    const kHi = Math.min(e, m);
    for (let k = -e - 2; k < kLo; k++) cur[base + k] = UNREACHED;
    for (let k = kHi + 1; k <= e + 2; k++) cur[base + k] = UNREACHED;
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
      const off = b0 + k - a0;
      let x = a0 + i;
      const xEnd = a0 + (n < m - k ? n : m - k);
      while (x < xEnd && a[x] === b[x + off]) x++;
      cur[base + k] = x - a0;
    }
    if (delta >= -e && delta <= e && cur[base + delta]! >= n) return e;
    const t = prev;
    prev = cur;
    cur = t;
  }
}
