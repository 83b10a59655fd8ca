/**
 * Linear-memory backtrace for long pairs (a 300,000-word utterance), with exactly the alignment
 * the full matrix gives, ties included.
 *
 * Hirschberg's method splits a problem at a middle row, but finds *an* optimal path, not the one
 * the full matrix's backtrace takes. The backtrace path P from (n, m) follows each cell's choice,
 * so it can be located instead: one forward pass over the diagonal band computes, for every cell,
 * the column at which its own backtrace path first reaches the last checkpoint row above it (a
 * cell inherits the value of the predecessor it chose, or takes the predecessor's column when that
 * predecessor lies on the checkpoint row). Only the rows of the current cell and, at each of the K
 * checkpoint rows, that row's values are kept, so memory is O(K x band width). At the end, (n, m)
 * names the column where P lands on the last checkpoint row; that cell names the landing column
 * on the row before, and so on: K cells of P, with their costs.
 *
 * Every piece between two consecutive cells of P is then aligned on its own (recursively, or by
 * the full-memory kernel once it is small), and the pieces' alignments are P's. Why: within a
 * piece whose corner O lies on P, a cell of P has the cost D - D(O) (P itself is a path from O),
 * and any other cell has at least D - D(O); so each choice the full matrix made on P (the
 * cheapest predecessor, ties broken by the fixed order) is still the cheapest, with the same ties,
 * in the piece. The band of each piece comes from its exact cost, read at its end cells.
 *
 * Work is about one pass over the band (n x band width) plus pieces that together cover ~1/K of
 * it; memory is linear in n + m for a fixed K.
 */
import type { AlignmentChunk, IdAlignment } from './alignIds';
import type { CostModel } from './alignmentCosts';
import { bandCells, bandFor } from './weightedAlign';

/** Aligns one piece (small enough for a full-memory kernel) given its exact optimal cost. */
export type PieceSolver = (ref: Int32Array, hyp: Int32Array, chunks: boolean, cost: number) => IdAlignment;

/** Tuning of {@link alignIdsLinear} (tests use tiny values to exercise the splitting). */
export interface LinearOptions {
  /** Band cells (bytes of direction table) up to which a piece goes to the full-memory kernel (default 2^22). */
  readonly pieceCells?: number;
  /** Checkpoint rows per pass (default: enough for pieces of about `pieceCells`, at most 128). */
  readonly checkpoints?: number;
}

const INF = 0x3fffffff;
const DEFAULT_PIECE_CELLS = 1 << 22;
const MAX_CHECKPOINTS = 128;

/**
 * Aligns `ref` to `hyp` under `model` in memory linear in their lengths.
 *
 * @param cost the optimal cost, or an upper bound of it (it sets the band of the first pass).
 * @param solve the full-memory kernel of this cost model, used on small pieces.
 */
export function alignIdsLinear(
  ref: ArrayLike<number>,
  hyp: ArrayLike<number>,
  model: CostModel,
  cost: number,
  solve: PieceSolver,
  chunks = true,
  options: LinearOptions = {},
): IdAlignment {
  const a = ref instanceof Int32Array ? ref : Int32Array.from(ref);
  const b = hyp instanceof Int32Array ? hyp : Int32Array.from(hyp);
  const out: AlignmentChunk[] = [];
  const counts = { hits: 0, substitutions: 0, deletions: 0, insertions: 0 };
  solveRange(a, 0, a.length, b, 0, b.length, cost, model, solve, chunks, options, out, counts);
  return { ...counts, chunks: chunks ? out : [] };
}

