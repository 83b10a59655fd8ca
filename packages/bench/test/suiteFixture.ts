// Test fixtures: suites with real statistics from given samples, without timing anything.
import { bootstrapMedianRatios } from '../src/bootstrap';
import type { SuiteResult } from '../src/interleave';
import { summarize } from '../src/stats';

// A suite as `interleave` would return it, from given per-arm samples (real statistics).
export function suite(name: string, arms: Record<string, number[]>): SuiteResult {
  const names = Object.keys(arms);
  const samples = names.map((n) => arms[n] as number[]);
  const ratios = samples.length > 1 ? bootstrapMedianRatios(samples, { resamples: 500 }) : [];
  return {
    name,
    unit: 'step',
    warmup: 0,
    rounds: samples[0]!.length,
    iterationsPerSample: 1,
    order: 'rotating',
    compareOutputs: false,
    arms: names.map((n, i) => ({
      name: n,
      kind: 'sync',
      iterationsPerSample: 1,
      samplesNs: samples[i]!,
      summary: summarize(samples[i]!),
      outliers: { threshold: 3.5, count: 0, rounds: [] },
      ratio: i === 0 ? null : ratios[i - 1]!,
      mismatches: 0,
      setupMs: 0,
      setupRssDeltaBytes: 0,
    })),
    mismatches: { count: 0, first: [] },
    memory: { rssStartBytes: 0, rssPeakSampledBytes: 0, maxRssBytes: 0 },
    timerFloorNs: 0,
    timerFloorSubtracted: true,
    wallMs: 0,
  };
}

// Deterministic "noisy" samples around a centre: ±2 % jitter.
export function around(centre: number, n = 100, phase = 0): number[] {
  return Array.from({ length: n }, (_, i) => centre * (1 + 0.02 * Math.sin(i * 1.7 + phase)));
}
