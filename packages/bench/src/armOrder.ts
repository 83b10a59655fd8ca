/**
 * Orders of arms within a round.
 *
 * - `rotating`: round r runs arm (r + j) mod k at position j (ABC, BCA, CAB, ...): every arm takes
 *   every position equally often, but each arm always follows the same arm (B after A).
 * - `balanced`: a Williams design: the first row is 0, 1, k-1, 2, k-2, ..., row i adds i mod k, and
 *   for odd k the mirrored rows follow (2k rows). Every arm takes every position equally often *and*
 *   follows every other arm equally often, so what one arm leaves behind (cache contents, heap
 *   garbage, a warm branch predictor) is not charged to the same neighbour every round.
 *
 * Rounds run back to back, so the last arm of one round also precedes the first of the next. With
 * 3 arms the textbook row order (012 120 201 210 021 102) puts arm 0 after itself (210|021) and
 * arm 1 after itself (102|012) once per cycle, never arm 2, and a sample that follows its own arm
 * can find that arm's weights still in cache (on one machine the third of three per-call ONNX
 * Runtime arms measured 7-19 % slower than two equivalent ones, whatever session it ran; a pure-JS
 * suite showed nothing). The last two rows are therefore swapped for 3 arms, which
 * leaves every arm following every other arm exactly 3 times per cycle, across rounds included. For
 * 4 or more arms no arm follows itself in the textbook order; with 2 both do, equally.
 */
export type ArmOrder = 'rotating' | 'balanced';

/** Rounds after which the order repeats: k for `rotating`, k or 2k (odd k) for `balanced`. */
export function orderCycle(k: number, order: ArmOrder): number {
  return order === 'balanced' && k % 2 === 1 ? 2 * k : k;
}

/**
 * The arm indices of round `round` (any integer; negative rounds continue the cycle backwards).
 * @param k number of arms (>= 1)
 */
export function armOrder(k: number, round: number, order: ArmOrder = 'rotating'): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`\`k\` must be an integer >= 1, got ${k}`);
  if (order !== 'rotating' && order !== 'balanced')
    throw new RangeError(`\`order\` must be 'rotating' or 'balanced', got ${JSON.stringify(order)}`);
  const cycle = orderCycle(k, order);
  const r = ((round % cycle) + cycle) % cycle;
  if (order === 'rotating') return Array.from({ length: k }, (_, j) => (r + j) % k);
  const first = Array.from({ length: k }, (_, j) => (j % 2 === 1 ? (j + 1) / 2 : (k - j / 2) % k));
  const i = k === 3 && r >= 4 ? 9 - r : r; // 3 arms: rows 4 and 5 swapped (see the type above)
  const row = first.map((a) => (a + (i % k)) % k);
  return i < k ? row : row.reverse();
}
