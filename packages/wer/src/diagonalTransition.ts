/**
 * The diagonal-transition algorithm (Ukkonen 1985, Landau-Vishkin 1989) for unit-cost edit
 * distance: for each cost e and diagonal k = j - i it finds L[e][k], the furthest row reachable on
 * diagonal k at cost <= e. Work is about d^2 plus the lengths of match runs, so long sequences
 * with few errors cost far less than n * m. The table stays in a shared scratch buffer for the
 * backtrace of `alignIds` (row e holds k = -e..e at offset e*e + e + k).
 */

/** Marks a diagonal that cannot be reached at a cost. */
export const UNREACHED = -0x3fffffff;

let table = new Int32Array(1 << 16);

/** The table of the last {@link diagonalDistance} call (valid until the next call). */
export function reachTable(): Int32Array {
  return table;
}

/**
 * Edit distance of `a[a0 .. a0 + n)` and `b[b0 .. b0 + m)`, or -1 when it exceeds `cap`.
 */
export function diagonalDistance(a: ArrayLike<number>, a0: number, n: number, b: ArrayLike<number>, b0: number, m: number, cap: number): number {
  const delta = m - n;
  let i0 = 0;
  while (i0 < n && i0 < m && a[a0 + i0] === b[b0 + i0]) i0++;
  table[0] = i0;
  if (delta === 0 && i0 >= n) return 0;
  let e = 0;
  while (true) {
    e++;
    if (e > cap) return -1;
    const base = e * e + e;
    const prevBase = (e - 1) * (e - 1) + (e - 1);
    const need = base + e + 1;
    if (table.length < need) {
      const grown = new Int32Array(Math.max(need, table.length * 2));
      grown.set(table.subarray(0, prevBase + e));
      table = grown;
    }
    const L = table;
    const kLo = Math.max(-e, -n);
    const kHi = Math.min(e, m);
    for (let k = -e; k < kLo; k++) L[base + k] = UNREACHED;
    for (let k = kHi + 1; k <= e; k++) L[base + k] = UNREACHED;
    for (let k = kLo; k <= kHi; k++) {
      // Predecessors at cost e - 1: substitution (same k), deletion (k + 1), insertion (k - 1).
      let i = k >= 1 - e && k <= e - 1 ? L[prevBase + k]! + 1 : UNREACHED;
      if (k + 1 <= e - 1) {
        const del = L[prevBase + k + 1]! + 1;
        if (del > i) i = del;
      }
      if (k - 1 >= 1 - e) {
        const ins = L[prevBase + k - 1]!;
        if (ins > i) i = ins;
      }
      if (i < 0 || i + k < 0) {
        L[base + k] = UNREACHED;
        continue;
      }
      if (i > n) i = n;
      if (i + k > m) i = m - k;
      const off = b0 + k - a0;
      let x = a0 + i;
      const xEnd = a0 + Math.min(n, m - k);
      while (x < xEnd && a[x] === b[x + off]) x++;
      L[base + k] = x - a0;
    }
    if (delta >= -e && delta <= e && L[base + delta]! >= n) return e;
  }
}
