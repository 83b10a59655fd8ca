// Benchmarks of the harness itself: the timing floor of an empty arm (what one sample costs
// beyond the work: two hrtime reads and a call), and the cost of the statistics.
// Run: `npm run bench` (or EOU_BENCH_QUICK=1 for CI); writes bench-results/bench.json.
import { bootstrapMedianRatios, interleave, quickMode, summarize, writeBenchResults } from '../src/index';

const quick = quickMode();
const warmup = quick ? 3 : 10;
const rounds = quick ? 30 : 200;

const floor = await interleave({
  name: 'timing-floor',
  unit: 'call',
  arms: [
    { name: 'empty-sync', run: () => undefined },
    { name: 'hrtime-read', run: () => process.hrtime.bigint() },
    { name: 'empty-async', run: async () => undefined },
  ],
  warmup,
  rounds,
  subtractTimerFloor: false, // this suite measures the floor itself
});

const perCall = await interleave({
  name: 'call-overhead',
  unit: 'call',
  arms: [
    { name: 'empty-sync', run: () => undefined },
    { name: 'empty-async', run: async () => undefined },
  ],
  warmup,
  rounds,
  iterationsPerSample: 1000,
});

const samples = Array.from({ length: 3 }, (_, a) =>
  Array.from({ length: 200 }, (_, i) => 1000 + ((i * 7919 + a) % 97)),
);
const statistics = await interleave({
  name: 'statistics',
  unit: 'call',
  arms: [
    { name: 'summarize-200', run: () => summarize(samples[0] as number[]) },
    { name: 'bootstrap-3x200-2000', run: () => bootstrapMedianRatios(samples) },
  ],
  warmup: quick ? 1 : 3,
  rounds: quick ? 10 : 50,
});

await writeBenchResults({
  project: 'bench',
  suites: [floor, perCall, statistics],
  extra: {
    note: 'timing-floor: per-sample cost with iterationsPerSample = 1; call-overhead: per call with 1000 calls per sample',
  },
});
