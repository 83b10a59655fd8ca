/**
 * Backtrace path: one minimum-cost alignment (unit costs) between two id sequences, as counts and
 * jiwer-style chunks. Long transcripts with few errors must not cost O(n * m), so two exact
 * methods are used:
 *
 * - `diagonal` (default while the distance d is small): the diagonal-transition algorithm
 *   (Ukkonen 1985, Landau-Vishkin 1989) computes, for each cost e <= d and diagonal k, the
 *   furthest row L[e][k] reachable at cost <= e. Because D is non-decreasing along a diagonal,
 *   D[i][j] <= e exactly when L[e][j - i] >= i, so the backtrace can test any cell in O(1).
 *   Work is about d^2 plus the match runs; memory d^2 ints.
 * - `band` (when d is large): the distance comes from the bit-parallel kernel, then a dynamic
 *   programme fills only the diagonal band that a path of cost d can touch: O(n * d) time and
 *   (n + 1) x band-width bytes of directions.
 * - `checkpoint` (when that table would pass {@link BAND_BUDGET} bytes): the diagonal method's
 *   backtrace with only every B-th row of its table kept and the others recomputed block by block
 *   (`diagonalCheckpoint.ts`): ~2 d^2 work, ~2.8 d^1.5 ints, used while that is under
 *   {@link CHECKPOINT_BUDGET} bytes.
 * - `linear` (beyond both budgets): the band in memory linear in n + m, by locating the backtrace
 *   path at checkpoint rows and aligning the pieces between them with the methods above
 *   (`linearAlign.ts`); O(n * d) work.
 *
 * Tie-breaking is fixed and is the same as the full dynamic programme's: walking back from the
 * end, a diagonal step (match or substitution) is preferred, then a deletion, then an insertion.
 * Both methods see the exact D of every cell on an optimal path, so they make the same choices
 * as the full matrix (the property tests compare all three).
 */
import { backtraceBand, buildChunks, countOps, OP_DEL, OP_EQUAL, OP_INS, OP_SUB } from './alignmentChunks';
import { costModels } from './alignmentCosts';
import { checkpointedBacktrace } from './diagonalCheckpoint';
import { diagonalDistance, reachIndex, reachTable, UNREACHED } from './diagonalTransition';
import { editDistance } from './editDistance';
import { alignIdsLinear, type LinearOptions } from './linearAlign';

/** Kind of an alignment chunk (jiwer's `equal`, `substitute`, `insert`, `delete`). */
export type ChunkKind = 'equal' | 'substitute' | 'delete' | 'insert';

/**
 * A run of identical operations. Ranges are half-open indices into the processed reference and
 * hypothesis words: `delete` has an empty hypothesis range, `insert` an empty reference range.
 */
export interface AlignmentChunk {
  readonly kind: ChunkKind;
  readonly refStart: number;
  readonly refEnd: number;
  readonly hypStart: number;
  readonly hypEnd: number;
}

/** Hits, substitutions, deletions and insertions of one alignment. */
export interface EditCounts {
  readonly hits: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
}

/** Counts and chunks of one alignment. */
export interface IdAlignment extends EditCounts {
  readonly chunks: readonly AlignmentChunk[];
}

const INF = 0x3fffffff;

let dirs = new Uint8Array(1 << 16);
// Backtrace operations, last first; reused so a call allocates only its result.
const opsScratch: number[] = [];
let rowA = new Int32Array(256);
let rowB = new Int32Array(256);

/** Largest cost the diagonal method explores before handing over to the band (memory ~ cap^2 ints). */
const DIAGONAL_CAP = 2048;

/** Largest direction table (bytes) of the `band` method; above it `auto` takes `checkpoint` or `linear`. */
export const BAND_BUDGET = 1 << 25;

/** Largest memory (bytes) of the `checkpoint` method; above it `auto` takes `linear`. */
export const CHECKPOINT_BUDGET = 1 << 26;

/**
 * Aligns `ref` to `hyp` with unit costs and deterministic tie-breaking.
 *
 * @param ref reference ids (non-negative integers over a vocabulary shared with `hyp`).
 * @param hyp hypothesis ids.
 * @param chunks false to skip building chunks (counts only, still from the backtrace).
 * @returns hits, substitutions, deletions, insertions and the chunks in reference order.
 */
