/**
 * Benchmarks of the decode loop itself (no runtime): per-step overhead with no-op models (sync
 * and async), the model calls `cache` saves over `recompute`, and what that saving is worth when
 * the prediction net costs twice the joint (the CPU anchor: decoder ~600 µs, joint ~300 µs); the
 * same for a stateless prediction net (the zipformer family, one symbol per frame); and the loop's
 * cost per row-step when 8 utterances run in lock step.
 * Run: `tsx bench/index.ts` (`EOU_BENCH_QUICK=1` or `--quick` for CI).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { interleave, quickMode, writeBenchResults } from '@eou/bench';
import {
  createStreamingDecoder,
  decodeBatchSync,
  decodeUtteranceSync,
  totalCalls,
  type DecodeConfigInput,
  type FusedStepModel,
  type JointOutput,
  type SplitStepModel,
  type StatelessStepModel,
  type StreamingDecoder,
} from '../src/index';

const quick = quickMode();
const H = 640;
const E = 512;
const V = 1027;
const BLANK = 1026;
const EOU = 1024;
/** Joint decisions cycled by the no-op models: ~1.5 steps per frame, like a speech-dense stretch. */
const pattern = [17, BLANK, BLANK, 230, 5, BLANK, 12, BLANK, BLANK, 800, BLANK];
const frameCount = quick ? 200 : 1000;
const frames = new Float32Array(frameCount * E).map((_, i) => (i % 97) / 97);

/** Busy-waits about `ns` nanoseconds (a stand-in for model compute). */
function spin(ns: number): void {
  if (ns <= 0) return;
  const end = process.hrtime.bigint() + BigInt(ns);
  while (process.hrtime.bigint() < end);
}

interface Counter {
  k: number;
}

function decide(counter: Counter, out: JointOutput): void {
  out.tokens[0] = pattern[counter.k++ % pattern.length]!;
  out.probs[0] = 0.9;
}

function splitModel(counter: Counter, sync: boolean, predictNs = 0, jointNs = 0): SplitStepModel {
  const dims = { hiddenSize: H, encoderDim: E, vocabSize: V, maxBatch: 1, isSync: sync };
  if (sync) {
    return {
      ...dims,
      kind: 'split',
      predict: () => spin(predictNs),
      joint: (_e, _d, out) => {
        spin(jointNs);
        decide(counter, out);
      },
    };
  }
  return {
    ...dims,
    kind: 'split',
    predict: async () => spin(predictNs),
    joint: async (_e, _d, out) => {
      spin(jointNs);
      decide(counter, out);
    },
  };
}

function fusedModel(counter: Counter, sync: boolean): FusedStepModel {
  const dims = { hiddenSize: H, encoderDim: E, vocabSize: V, maxBatch: 1, isSync: sync };
  return sync
    ? { ...dims, kind: 'fused', step: (_t, _h, _c, _e, out) => decide(counter, out) }
    : { ...dims, kind: 'fused', step: async (_t, _h, _c, _e, out) => decide(counter, out) };
}

const config = (predictionPolicy: 'recompute' | 'cache'): DecodeConfigInput => ({
  blankId: BLANK,
  eouId: EOU,
  maxSymbolsPerFrame: 2,
  eouPolicy: 'stop-chunk',
  predictionPolicy,
});

interface Setup {
  decoder: StreamingDecoder;
  counter: Counter;
}

/** One chunk of `frameCount` frames from the start state; the same steps every call. */
function runChunk(s: Setup): number | Promise<number> {
  s.counter.k = 0;
  s.decoder.reset();
  const r = s.decoder.decodeChunk(frames, frameCount);
  return r instanceof Promise ? r.then((x) => x.tokens.length) : r.tokens.length;
}

function make(model: (c: Counter) => SplitStepModel | FusedStepModel, policy: 'recompute' | 'cache'): Setup {
  const counter = { k: 0 };
  return { counter, decoder: createStreamingDecoder(model(counter), config(policy)) };
}

const arms = {
  'split-recompute-sync': make((c) => splitModel(c, true), 'recompute'),
  'split-cache-sync': make((c) => splitModel(c, true), 'cache'),
  'fused-sync': make((c) => fusedModel(c, true), 'recompute'),
  'split-recompute-async': make((c) => splitModel(c, false), 'recompute'),
  'fused-async': make((c) => fusedModel(c, false), 'recompute'),
};

// Steps and calls per chunk, measured once (they are the same on every call).
const perChunk: Record<
  string,
  { steps: number; tokens: number; predictCalls: number; jointCalls: number; stepCalls: number }
> = {};
for (const [name, s] of Object.entries(arms)) {
  const tokens = await runChunk(s);
  const st = s.decoder.totals;
  perChunk[name] = {
    steps: st.steps,
    tokens,
    predictCalls: st.predictCalls,
    jointCalls: st.jointCalls,
    stepCalls: st.stepCalls,
  };
}
const stepsPerChunk = perChunk['fused-sync']!.steps;

