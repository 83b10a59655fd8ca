/** The gate's one percentile convention, shared by its timing and EOU figures. */

/** Nearest rank on an ascending sample: `sorted[round(p * (n - 1))]`; 0 for an empty sample. */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.round(p * (sorted.length - 1))]!;
}
