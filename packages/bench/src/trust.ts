import type { RatioEstimate } from './bootstrap';

/** Whether a ratio can be read as a measurement, with the reasons when it cannot. */
export interface TrustVerdict {
  readonly trusted: boolean;
  readonly reasons: string[];
}

/** Thresholds of {@link ratioTrust}. */
export interface TrustThresholds {
  /** Highest 1-minute load average per logical CPU seen during the run (default 1.0). */
  readonly maxLoadPerCpu?: number;
  /** Widest relative interval, (ciHigh - ciLow) / ratio (default 0.10). */
  readonly maxRelativeWidth?: number;
  /** Largest spread of per-process ratios, max / min - 1 (default 0.10). */
  readonly maxProcessSpread?: number;
  /** Largest share of samples flagged as outliers, either arm (default 0.10). */
  readonly maxOutlierShare?: number;
  /** Lowest median CPU time / wall time of a sample, either arm: below it the arm waited for a core (default 0.85). */
  readonly minCpuShare?: number;
}

/** What {@link ratioTrust} looks at for one arm against the baseline arm. */
export interface TrustInputs {
  readonly ratio: RatioEstimate;
  /** 1-minute load averages sampled at the start and end of each process. */
  readonly loadAverages: readonly number[];
  readonly cpus: number;
  /** Ratio of medians within each process (one entry per process). */
  readonly processRatios: readonly number[];
  /** Outlier share of the arm and of the baseline. */
  readonly outlierShares: readonly number[];
  /** Median CPU/wall share of the arm and of the baseline; null when not measured. */
  readonly cpuShares: readonly (number | null)[];
  /** Number of process replicates. */
  readonly processes: number;
}

/**
 * Verdict on one ratio: untrusted when the machine was loaded beyond its cores, the interval is
 * wide, processes disagree, many samples are outliers, or samples spent a large share of their
 * wall time off the CPU (preempted). A single process is always flagged: its interval misses the
 * variation between processes.
 */
export function ratioTrust(inputs: TrustInputs, thresholds: TrustThresholds = {}): TrustVerdict {
  const maxLoad = thresholds.maxLoadPerCpu ?? 1.0;
  const maxWidth = thresholds.maxRelativeWidth ?? 0.1;
  const maxSpread = thresholds.maxProcessSpread ?? 0.1;
  const maxOutliers = thresholds.maxOutlierShare ?? 0.1;
  const minCpu = thresholds.minCpuShare ?? 0.85;
  const reasons: string[] = [];
  const load = inputs.loadAverages.length > 0 ? Math.max(...inputs.loadAverages) : 0;
  const cpus = Math.max(inputs.cpus, 1);
  if (load / cpus > maxLoad)
    reasons.push(`load average ${load.toFixed(2)} on ${cpus} CPUs exceeds ${maxLoad} per CPU`);
  const { ratio, ciLow, ciHigh } = inputs.ratio;
  const width = (ciHigh - ciLow) / ratio;
  if (!(width <= maxWidth))
    reasons.push(
      `interval [${ciLow.toFixed(3)}, ${ciHigh.toFixed(3)}] is ${(width * 100).toFixed(1)} % wide`,
    );
  if (inputs.processes < 2) reasons.push('one process: the interval misses the variation between processes');
  else {
    const lo = Math.min(...inputs.processRatios);
    const hi = Math.max(...inputs.processRatios);
    if (hi / lo - 1 > maxSpread)
      reasons.push(`per-process ratios disagree: ${lo.toFixed(3)} to ${hi.toFixed(3)}`);
  }
  const outliers = Math.max(...inputs.outlierShares);
  if (outliers > maxOutliers) reasons.push(`${(outliers * 100).toFixed(0)} % of samples are outliers`);
  const shares = inputs.cpuShares.filter((s): s is number => s !== null);
  if (shares.length > 0 && Math.min(...shares) < minCpu)
    reasons.push(
      `median CPU time is ${(Math.min(...shares) * 100).toFixed(0)} % of wall time (waiting for a core)`,
    );
  return { trusted: reasons.length === 0, reasons };
}
