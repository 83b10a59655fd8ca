/**
 * sclite-compatible alignment: the minimum of 4 x substitutions + 3 x (deletions + insertions),
 * ties broken as sclite breaks them (see {@link costModels}), so per-utterance C/S/D/I equal
 * sclite's. Short pairs use the full-memory band kernel; long ones the linear-memory method.
 */
import { alignIds, BAND_BUDGET, type IdAlignment } from './alignIds';
import { costModels } from './alignmentCosts';
import { alignIdsLinear, type LinearOptions } from './linearAlign';
import { alignIdsWeighted, bandCells, bandFor } from './weightedAlign';

const sclite = costModels.sclite;

/**
 * Aligns `ref` to `hyp` with sclite's costs and tie-breaks.
 *
 * @param ref reference ids (non-negative integers over a vocabulary shared with `hyp`).
 * @param hyp hypothesis ids.
 * @param chunks false to skip building chunks.
 * @returns hits, substitutions, deletions, insertions and the chunks in reference order.
 */
export function alignIdsSclite(ref: ArrayLike<number>, hyp: ArrayLike<number>, chunks = true): IdAlignment {
  return alignIdsScliteWith(ref, hyp, 'auto', chunks);
}

/** {@link alignIdsSclite} with the method forced (tests and benchmarks). */
export function alignIdsScliteWith(
  ref: ArrayLike<number>,
  hyp: ArrayLike<number>,
  method: 'auto' | 'band' | 'linear',
  chunks = true,
  linearOptions?: LinearOptions,
): IdAlignment {
  if (ref.length === 0 || hyp.length === 0) return alignIdsWeighted(ref, hyp, sclite, chunks, 0);
  // The Levenshtein alignment is a path too: its weighted cost bounds sclite's (and the band).
  const unit = alignIds(ref, hyp, false);
  const bound =
    sclite.substitution * unit.substitutions +
    sclite.deletion * unit.deletions +
    sclite.insertion * unit.insertions;
  const long =
    method === 'linear' ||
    (method === 'auto' &&
      ref.length > 1 &&
      bandCells(ref.length, bandFor(ref.length, hyp.length, sclite, bound)) > BAND_BUDGET);
  if (!long) return alignIdsWeighted(ref, hyp, sclite, chunks, bound);
  return alignIdsLinear(ref, hyp, sclite, bound, sclitePiece, chunks, linearOptions);
}

function sclitePiece(ref: Int32Array, hyp: Int32Array, chunks: boolean, cost: number): IdAlignment {
  return alignIdsWeighted(ref, hyp, sclite, chunks, cost);
}