const overhead = await interleave({
  name: 'loop-overhead-no-op-model',
  unit: `chunk (${frameCount} frames, ${stepsPerChunk} steps)`,
  arms: Object.entries(arms).map(([name, s]) => ({ name, run: () => runChunk(s) })),
  warmup: quick ? 3 : 10,
  rounds: quick ? 30 : 200,
  compareOutputs: true,
});

// What the cache saves when the prediction net costs 2x the joint (anchor: ~600 µs vs ~300 µs on CPU),
// scaled down 100x so the suite stays short.
const costFrames = quick ? 20 : 60;
const costFramesData = frames.subarray(0, costFrames * E);
const costly = (policy: 'recompute' | 'cache'): Setup => make((c) => splitModel(c, true, 6000, 3000), policy);
const costArms = { recompute: costly('recompute'), cache: costly('cache') };
const costRun = (s: Setup): number => {
  s.counter.k = 0;
  s.decoder.reset();
  return s.decoder.decodeChunkSync(costFramesData, costFrames).tokens.length;
};
const cost = await interleave({
  name: 'cache-vs-recompute-costed-model',
  unit: `chunk (${costFrames} frames; predict 6 µs, joint 3 µs)`,
  arms: Object.entries(costArms).map(([name, s]) => ({ name, run: () => costRun(s) })),
  warmup: quick ? 2 : 5,
  rounds: quick ? 10 : 60,
  compareOutputs: true,
});

// Heap allocated by one long chunk, after a warm-up chunk has sized the buffers. Typed-array
// contents live outside the JS heap, so this counts objects (views, promises, closures): a loop that
// allocated per step would show bytes per step well above zero.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function heapPerStep(name: keyof typeof arms): {
  steps: number;
  heapDeltaBytes: number;
  bytesPerStep: number;
} {
  const s = arms[name];
  const longFrames = quick ? 2000 : 20000;
  const long = new Float32Array(longFrames * E);
  let steps = 0;
  let heapDeltaBytes = Infinity;
  // Early rounds size the buffers and frame views and settle the JIT; the least-allocating round is
  // the steady state.
  for (let round = 0; round < 6; round++) {
    s.decoder.reset();
    s.counter.k = 0;
    gc();
    const before = process.memoryUsage().heapUsed;
    steps = s.decoder.decodeChunkSync(long, longFrames).stats.steps;
    heapDeltaBytes = Math.min(heapDeltaBytes, process.memoryUsage().heapUsed - before);
  }
  return { steps, heapDeltaBytes, bytesPerStep: Math.round((heapDeltaBytes / steps) * 1000) / 1000 };
}
const allocation = {
  'split-cache-sync': heapPerStep('split-cache-sync'),
  'fused-sync': heapPerStep('fused-sync'),
};

// Batched decoding: 8 utterances in lock-step through a batch-capable no-op model vs 8 single decodes.
const batchCounter = { k: 0 };
const batchModel: SplitStepModel = {
  kind: 'split',
  isSync: true,
  hiddenSize: H,
  encoderDim: E,
  vocabSize: V,
  maxBatch: 8,
  predict: () => undefined,
  joint: (_e, _d, out) => {
    for (let r = 0; r < out.tokens.length; r++) {
      out.tokens[r] = pattern[(batchCounter.k + r * 3) % pattern.length]!;
      out.probs[r] = 0.9;
    }
    batchCounter.k++;
  },
};
const utterances = Array.from({ length: 8 }, (_, i) => ({
  frames: frames.subarray(0, (frameCount - i * 7) * E),
  frameCount: frameCount - i * 7,
}));
batchCounter.k = 0;
const batched = decodeBatchSync(batchModel, utterances, config('cache'));
batchCounter.k = 0;
const singleCalls = utterances.reduce((n, u) => {
  const r = decodeUtteranceSync({ ...batchModel, maxBatch: 1 }, u.frames, u.frameCount, config('cache'));
  return n + totalCalls(r.stats);
}, 0);
const batchCalls = { utterances: utterances.length, batchedCalls: totalCalls(batched.stats), singleCalls };