export function alignIds(ref: ArrayLike<number>, hyp: ArrayLike<number>, chunks = true): IdAlignment {
  return alignIdsWith(ref, hyp, 'auto', chunks);
}

/**
 * {@link alignIds} with the method forced (for tests and benchmarks); `auto` picks `diagonal`
 * up to a distance of 2048, then `band` while its table fits {@link BAND_BUDGET}, then
 * `checkpoint` while it fits {@link CHECKPOINT_BUDGET}, then `linear`.
 * `linearOptions` tunes the `linear` method (tests shrink its pieces to exercise the splitting).
 */
export function alignIdsWith(
  ref: ArrayLike<number>,
  hyp: ArrayLike<number>,
  method: 'auto' | 'diagonal' | 'band' | 'checkpoint' | 'linear',
  chunks = true,
  linearOptions?: LinearOptions,
): IdAlignment {
  if (method === 'linear') {
    return alignIdsLinear(
      ref,
      hyp,
      costModels.unit,
      editDistance(ref, hyp),
      unitPiece,
      chunks,
      linearOptions,
    );
  }
  return alignIdsDirect(ref, hyp, method, chunks, undefined);
}

/** The full-memory methods on a piece of a linear alignment, whose distance is known. */
function unitPiece(ref: Int32Array, hyp: Int32Array, chunks: boolean, cost: number): IdAlignment {
  return alignIdsDirect(ref, hyp, cost <= DIAGONAL_CAP ? 'auto' : 'band', chunks, cost, true);
}

function alignIdsDirect(
  ref: ArrayLike<number>,
  hyp: ArrayLike<number>,
  method: 'auto' | 'diagonal' | 'band' | 'checkpoint',
  chunks: boolean,
  knownDistance: number | undefined,
  piece = false,
): IdAlignment {
  const n0 = ref.length;
  const m0 = hyp.length;
  // A common suffix is always matched diagonally by the end-first backtrace, so trimming it
  // cannot change the result; a common prefix could, so it stays in.
  let suffix = 0;
  while (suffix < n0 && suffix < m0 && ref[n0 - 1 - suffix] === hyp[m0 - 1 - suffix]) suffix++;
  const n = n0 - suffix;
  const m = m0 - suffix;
  const ops = opsScratch;
  ops.length = 0;
  let hits = suffix;
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  if (n === 0 || m === 0) {
    deletions = n;
    insertions = m;
    if (chunks) {
      for (let j = m; j > 0; j--) ops.push(OP_INS);
      for (let i = n; i > 0; i--) ops.push(OP_DEL);
    }
  } else if (
    method !== 'band' &&
    method !== 'checkpoint' &&
    diagonalBacktrace(ref, hyp, n, m, method === 'diagonal' ? Infinity : DIAGONAL_CAP, ops)
  ) {
    const counts = countOps(ops, { hits, substitutions, deletions, insertions });
    ({ hits, substitutions, deletions, insertions } = counts);
  } else if (
    method === 'checkpoint' ||
    (method === 'auto' && !piece && (n + 1) * (Math.max(n, m) + 1) > BAND_BUDGET)
  ) {
    // Long pairs: the checkpointed diagonal backtrace while its memory fits, else linear memory.
    ops.length = 0;
    const d = checkpointedBacktrace(
      ref,
      n,
      hyp,
      m,
      ops,
      method === 'checkpoint' ? Infinity : CHECKPOINT_BUDGET,
    );
    if (d < 0) {
      const long = alignIdsLinear(sliceIds(ref, n), sliceIds(hyp, m), costModels.unit, -d, unitPiece, chunks);
      return withSuffix(long, suffix, n, m, chunks);
    }
    const counts = countOps(ops, { hits, substitutions, deletions, insertions });
    ({ hits, substitutions, deletions, insertions } = counts);
  } else {
    ops.length = 0;
    // The trimmed suffix is matched, so the distance of the whole pair is that of the rest.
    const d = knownDistance ?? editDistance(sliceIds(ref, n), sliceIds(hyp, m));
    const delta = m - n;
    const half = (d - Math.abs(delta)) >> 1;
    const kmin = Math.max(-n, Math.min(0, delta) - half);
    const kmax = Math.min(m, Math.max(0, delta) + half);
    const width = kmax - kmin + 1;
    const cells = (n + 1) * width;
    if (dirs.length < cells) dirs = new Uint8Array(Math.max(cells, dirs.length * 2));
    if (rowA.length < width + 2) {
      rowA = new Int32Array((width + 2) * 2);
      rowB = new Int32Array((width + 2) * 2);
    }
    let prev = rowA;
    let cur = rowB;
    const dir = dirs;
    // Row 0: D[0][j] = j (insertions). Index x = k - kmin + 1; slots 0 and width + 1 pad with INF.
    prev.fill(INF, 0, width + 2);
    for (let k = Math.max(0, kmin); k <= kmax; k++) {
      prev[k - kmin + 1] = k;
      dir[k - kmin] = OP_INS;
    }
    for (let i = 1; i <= n; i++) {
      cur.fill(INF, 0, width + 2);
      const r = ref[i - 1];
      const jFrom = Math.max(0, i + kmin);
      const jTo = Math.min(m, i + kmax);
      const rowBase = i * width - i - kmin;
      const off = 1 - i - kmin;
      for (let j = jFrom; j <= jTo; j++) {
        const x = j + off;
        let best = prev[x + 1]! + 1;
        let op = OP_DEL;
        if (j > 0) {
          const ne = r === hyp[j - 1] ? 0 : 1;
          const diag = prev[x]! + ne;
          if (diag <= best) {
            best = diag;
            op = ne;
          }
          const ins = cur[x - 1]! + 1;
          if (ins < best) {
            best = ins;
            op = OP_INS;
          }
        }
        cur[x] = best;
        dir[rowBase + j] = op;
      }
      const t = prev;
      prev = cur;
      cur = t;
    }
    const counts = { hits, substitutions, deletions, insertions };
    backtraceBand(dir, width, kmin, n, m, chunks ? ops : null, counts);
    ({ hits, substitutions, deletions, insertions } = counts);
  }
  return { hits, substitutions, deletions, insertions, chunks: chunks ? buildChunks(ops, suffix, n, m) : [] };
}