function solveRange(
  a: Int32Array,
  i0: number,
  i1: number,
  b: Int32Array,
  j0: number,
  j1: number,
  cost: number,
  model: CostModel,
  solve: PieceSolver,
  chunks: boolean,
  options: LinearOptions,
  out: AlignmentChunk[],
  counts: { hits: number; substitutions: number; deletions: number; insertions: number },
): void {
  const n = i1 - i0;
  const m = j1 - j0;
  const band = bandFor(n, m, model, cost);
  const pieceCells = options.pieceCells ?? DEFAULT_PIECE_CELLS;
  const cells = bandCells(n, band);
  if (n < 2 || cells <= pieceCells) {
    const r = solve(a.subarray(i0, i1), b.subarray(j0, j1), chunks, cost);
    counts.hits += r.hits;
    counts.substitutions += r.substitutions;
    counts.deletions += r.deletions;
    counts.insertions += r.insertions;
    if (chunks) appendChunks(out, r.chunks, i0, j0);
    return;
  }
  const wanted = options.checkpoints ?? Math.ceil(Math.sqrt(cells / pieceCells)) - 1;
  const k = Math.max(1, Math.min(n - 1, MAX_CHECKPOINTS, wanted));
  const rows = new Int32Array(k);
  for (let c = 0; c < k; c++) rows[c] = Math.floor(((c + 1) * n) / (k + 1));
  const { cols, costs, total } = landingPass(a, i0, n, b, j0, m, band, cost, model, rows);
  let pi = 0;
  let pj = 0;
  let pc = 0;
  for (let c = 0; c <= k; c++) {
    const ri = c < k ? rows[c]! : n;
    const cj = c < k ? cols[c]! : m;
    const cc = c < k ? costs[c]! : total;
    solveRange(a, i0 + pi, i0 + ri, b, j0 + pj, j0 + cj, cc - pc, model, solve, chunks, options, out, counts);
    pi = ri;
    pj = cj;
    pc = cc;
  }
}

/** Appends a piece's chunks, shifted by its corner, merging a run that continues across the seam. */
function appendChunks(out: AlignmentChunk[], piece: readonly AlignmentChunk[], di: number, dj: number): void {
  for (const c of piece) {
    const last = out[out.length - 1];
    if (last && last.kind === c.kind && last.refEnd === c.refStart + di && last.hypEnd === c.hypStart + dj) {
      out[out.length - 1] = { ...last, refEnd: c.refEnd + di, hypEnd: c.hypEnd + dj };
    } else {
      out.push({
        kind: c.kind,
        refStart: c.refStart + di,
        refEnd: c.refEnd + di,
        hypStart: c.hypStart + dj,
        hypEnd: c.hypEnd + dj,
      });
    }
  }
}

/**
 * One forward pass over the band of a[i0 .. i0 + n) x b[j0 .. j0 + m): the cost of (n, m) and, for
 * each checkpoint row, the column where the backtrace path of (n, m) lands on it and the cost there.
 *
 * Cells that cannot lie on a path of cost <= `bound` (cost so far + the gaps still needed to reach
 * the end diagonal > bound) are dropped as the pass goes (Ukkonen's cut-off), so each row computes
 * only the stretch of the band still alive. Dropping them changes no choice on P: every cell on a
 * path of cost <= bound keeps its exact cost, and a dropped predecessor was costlier anyway.
 */
