import { describe, expect, it } from 'vitest';
import { ratioTrust, type TrustInputs } from './trust';

const good: TrustInputs = {
  ratio: { ratio: 1.0, ciLow: 0.98, ciHigh: 1.02, confidence: 0.95, resamples: 100, seed: 1 },
  loadAverages: [0.5, 0.7],
  cpus: 2,
  processRatios: [0.99, 1.01, 1.0],
  outlierShares: [0.01, 0.02],
  cpuShares: [0.99, 0.98],
  processes: 3,
};

describe('ratioTrust', () => {
  it('trusts a tight ratio from three agreeing processes on an idle machine', () => {
    expect(ratioTrust(good)).toEqual({ trusted: true, reasons: [] });
  });

  it('gives one reason per problem', () => {
    const v = ratioTrust({
      ...good,
      ratio: { ...good.ratio, ratio: 0.05, ciLow: 0.32, ciHigh: 2.37 },
      loadAverages: [7.8, 9.1],
      processRatios: [0.8, 1.1],
      outlierShares: [0.2, 0],
      cpuShares: [0.5, null],
    });
    expect(v.trusted).toBe(false);
    expect(v.reasons).toEqual([
      'load average 9.10 on 2 CPUs exceeds 1 per CPU',
      'interval [0.320, 2.370] is 4100.0 % wide',
      'per-process ratios disagree: 0.800 to 1.100',
      '20 % of samples are outliers',
      'median CPU time is 50 % of wall time (waiting for a core)',
    ]);
  });

  it('never trusts a single process', () => {
    expect(ratioTrust({ ...good, processes: 1, processRatios: [1] }).reasons).toEqual([
      'one process: the interval misses the variation between processes',
    ]);
  });
});
