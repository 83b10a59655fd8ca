import { armOrder, orderCycle, type ArmOrder } from './armOrder';
import { BenchError } from './benchError';
import { bootstrapMedianRatios, type BootstrapOptions, type RatioEstimate } from './bootstrap';
import { firstDifference } from './deepEqual';
import os from 'node:os';
import { OUTLIER_Z_THRESHOLD, median, outlierIndices, summarize, type Summary } from './stats';
import { ratioTrust, type TrustVerdict } from './trust';

/** One contender. `run` is called once per iteration; what it returns is the output compared across arms. */
export interface Arm {
  readonly name: string;
  /**
   * One iteration of the work. A returned promise is awaited (inside the timed region); anything
   * else is the output. `round` is the timed round (0, 1, ...), negative during warm-up (-W .. -1),
   * the same for every arm within a round, so arms can pick the same input per round.
   */
  run(round: number): unknown;
  /** Called once before any call of `run` (model loading goes here, untimed). */
  setup?(): void | Promise<void>;
  /** Called once at the end, also after a failure. */
  teardown?(): void | Promise<void>;
  /**
   * Calls per sample for this arm, overriding the suite's `iterationsPerSample`. Giving a cheaper
   * arm more calls per sample evens out sample durations, so preemptions (which land on long
   * samples more often) bias no arm's median more than another's.
   */
  readonly iterationsPerSample?: number;
  /** With `compareOutputs`, set false for an arm that is not meant to give identical outputs (default true). */
  readonly compare?: boolean;
}

/** Options of {@link interleave}. */
export interface InterleaveOptions {
  /** Suite name, used in results and reports. */
  readonly name: string;
  /** The arms; the first is the baseline of every ratio. Names must be unique. */
  readonly arms: readonly Arm[];
  /** Untimed samples per arm before timing, in the same order as the rounds (default 10; at least one call always happens). */
  readonly warmup?: number;
  /** Timed rounds; each round takes one sample of every arm (default 200). */
  readonly rounds?: number;
  /**
   * Order of the arms within each round: `rotating` (ABC, BCA, CAB, ...; the default) or
   * `balanced` (a Williams design: every arm also follows every other arm equally often). See
   * {@link armOrder}.
   */
  readonly order?: ArmOrder;
  /** Calls per sample; the sample is the elapsed time divided by it. Use > 1 for sub-microsecond work (default 1). */
  readonly iterationsPerSample?: number;
  /**
   * Shortest sample, ns (default 1 ms): after warm-up each arm's calls per sample are raised until
   * one sample lasts at least this long, so a sample spreads one scheduler preemption over several
   * calls instead of absorbing it whole. 0 keeps `iterationsPerSample` as given.
   */
  readonly minSampleNs?: number;
  /** Compare every arm's output with the reference arm's output in each round (default false). */
  readonly compareOutputs?: boolean;
  /**
   * Name of the arm whose outputs the others are compared with (default: the first arm with
   * `compare !== false`). Ratios stay against the first arm: the baseline of speed need not be the
   * reference of outputs (`eou bench --variants lean,ref` times against `lean`, checks against `ref`).
   */
  readonly compareTo?: string;
  /** Label of one iteration, e.g. `step` (default `iteration`). */
  readonly unit?: string;
  /** Modified z-score above which a sample is flagged as an outlier (default 3.5). */
  readonly outlierThreshold?: number;
  /** Bootstrap settings of the ratio intervals (default 2000 resamples, seed 1, 95 %). */
  readonly bootstrap?: BootstrapOptions;
  /**
   * Subtract the timer floor (median of back-to-back `process.hrtime.bigint()` pairs, measured
   * before the rounds) from every sample before dividing by `iterationsPerSample`; samples are
   * clamped at 0. It removes a constant of ~50-100 ns that otherwise biases ratios of short arms
   * toward 1 (a 25 µs arm and its 2x twin measure 1.995 instead of 2). Default true; the floor is
   * reported either way.
   */
  readonly subtractTimerFloor?: boolean;
  /** Call `globalThis.gc()` between rounds, outside the timed region, when Node runs with `--expose-gc` (default false). */
  readonly gcBetweenRounds?: boolean;
  /** Called after each timed round (outside the timed region), e.g. for a progress line. */
  readonly onRound?: (round: number, rounds: number) => void;
}