// A stateless prediction net (zipformer family: D = E = 320, V = 500, context 2, one symbol per
// frame), no-op model: loop overhead under both policies, and the calls `cache` saves.
const SV = 500;
const statelessPattern = [17, 0, 0, 230, 0, 5, 0, 0, 12, 0, 0, 0, 400, 0];
function statelessModel(counter: Counter): StatelessStepModel {
  return {
    kind: 'stateless',
    isSync: true,
    hiddenSize: 320,
    encoderDim: 320,
    vocabSize: SV,
    maxBatch: 1,
    contextSize: 2,
    predict: () => undefined,
    joint: (_e, _d, out) => {
      out.tokens[0] = statelessPattern[counter.k++ % statelessPattern.length]!;
      out.probs[0] = 0.9;
    },
  };
}
const statelessFrames = new Float32Array(frameCount * 320);
const statelessArms = Object.fromEntries(
  (['recompute', 'cache'] as const).map((policy) => {
    const counter = { k: 0 };
    const decoder = createStreamingDecoder(statelessModel(counter), { blankId: 0, predictionPolicy: policy });
    return [policy, { counter, decoder }];
  }),
);
const statelessRun = (s: Setup): number => {
  s.counter.k = 0;
  s.decoder.reset();
  return s.decoder.decodeChunkSync(statelessFrames, frameCount).tokens.length;
};
const stateless = await interleave({
  name: 'stateless-loop-overhead-no-op-model',
  unit: `chunk (${frameCount} frames, 1 symbol per frame)`,
  arms: Object.entries(statelessArms).map(([name, s]) => ({ name, run: () => statelessRun(s) })),
  warmup: quick ? 3 : 10,
  rounds: quick ? 30 : 200,
  compareOutputs: true,
});
const statelessCalls = Object.fromEntries(
  Object.entries(statelessArms).map(([name, s]) => {
    statelessRun(s);
    return [name, { predictCalls: s.decoder.totals.predictCalls, jointCalls: s.decoder.totals.jointCalls }];
  }),
);

// The loop's cost per row-step with 8 rows in lock step (no-op batch model) vs one row alone.
const lockStep = await interleave({
  name: 'lock-step-8-rows-no-op-model',
  unit: '8 utterances',
  arms: [
    {
      name: 'one-at-a-time',
      run: () => {
        batchCounter.k = 0;
        return utterances.map(
          (u) =>
            decodeUtteranceSync({ ...batchModel, maxBatch: 1 }, u.frames, u.frameCount, config('cache'))
              .tokens.length,
        );
      },
    },
    {
      name: 'lock-step',
      run: () => {
        batchCounter.k = 0;
        return decodeBatchSync(batchModel, utterances, config('cache')).utterances.map(
          (u) => u.tokens.length,
        );
      },
    },
  ],
  warmup: quick ? 3 : 10,
  rounds: quick ? 20 : 100,
});
batchCounter.k = 0;
const lockStepSteps = {
  'one-at-a-time': utterances.reduce(
    (n, u) =>
      n +
      decodeUtteranceSync({ ...batchModel, maxBatch: 1 }, u.frames, u.frameCount, config('cache')).stats
        .steps,
    0,
  ),
  'lock-step': batched.stats.steps,
};

const nsPerStep = Object.fromEntries(
  overhead.arms.map((a) => [a.name, Math.round((a.summary.median / perChunk[a.name]!.steps) * 1000) / 1000]),
);
const recompute = perChunk['split-recompute-sync']!;
const cache = perChunk['split-cache-sync']!;
const calls = (c: typeof recompute): number => totalCalls({ ...c, frames: 0, projectCalls: 0 });

await writeBenchResults({
  project: 'rnnt-decode',
  suites: [overhead, cost, stateless, lockStep],
  extra: {
    dims: { hiddenSize: H, encoderDim: E, vocabSize: V },
    frameCount,
    pattern,
    perChunk,
    /** Loop overhead per step (ns), median chunk time / steps; the goal is < 300 ns for sync models. */
    nsPerStep,
    goalNsPerStep: 300,
    meetsGoal: nsPerStep['split-recompute-sync']! < 300 && nsPerStep['fused-sync']! < 300,
    /** JS-heap bytes allocated per step by one long chunk (result objects included); ~0 means no per-step allocation. */
    allocation,
    /** Model calls of 8 utterances in lock-step vs one by one (a no-op batch model; decisions differ per row). */
    batchCalls,
    /**
     * Loop cost per row-step (ns) of 8 utterances decoded one at a time and in lock step (no-op
     * batch model, so this is the loop's own cost: lock step copies each row's frame into the batch).
     */
    lockStepNsPerRowStep: Object.fromEntries(
      lockStep.arms.map((a) => [
        a.name,
        Math.round((a.summary.median / lockStepSteps[a.name as keyof typeof lockStepSteps]) * 1000) / 1000,
      ]),
    ),
    /** Stateless net (context 2, 1 symbol per frame): loop overhead per step and the calls `cache` saves. */
    statelessNsPerStep: Object.fromEntries(
      stateless.arms.map((a) => [a.name, Math.round((a.summary.median / frameCount) * 1000) / 1000]),
    ),
    statelessCalls,
    callSaving: {
      recomputeCalls: calls(recompute),
      cacheCalls: calls(cache),
      predictCallsSaved: recompute.predictCalls - cache.predictCalls,
      fractionOfCallsSaved: Math.round((1 - calls(cache) / calls(recompute)) * 1000) / 1000,
      sameTokens: recompute.tokens === cache.tokens,
    },
  },
});