/**
 * Diagonal transition + backtrace into `ops` (last operation first). Returns false when the
 * distance exceeds `cap`.
 */
function diagonalBacktrace(
  ref: ArrayLike<number>,
  hyp: ArrayLike<number>,
  n: number,
  m: number,
  cap: number,
  ops: number[],
): boolean {
  const e = diagonalDistance(ref, 0, n, hyp, 0, m, cap);
  if (e < 0) return false;
  // Backtrace: D[i][j] <= c exactly when L[c][j - i] >= i.
  const L = reachTable();
  let i = n;
  let j = m;
  let v = e;
  while (i > 0 || j > 0) {
    const k = j - i;
    if (i > 0 && j > 0 && ref[i - 1] === hyp[j - 1]) {
      ops.push(OP_EQUAL);
      i--;
      j--;
    } else if (i > 0 && j > 0 && reach(L, v - 1, k) >= i - 1) {
      ops.push(OP_SUB);
      i--;
      j--;
      v--;
    } else if (i > 0 && reach(L, v - 1, k + 1) >= i - 1) {
      ops.push(OP_DEL);
      i--;
      v--;
    } else {
      ops.push(OP_INS);
      j--;
      v--;
    }
  }
  return true;
}

/** L[c][k] of the diagonal table, or UNREACHED outside row c. */
function reach(L: Int32Array, c: number, k: number): number {
  return c >= 0 && k >= -c && k <= c ? L[reachIndex(c, k)]! : UNREACHED;
}

function sliceIds(ids: ArrayLike<number>, length: number): ArrayLike<number> {
  if (length === ids.length) return ids;
  if (ids instanceof Int32Array) return ids.subarray(0, length);
  return Array.prototype.slice.call(ids, 0, length) as number[];
}

/** Adds a matched suffix of `suffix` pairs after an alignment of the first n and m ids. */
function withSuffix(a: IdAlignment, suffix: number, n: number, m: number, chunks: boolean): IdAlignment {
  if (suffix === 0) return a;
  if (!chunks) return { ...a, hits: a.hits + suffix };
  const out = [...a.chunks];
  const last = out[out.length - 1];
  if (last?.kind === 'equal') out[out.length - 1] = { ...last, refEnd: n + suffix, hypEnd: m + suffix };
  else out.push({ kind: 'equal', refStart: n, refEnd: n + suffix, hypStart: m, hypEnd: m + suffix });
  return { ...a, hits: a.hits + suffix, chunks: out };
}