/** One round in which an arm's output differed from the reference arm's output. */
export interface OutputMismatch {
  /** 0-based timed round. */
  readonly round: number;
  readonly arm: string;
  /** The arm compared against (`compareTo`, else the first arm with `compare !== false`). */
  readonly reference: string;
  /** Where the outputs first differ, e.g. `$.tokenId[0]`. */
  readonly path: string;
}

/** Timing of one arm. Times are nanoseconds per iteration. Fields marked optional are absent from results written before they existed. */
export interface ArmResult {
  readonly name: string;
  /** `async` when `run` returned a promise on its first call; such arms are awaited in the timed region. */
  readonly kind: 'sync' | 'async';
  /** Calls per sample: the arm's own or the suite's, raised to reach `minSampleNs`. */
  readonly iterationsPerSample: number;
  /** CPU time (user + system, `process.cpuUsage`, µs resolution) per iteration of each sample, ns. */
  readonly cpuSamplesNs?: number[];
  /** Median over samples of CPU time / wall time: well below 1 means the arm waited for a core. */
  readonly cpuShare?: number | null;
  /** Sample i was taken in timed round i (so arms are paired by index). */
  readonly samplesNs: number[];
  readonly summary: Summary;
  /** Samples flagged by modified z-score; they stay in every statistic. */
  readonly outliers: { readonly threshold: number; readonly count: number; readonly rounds: number[] };
  /** median(this) / median(first arm) with a bootstrap interval; null for the first arm. */
  readonly ratio: RatioEstimate | null;
  /** Whether `ratio` can be trusted, with reasons; null for the first arm. */
  readonly trust?: TrustVerdict | null;
  /** Rounds whose output differed from the reference arm (0 without `compareOutputs`). */
  readonly mismatches: number;
  readonly setupMs: number;
  /** Resident set size growth across `setup` (bytes; negative when the GC shrank the heap). */
  readonly setupRssDeltaBytes: number;
}

/** Result of {@link interleave}; plain JSON. */
export interface SuiteResult {
  readonly name: string;
  readonly unit: string;
  readonly warmup: number;
  readonly rounds: number;
  readonly iterationsPerSample: number;
  /** Shortest sample the calls per sample were calibrated to, ns. */
  readonly minSampleNs?: number;
  /** 1-minute load averages at the start and end of the suite, and the logical CPU count. */
  readonly load?: { readonly start: number; readonly end: number; readonly cpus: number };
  /** `rotating`: round r runs arm (r + j) mod k at position j (ABC, BCA, CAB, ...); `balanced`: Williams design. */
  readonly order: ArmOrder;
  readonly compareOutputs: boolean;
  readonly arms: ArmResult[];
  /** All rounds with differing outputs: the count, and the first 100 in detail. */
  readonly mismatches: { readonly count: number; readonly first: OutputMismatch[] };
  readonly memory: {
    readonly rssStartBytes: number;
    /** Highest RSS sampled after setup and after every round. */
    readonly rssPeakSampledBytes: number;
    /** `process.resourceUsage().maxRSS`: the process's peak so far (includes earlier suites). */
    readonly maxRssBytes: number;
  };
  /** Median cost of an empty timed region (two timer reads), ns; measured before the rounds. */
  readonly timerFloorNs: number;
  /** Whether `timerFloorNs` was subtracted from every sample. */
  readonly timerFloorSubtracted: boolean;
  /** Wall time of the whole suite, setup to teardown. */
  readonly wallMs: number;
}

const MAX_MISMATCH_DETAILS = 100;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Median over samples of CPU time / wall time, or null when samples are too short for the
 * microsecond CPU clock (under 200 µs of wall time per sample).
 */
function cpuShare(wallNs: readonly number[], cpuNs: readonly number[], calls: number): number | null {
  const shares: number[] = [];
  for (let i = 0; i < wallNs.length; i++) {
    const w = wallNs[i] as number;
    if (w * calls >= 200_000) shares.push((cpuNs[i] as number) / w);
  }
  return shares.length > 0 ? median(shares) : null;
}

