/**
 * Orders of arms within a round.
 *
 * - `rotating`: round r runs arm (r + j) mod k at position j (ABC, BCA, CAB, ...): every arm takes
 *   every position equally often, but each arm always follows the same arm (B after A).
 * - `balanced`: a Williams design: the first row is 0, 1, k-1, 2, k-2, ..., row i adds i mod k, and
 *   for odd k the mirrored rows follow (2k rows). Every arm takes every position equally often *and*
 *   follows every other arm equally often, so what one arm leaves behind (cache contents, heap
 *   garbage, a warm branch predictor) is not charged to the same neighbour every round.
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
  const row = first.map((a) => (a + (r % k)) % k);
  return r < k ? row : row.reverse();
}