function landingPass(
  a: Int32Array,
  i0: number,
  n: number,
  b: Int32Array,
  j0: number,
  m: number,
  band: readonly [number, number],
  bound: number,
  model: CostModel,
  rows: Int32Array,
): { cols: Int32Array; costs: Float64Array; total: number } {
  const [kmin, kmax] = band;
  const width = kmax - kmin + 1;
  const k = rows.length;
  const sub = model.substitution;
  const insCost = model.insertion;
  const delCost = model.deletion;
  const insFirst = model.insertionBeforeDeletion;
  const gap = Math.min(insCost, delCost);
  const delta = m - n;
  // Index x = j - i - kmin + 1 (the diagonal k = x - 1 + kmin). A row reads the previous row only
  // within [lo - 1, hi + 1] of the stretch that row kept alive; those two edge slots hold INF.
  let prevD = new Int32Array(width + 2).fill(INF);
  let curD = new Int32Array(width + 2).fill(INF);
  let prevX = new Int32Array(width + 2);
  let curX = new Int32Array(width + 2);
  const savedD: Int32Array[] = [];
  const savedX: Int32Array[] = [];
  const alive = (cost: number, x: number) => cost + gap * Math.abs(delta - (x - 1 + kmin)) <= bound;
  let lo = Math.max(0, kmin) - kmin + 1;
  let hi = lo - 1;
  for (let x = lo; x <= width; x++) {
    const c = (x - 1 + kmin) * insCost;
    if (!alive(c, x)) break;
    prevD[x] = c;
    hi = x;
  }
  prevD[lo - 1] = INF;
  prevD[hi + 1] = INF;
  let next = 0; // index of the next checkpoint row
  let last = -1; // the last checkpoint row passed (-1: none yet, X not tracked)
  for (let i = 1; i <= n; i++) {
    const r = a[i0 + i - 1]!;
    const jFrom = Math.max(0, i + kmin);
    const jTo = Math.min(m, i + kmax);
    const off = 1 - i - kmin;
    const track = last >= 0;
    // Predecessors on the checkpoint row land there, in their own column.
    const onRow = i - 1 === last;
    let x = Math.max(jFrom + off, lo - 1);
    const xEnd = jTo + off;
    let newLo = -1;
    let newHi = -1;
    curD[x - 1] = INF;
    if (x === off) {
      // Column 0: only the deletion from (i - 1, 0).
      const c = prevD[off + 1]! + delCost;
      if (alive(c, x)) {
        curD[x] = c;
        if (track) curX[x] = onRow ? 0 : prevX[off + 1]!;
        newLo = newHi = x;
      } else curD[x] = INF;
      x++;
    }
    const hb = j0 - 1 - off; // b[hb + x] is hyp[j - 1] for the cell at index x
    const mainEnd = Math.min(xEnd, hi);
    for (; x <= mainEnd; x++) {
      const diag = prevD[x]! + (r === b[hb + x] ? 0 : sub);
      const del = prevD[x + 1]! + delCost;
      const ins = curD[x - 1]! + insCost;
      let best: number;
      let from: number;
      if (diag <= del && diag <= ins) {
        best = diag;
        from = 0;
      } else if (insFirst ? del < ins : del <= ins) {
        best = del;
        from = 1;
      } else {
        best = ins;
        from = 2;
      }
      if (best + gap * Math.abs(delta - (x - 1 + kmin)) > bound) {
        curD[x] = INF;
        continue;
      }
      curD[x] = best;
      if (newLo < 0) newLo = x;
      newHi = x;
      if (track) {
        // j = x - off: a diagonal predecessor is in column j - 1, a deletion's in column j.
        if (from === 0) curX[x] = onRow ? x - off - 1 : prevX[x]!;
        else if (from === 1) curX[x] = onRow ? x - off : prevX[x + 1]!;
        else curX[x] = curX[x - 1]!;
      }
    }
    // Past the previous row's stretch only insertions can reach.
    for (; x <= xEnd; x++) {
      const c = curD[x - 1]! + insCost;
      if (!alive(c, x)) break;
      curD[x] = c;
      if (track) curX[x] = curX[x - 1]!;
      if (newLo < 0) newLo = x;
      newHi = x;
    }
    if (newLo < 0) throw new Error('alignIdsLinear: no path within the cost bound (internal error)');
    lo = newLo;
    hi = newHi;
    curD[hi + 1] = INF;
    if (next < k && i === rows[next]) {
      savedD.push(curD.slice());
      savedX.push(curX.slice());
      last = i;
      next++;
    }
    let t = prevD;
    prevD = curD;
    curD = t;
    t = prevX;
    prevX = curX;
    curX = t;
  }
  const at = (i: number, j: number) => j - i - kmin + 1;
  const total = prevD[at(n, m)]!;
  const cols = new Int32Array(k);
  const costs = new Float64Array(k);
  cols[k - 1] = prevX[at(n, m)]!;
  for (let c = k - 1; c >= 0; c--) {
    const x = at(rows[c]!, cols[c]!);
    costs[c] = savedD[c]![x]!;
    if (c > 0) cols[c - 1] = savedX[c]![x]!;
  }
  return { cols, costs, total };
}