/** Median of back-to-back high-resolution timer reads: the floor of any timed sample, in ns. */
export function measureTimerFloor(samples = 1001): number {
  const xs = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    const t1 = process.hrtime.bigint();
    xs[i] = Number(t1 - t0);
  }
  xs.sort();
  return xs[samples >> 1] as number;
}

// A synchronous arm returned a promise: its rejection is silenced (it is reported as this error).
function kindChanged(
  arm: string,
  phase: 'warmup' | 'timed',
  round: number,
  out: PromiseLike<unknown>,
): BenchError {
  Promise.resolve(out).catch(() => undefined);
  return new BenchError(
    'E_ARM_KIND',
    `arm "${arm}" returned a promise in ${phase} round ${round} but not on its first call; make run() always sync or always async`,
    { arm, phase, round },
  );
}

function checkCount(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`\`options.${name}\` must be an integer >= ${min}, got ${value}`);
}

function fail(phase: string, arm: string, cause: unknown, round?: number): BenchError {
  const where = round === undefined ? phase : `${phase} round ${round}`;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new BenchError('E_ARM', `arm "${arm}" failed in ${where}: ${reason}`, {
    arm,
    phase,
    ...(round === undefined ? {} : { round }),
    cause,
  });
}

/**
 * Times arms in interleaved rounds. Each arm is set up once, warmed up untimed, then sampled once
 * per round in a rotating order (ABC, BCA, CAB, ...; or a Williams design), so drift, thermal throttling and neighbours'
 * load hit every arm alike and every arm runs equally often at every position. Synchronous arms
 * are called with no `await` in the timed region; arms whose first call returns a promise are
 * awaited. With `compareOutputs`, outputs are compared after each round and mismatches are counted
 * and reported with their round, never hidden. Teardown runs even when an arm throws.
 *
 * @throws RangeError on bad options; BenchError `E_ARM` when an arm throws (with arm, phase and
 *   round), `E_ARM_KIND` when a synchronous arm later returns a promise.
 */
