/**
 * Backtrace path for any {@link CostModel} (sclite's 4 / 3 / 3 in practice): a dynamic programme
 * over the diagonal band that a path of the optimal cost can touch, with one direction byte per
 * band cell, so memory is (n + 1) x band width bytes. Above a size budget the callers switch to
 * {@link alignIdsLinear}, which solves the pieces of a long pair with this function.
 *
 * The band: a path of cost W has at most W / min(insertion, deletion) gap steps, and a path with G
 * gaps between sequences whose lengths differ by delta stays within (G - |delta|) / 2 diagonals of
 * the strip between diagonal 0 and diagonal delta. Without a known cost, W is bounded by the
 * largest step cost times the unit edit distance (the Levenshtein alignment is a path too).
 */
import type { IdAlignment } from './alignIds';
import { backtraceBand, buildChunks, OP_DEL, OP_EQUAL, OP_INS, OP_SUB } from './alignmentChunks';
import type { CostModel } from './alignmentCosts';
import { editDistance } from './editDistance';

const INF = 0x3fffffff;

let dirs = new Uint8Array(1 << 16);
let rowA = new Int32Array(256);
let rowB = new Int32Array(256);
const opsScratch: number[] = [];

/** Diagonal band [kmin, kmax] (k = j - i) that every path of cost <= `cost` stays in. */
export function bandFor(n: number, m: number, model: CostModel, cost: number): [number, number] {
  const delta = m - n;
  const gaps = Math.floor(cost / Math.min(model.insertion, model.deletion));
  const half = Math.max(0, (gaps - Math.abs(delta)) >> 1);
  return [Math.max(-n, Math.min(0, delta) - half), Math.min(m, Math.max(0, delta) + half)];
}

/** An upper bound of the optimal cost from the unit edit distance. */
export function costBound(ref: ArrayLike<number>, hyp: ArrayLike<number>, model: CostModel): number {
  return Math.max(model.substitution, model.insertion, model.deletion) * editDistance(ref, hyp);
}

/** Bytes of direction table that {@link alignIdsWeighted} needs for a band. */
export function bandCells(n: number, band: readonly [number, number]): number {
  return (n + 1) * (band[1] - band[0] + 1);
}

/**
 * Aligns `ref` to `hyp` under `model` (see the module comment for ties).
 *
 * @param cost the optimal cost when the caller knows it (it sets the band); else it is bounded.
 */
export function alignIdsWeighted(
  ref: ArrayLike<number>,
  hyp: ArrayLike<number>,
  model: CostModel,
  chunks = true,
  cost?: number,
): IdAlignment {
  const n0 = ref.length;
  const m0 = hyp.length;
  // A matching last pair is always taken diagonally: with a match cost of 0, the diagonal
  // predecessor costs no more than either gap predecessor plus its gap cost.
  let suffix = 0;
  while (suffix < n0 && suffix < m0 && ref[n0 - 1 - suffix] === hyp[m0 - 1 - suffix]) suffix++;
  const n = n0 - suffix;
  const m = m0 - suffix;
  const ops = opsScratch;
  ops.length = 0;
  if (n === 0 || m === 0) {
    if (chunks) {
      for (let j = m; j > 0; j--) ops.push(OP_INS);
      for (let i = n; i > 0; i--) ops.push(OP_DEL);
    }
    return {
      hits: suffix,
      substitutions: 0,
      deletions: n,
      insertions: m,
      chunks: chunks ? buildChunks(ops, suffix, n, m) : [],
    };
  }
  const refIds = n === n0 ? ref : Array.prototype.slice.call(ref, 0, n);
  const hypIds = m === m0 ? hyp : Array.prototype.slice.call(hyp, 0, m);
  const bound = cost ?? costBound(refIds, hypIds, model);
  const [kmin, kmax] = bandFor(n, m, model, bound);
  const width = kmax - kmin + 1;
  const cells = (n + 1) * width;
  if (dirs.length < cells) dirs = new Uint8Array(Math.max(cells, Math.min(dirs.length * 2, 1 << 26)));
  if (rowA.length < width + 2) {
    rowA = new Int32Array((width + 2) * 2);
    rowB = new Int32Array((width + 2) * 2);
  }
  const sub = model.substitution;
  const insCost = model.insertion;
  const delCost = model.deletion;
  const insFirst = model.insertionBeforeDeletion;
  let prev = rowA;
  let cur = rowB;
  const dir = dirs;
  // Index x = k - kmin + 1 of a row; slots 0 and width + 1 stay INF. A row reads only cells the
  // previous row wrote or those two slots (the band moves by one diagonal per row), so rows are
  // not cleared between rows.
  prev.fill(INF, 0, width + 2);
  cur.fill(INF, 0, width + 2);
  for (let k = Math.max(0, kmin); k <= kmax; k++) {
    prev[k - kmin + 1] = k * insCost;
    dir[k - kmin] = OP_INS;
  }
  for (let i = 1; i <= n; i++) {
    const r = ref[i - 1];
    const jFrom = Math.max(0, i + kmin);
    const jTo = Math.min(m, i + kmax);
    const rowBase = i * width - i - kmin;
    const off = 1 - i - kmin;
    let j = jFrom;
    if (j === 0) {
      cur[off] = prev[off + 1]! + delCost;
      dir[rowBase] = OP_DEL;
      j = 1;
    }
    for (; j <= jTo; j++) {
      const x = j + off;
      const same = r === hyp[j - 1];
      const diag = prev[x]! + (same ? 0 : sub);
      const del = prev[x + 1]! + delCost;
      const ins = cur[x - 1]! + insCost;
      if (diag <= del && diag <= ins) {
        cur[x] = diag;
        dir[rowBase + j] = same ? OP_EQUAL : OP_SUB;
      } else if (insFirst ? del < ins : del <= ins) {
        cur[x] = del;
        dir[rowBase + j] = OP_DEL;
      } else {
        cur[x] = ins;
        dir[rowBase + j] = OP_INS;
      }
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  const counts = { hits: suffix, substitutions: 0, deletions: 0, insertions: 0 };
  backtraceBand(dir, width, kmin, n, m, chunks ? ops : null, counts);
  return { ...counts, chunks: chunks ? buildChunks(ops, suffix, n, m) : [] };
}
