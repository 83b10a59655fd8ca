/**
 * Backtrace operation codes and the jiwer-style chunks built from them, shared by every alignment
 * method (unit-cost, banded, checkpointed, linear-memory, sclite-weighted).
 */
import type { AlignmentChunk, ChunkKind } from './alignIds';

export const OP_EQUAL = 0;
export const OP_SUB = 1;
export const OP_DEL = 2;
export const OP_INS = 3;
const KINDS: readonly ChunkKind[] = ['equal', 'substitute', 'delete', 'insert'];

/**
 * Jiwer-style chunks from backtrace operations. `reversedOps` is the backtrace order (last
 * operation first); the common suffix of `suffix` matched pairs is appended.
 */
export function buildChunks(
  reversedOps: readonly number[],
  suffix: number,
  n: number,
  m: number,
): AlignmentChunk[] {
  const out: AlignmentChunk[] = [];
  let i = 0;
  let j = 0;
  let k = reversedOps.length - 1;
  while (k >= 0) {
    const op = reversedOps[k]!;
    const i0 = i;
    const j0 = j;
    while (k >= 0 && reversedOps[k] === op) {
      if (op !== OP_INS) i++;
      if (op !== OP_DEL) j++;
      k--;
    }
    if (op === OP_EQUAL && suffix > 0 && k < 0) {
      out.push({ kind: 'equal', refStart: i0, refEnd: i + suffix, hypStart: j0, hypEnd: j + suffix });
      return out;
    }
    out.push({ kind: KINDS[op]!, refStart: i0, refEnd: i, hypStart: j0, hypEnd: j });
  }
  if (suffix > 0)
    out.push({ kind: 'equal', refStart: n, refEnd: n + suffix, hypStart: m, hypEnd: m + suffix });
  return out;
}

/** Edit counts of an alignment (also the accumulator of the two functions below). */
export interface OpCounts {
  hits: number;
  substitutions: number;
  deletions: number;
  insertions: number;
}

/** Adds one count per operation of `ops` to `counts` and returns it. */
export function countOps(ops: readonly number[], counts: OpCounts): OpCounts {
  for (const op of ops) {
    if (op === OP_EQUAL) counts.hits++;
    else if (op === OP_SUB) counts.substitutions++;
    else if (op === OP_DEL) counts.deletions++;
    else counts.insertions++;
  }
  return counts;
}

/**
 * Walks a banded direction table back from (n, m) to (0, 0): cell (i, j) is at
 * `dir[i * width + (j - i - kmin)]`. Counts every operation into `counts` and, when `ops` is given,
 * pushes them in backtrace order (last operation first, as {@link buildChunks} takes them).
 */
export function backtraceBand(
  dir: Uint8Array,
  width: number,
  kmin: number,
  n: number,
  m: number,
  ops: number[] | null,
  counts: OpCounts,
): void {
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const op = dir[i * width + (j - i - kmin)]!;
    if (ops !== null) ops.push(op);
    if (op === OP_EQUAL) {
      counts.hits++;
      i--;
      j--;
    } else if (op === OP_SUB) {
      counts.substitutions++;
      i--;
      j--;
    } else if (op === OP_DEL) {
      counts.deletions++;
      i--;
    } else {
      counts.insertions++;
      j--;
    }
  }
}