export async function interleave(options: InterleaveOptions): Promise<SuiteResult> {
  const { name, arms } = options;
  const warmup = options.warmup ?? 10;
  const rounds = options.rounds ?? 200;
  const ips = options.iterationsPerSample ?? 1;
  const minSampleNs = options.minSampleNs ?? 1e6;
  if (!(minSampleNs >= 0)) throw new RangeError(`\`options.minSampleNs\` must be >= 0, got ${minSampleNs}`);
  const loadStart = os.loadavg()[0] as number;
  const compareOutputs = options.compareOutputs ?? false;
  const threshold = options.outlierThreshold ?? OUTLIER_Z_THRESHOLD;
  const order = options.order ?? 'rotating';
  if (order !== 'rotating' && order !== 'balanced')
    throw new RangeError(`\`options.order\` must be 'rotating' or 'balanced', got ${JSON.stringify(order)}`);
  if (typeof name !== 'string' || name === '')
    throw new TypeError('`options.name` must be a non-empty string');
  if (!Array.isArray(arms) || arms.length === 0)
    throw new RangeError('`options.arms` must hold at least one arm');
  const seen = new Set<string>();
  arms.forEach((arm, i) => {
    if (typeof arm?.run !== 'function') throw new TypeError(`\`options.arms[${i}].run\` must be a function`);
    if (seen.has(arm.name)) throw new RangeError(`\`options.arms[${i}].name\` "${arm.name}" is used twice`);
    seen.add(arm.name);
  });
  checkCount(warmup, 'warmup', 0);
  checkCount(rounds, 'rounds', 1);
  checkCount(ips, 'iterationsPerSample', 1);
  const armIps = arms.map((arm, i) => {
    const n = arm.iterationsPerSample ?? ips;
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`\`options.arms[${i}].iterationsPerSample\` must be an integer >= 1, got ${n}`);
    return n;
  });

  const k = arms.length;
  const cycle = orderCycle(k, order);
  const orders = Array.from({ length: cycle }, (_, r) => armOrder(k, r, order));
  const rowOf = (round: number): number[] => orders[((round % cycle) + cycle) % cycle] as number[];
  const gc = options.gcBetweenRounds ? (globalThis as { gc?: () => void }).gc : undefined;
  const started = process.hrtime.bigint();
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const samples = arms.map(() => new Float64Array(rounds));
  const cpuSamples = arms.map(() => new Float64Array(rounds));
  const kinds: ('sync' | 'async')[] = arms.map(() => 'sync');
  const setupMs = arms.map(() => 0);
  const setupRss = arms.map(() => 0);
  const mismatchCounts = arms.map(() => 0);
  const mismatchDetails: OutputMismatch[] = [];
  let mismatchTotal = 0;
  const referenceIndex =
    options.compareTo === undefined
      ? arms.findIndex((a) => a.compare !== false)
      : arms.findIndex((a) => a.name === options.compareTo);
  if (options.compareTo !== undefined && (referenceIndex < 0 || arms[referenceIndex]!.compare === false))
    throw new RangeError(
      `\`options.compareTo\` must name a comparing arm (${arms
        .filter((a) => a.compare !== false)
        .map((a) => a.name)
        .join(', ')}), got ${JSON.stringify(options.compareTo)}`,
    );
  const outputs: unknown[] = new Array(k);
  let setUp = 0;
  let timerFloor = 0;
  let failure: unknown;
  // Keeps outputs observable so the JIT cannot drop the work that produced them.
  let sink: unknown;

  try {
    for (let a = 0; a < k; a++) {
      const arm = arms[a] as Arm;
      const rss0 = process.memoryUsage.rss();
      const t0 = process.hrtime.bigint();
      try {
        await arm.setup?.();
      } catch (cause) {
        throw fail('setup', arm.name, cause);
      }
      setUp = a + 1;
      setupMs[a] = Number(process.hrtime.bigint() - t0) / 1e6;
      const rss1 = process.memoryUsage.rss();
      setupRss[a] = rss1 - rss0;
      rssPeak = Math.max(rssPeak, rss1);
    }

    // Untimed: the first call of each arm tells sync from async; then warm-up in the rounds' order.
    const warmRounds = Math.max(warmup, 1);
    const warmBest = arms.map(() => Infinity);
    for (let w = 0; w < warmRounds; w++) {
      const round = w - warmRounds;
      const row = rowOf(round);
      for (let j = 0; j < k; j++) {
        const a = row[j] as number;
        const arm = arms[a] as Arm;
        const calls = armIps[a] as number;
        const w0 = process.hrtime.bigint();
        try {
          for (let i = 0; i < calls; i++) {
            const out = arm.run(round);
            if (w === 0 && i === 0 && isThenable(out)) kinds[a] = 'async';
            if (kinds[a] === 'sync' && isThenable(out)) throw kindChanged(arm.name, 'warmup', w, out);
            sink = kinds[a] === 'async' ? await out : out;
          }
        } catch (cause) {
          throw cause instanceof BenchError ? cause : fail('warmup', arm.name, cause, w);
        }
        warmBest[a] = Math.min(warmBest[a] as number, Number(process.hrtime.bigint() - w0) / calls);
      }
    }

    // Calibration: the fastest warm-up sample of each arm sets its calls per sample.
    if (minSampleNs > 0)
      for (let a = 0; a < k; a++)
        armIps[a] = Math.min(
          Math.max(armIps[a] as number, Math.ceil(minSampleNs / Math.max(warmBest[a] as number, 1))),
          100_000,
        );
    timerFloor = measureTimerFloor();
    const floor = options.subtractTimerFloor === false ? 0 : timerFloor;
    for (let r = 0; r < rounds; r++) {
      const row = rowOf(r);
      for (let j = 0; j < k; j++) {
        const a = row[j] as number;
        const arm = arms[a] as Arm;
        const calls = armIps[a] as number;
        let out: unknown;
        let t0: bigint;
        let t1: bigint;
        let cpu: NodeJS.CpuUsage;
        try {
          const cpu0 = process.cpuUsage();
          if (kinds[a] === 'sync') {
            t0 = process.hrtime.bigint();
            for (let i = 0; i < calls; i++) out = arm.run(r);
            t1 = process.hrtime.bigint();
          } else {
            t0 = process.hrtime.bigint();
            for (let i = 0; i < calls; i++) out = await arm.run(r);
            t1 = process.hrtime.bigint();
          }
          cpu = process.cpuUsage(cpu0);
        } catch (cause) {
          throw fail('timed', arm.name, cause, r);
        }
        if (kinds[a] === 'sync' && isThenable(out)) throw kindChanged(arm.name, 'timed', r, out);
        (samples[a] as Float64Array)[r] = Math.max(0, Number(t1 - t0) - floor) / calls;
        (cpuSamples[a] as Float64Array)[r] = ((cpu.user + cpu.system) * 1000) / calls;
        outputs[a] = out;
      }
      sink = outputs[0];
      if (compareOutputs && referenceIndex >= 0) {
        for (let a = 0; a < k; a++) {
          if (a === referenceIndex || (arms[a] as Arm).compare === false) continue;
          const path = firstDifference(outputs[referenceIndex], outputs[a]);
          if (path === null) continue;
          mismatchCounts[a] = (mismatchCounts[a] as number) + 1;
          mismatchTotal++;
          if (mismatchDetails.length < MAX_MISMATCH_DETAILS)
            mismatchDetails.push({
              round: r,
              arm: (arms[a] as Arm).name,
              reference: (arms[referenceIndex] as Arm).name,
              path,
            });
        }
      }
      outputs.fill(undefined);
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      gc?.();
      options.onRound?.(r, rounds);
    }
  } catch (error) {
    failure = error;
  } finally {
    for (let a = setUp - 1; a >= 0; a--) {
      const arm = arms[a] as Arm;
      try {
        await arm.teardown?.();
      } catch (cause) {
        failure ??= fail('teardown', arm.name, cause);
      }
    }
  }
  // Rethrows what the timed loop caught, unchanged (a BenchError from `fail`, or the arm's own error).
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (failure !== undefined) throw failure;
  void sink;

  const sampleArrays = samples.map((s) => Array.from(s));
  const ratios = k > 1 ? bootstrapMedianRatios(sampleArrays, options.bootstrap) : [];
  const loadEnd = os.loadavg()[0] as number;
  const cpus = os.cpus().length;
  const cpuArrays = cpuSamples.map((s) => Array.from(s));
  const flaggedByArm = sampleArrays.map((values) => outlierIndices(values, threshold));
  const shareOf = (a: number): number | null =>
    cpuShare(sampleArrays[a] as number[], cpuArrays[a] as number[], armIps[a] as number);
  const armResults: ArmResult[] = arms.map((arm, a) => {
    const values = sampleArrays[a] as number[];
    const flagged = flaggedByArm[a] as number[];
    const ratio = a === 0 ? null : (ratios[a - 1] as RatioEstimate);
    return {
      name: arm.name,
      kind: kinds[a] as 'sync' | 'async',
      iterationsPerSample: armIps[a] as number,
      samplesNs: values,
      cpuSamplesNs: cpuArrays[a] as number[],
      cpuShare: shareOf(a),
      summary: summarize(values),
      outliers: { threshold, count: flagged.length, rounds: flagged },
      ratio,
      trust:
        ratio === null
          ? null
          : ratioTrust({
              ratio,
              loadAverages: [loadStart, loadEnd],
              cpus,
              processRatios: [ratio.ratio],
              outlierShares: [flagged.length / rounds, (flaggedByArm[0] as number[]).length / rounds],
              cpuShares: [shareOf(a), shareOf(0)],
              processes: 1,
            }),
      mismatches: mismatchCounts[a] as number,
      setupMs: setupMs[a] as number,
      setupRssDeltaBytes: setupRss[a] as number,
    };
  });
  return {
    name,
    unit: options.unit ?? 'iteration',
    warmup,
    rounds,
    iterationsPerSample: ips,
    minSampleNs,
    load: { start: loadStart, end: loadEnd, cpus },
    order,
    compareOutputs,
    arms: armResults,
    mismatches: { count: mismatchTotal, first: mismatchDetails },
    memory: {
      rssStartBytes: rssStart,
      rssPeakSampledBytes: rssPeak,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    },
    timerFloorNs: timerFloor,
    timerFloorSubtracted: options.subtractTimerFloor !== false,
    wallMs: Number(process.hrtime.bigint() - started) / 1e6,
  };
}
