/**
 * The two cost models of the backtrace path and how each breaks ties. Both are read the same way:
 * the dynamic programme picks, at each cell, the cheapest of the diagonal step (match or
 * substitution), the deletion and the insertion; walking back from the end, the diagonal wins every
 * tie it is part of, and `insertionBeforeDeletion` decides a tie between the two gap steps.
 *
 * `sclite` is NIST sclite's `wwd_WORD` cost table (correct 0, substitution 4, insertion and deletion
 * 3) with its cell rule, found by experiment against sclite 2.4.10 (Debian `sctk`, see
 * `tools/sclite-golden/`) and matching its `net_dp.c`: a cell takes the diagonal when it costs
 * no more than either gap, else the deletion only when it is strictly cheaper than the
 * insertion, so an insertion wins a tie with a deletion. Minimising 4S + 3(D + I) instead of
 * S + D + I changes the S/D/I split on many utterances (two substitutions cost 8, a deletion and an
 * insertion 6) and, rarely, the total error count.
 */

/** Name of a cost model: `unit` (Levenshtein, every edit 1) or `sclite` (4 / 3 / 3). */
export type AlignmentCosts = 'unit' | 'sclite';

/** Step costs (a match costs 0) and the tie-break between the two gap steps. */
export interface CostModel {
  readonly substitution: number;
  readonly insertion: number;
  readonly deletion: number;
  /** On a tie between a deletion and an insertion (both cheaper than the diagonal), take the insertion. */
  readonly insertionBeforeDeletion: boolean;
}

/** The cost models by name. */
export const costModels: Readonly<Record<AlignmentCosts, CostModel>> = {
  unit: { substitution: 1, insertion: 1, deletion: 1, insertionBeforeDeletion: false },
  sclite: { substitution: 4, insertion: 3, deletion: 3, insertionBeforeDeletion: true },
};

/** Names accepted by {@link costModelOf}. */
export const alignmentCostNames: readonly AlignmentCosts[] = ['unit', 'sclite'];

/**
 * The cost model of a name.
 *
 * @throws {RangeError} for an unknown name.
 */
export function costModelOf(costs: AlignmentCosts): CostModel {
  if (!Object.hasOwn(costModels, costs))
    throw new RangeError(
      `costs must be one of ${alignmentCostNames.join(', ')}, got ${JSON.stringify(costs)}`,
    );
  return costModels[costs];
}
