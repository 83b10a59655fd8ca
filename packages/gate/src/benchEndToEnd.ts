/**
 * End-to-end RTFx priced at the host, the way the research priced its decode-loop fusion
 * (docs/reference-system.md §5.4): every variant runs the whole streaming loop (features, cache-aware
 * encoder, decode loop, EOU detector) on the same audio; per-file RTFx = audio seconds / wall seconds
 * of `process` + `finish` (reading the file excluded); the median over files. After warm-up the
 * variants alternate per file in rounds (a balanced order: with two variants AB, BA, AB, ...), so
 * drift hits both alike, and each file is run `passes` times per variant (its wall time is the
 * median of its passes). The time is split into features / encoder / decode, and the decode loop's
 * own speed-up is set against the end-to-end one: a 1.68x per-step gain was worth only about 1.08x
 * at the host in the seed, because the encoder and the streaming logic dominate.
 */
import {
  armOrder,
  bootstrapMedian,
  bootstrapMedianRatios,
  type BootstrapOptions,
  type MedianEstimate,
  type RatioEstimate,
} from '@eou/bench';
import { createStreamingTranscriber, readAudioFile, type StreamingModel } from '@eou/frontend';
import { readAudioManifest } from './audioManifest';
import type { VariantSpec } from '@eou/rnnt-decode';
import { openAudioModel } from './audioModel';

/** Options of {@link benchEndToEnd}. */
export interface BenchEndToEndOptions {
  readonly modelDir: string;
  /** Audio manifest (NeMo JSONL, Kaldi `wav.scp`, a Kaldi data directory). */
  readonly manifest: string;
  /** Variants; the first is the baseline of every ratio. */
  readonly variants: readonly string[];
  /** Variants declared by file, named in `variants` like the model's own. */
  readonly declaredVariants?: readonly VariantSpec<string>[];
  /** Schedule (default the model's). */
  readonly schedule?: string;
  /** Timed runs of each file per variant (default 2). */
  readonly passes?: number;
  /** Files run untimed by every variant first (default 2, at most the corpus). */
  readonly warmupFiles?: number;
  /** Only the first N files. */
  readonly maxFiles?: number;
  readonly resample?: boolean;
  readonly bootstrap?: BootstrapOptions;
  /** After each timed round. */
  readonly onRound?: (round: number, rounds: number) => void;
}

/** Time per stage of one variant, summed over files (each file's median pass), ms and shares. */
export interface StageSplit {
  readonly featuresMs: number;
  readonly encoderMs: number;
  readonly decodeMs: number;
  /** Wall time minus the three stages: the host's own streaming logic (buffers, detector, copies). */
  readonly otherMs: number;
  readonly shares: {
    readonly features: number;
    readonly encoder: number;
    readonly decode: number;
    readonly other: number;
  };
}

/** One variant's figures. */
export interface EndToEndVariant {
  readonly name: string;
  /** Median per-file RTFx with its bootstrap interval. */
  readonly rtfx: MedianEstimate;
  /** Σ audio seconds / Σ wall seconds. */
  readonly totalRtfx: number;
  readonly stages: StageSplit;
  /** Files whose tokens equal the baseline's (every pass). */
  readonly identicalFiles: number;
  /** Baseline-relative figures (null for the baseline). */
  readonly vsBaseline: {
    /** median(RTFx) / median(RTFx of the baseline), paired by file: above 1 = faster. */
    readonly e2eSpeedup: RatioEstimate;
    /** The decode loop alone: median(decode ms of the baseline) / median(decode ms), paired by file. */
    readonly decodeSpeedup: { readonly ratio: number; readonly ciLow: number; readonly ciHigh: number };
    /** decodeSpeedup / e2eSpeedup: how much of the loop's gain is lost at the host (1 = none). */
    readonly decodeToE2eRatio: number;
    /** What the decode speed-up predicts end to end from the baseline's decode share (Amdahl). */
    readonly predictedE2eSpeedup: number;
  } | null;
  /** Per-file RTFx (median pass), in file order. */
  readonly perFileRtfx: readonly number[];
}

/** What {@link benchEndToEnd} measured. */
export interface EndToEndResult {
  readonly schedule: string;
  readonly files: number;
  readonly audioSeconds: number;
  readonly passes: number;
  readonly warmupFiles: number;
  readonly order: string;
  readonly variants: readonly EndToEndVariant[];
  readonly method: string;
}

interface Run {
  wallMs: number;
  featuresMs: number;
  encoderMs: number;
  decodeMs: number;
  tokens: readonly number[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function runOnce(
  model: StreamingModel,
  schedule: string | undefined,
  samples: Float32Array,
): Promise<Run> {
  const t = createStreamingTranscriber(model.transcriberOptions(schedule));
  const t0 = performance.now();
  await t.process(samples);
  const r = await t.finish();
  const wallMs = performance.now() - t0;
  return { wallMs, ...r.timing, tokens: r.tokens };
}

/**
 * Measures every variant end to end (see the module comment).
 * @throws RangeError for bad options; the `FrontendError` of an audio file that cannot be read (a
 *   bench needs every file); `GateError` `E_BAD_MODEL` for a model or variant that cannot be opened
 */
export async function benchEndToEnd(options: BenchEndToEndOptions): Promise<EndToEndResult> {
  const passes = options.passes ?? 2;
  if (!Number.isSafeInteger(passes) || passes < 1)
    throw new RangeError(`\`passes\` must be an integer >= 1, got ${JSON.stringify(options.passes)}`);
  const names = [...options.variants];
  if (names.length === 0) throw new RangeError('`variants` must name at least one variant');
  if (new Set(names).size !== names.length)
    throw new RangeError(`\`variants\` names a variant twice (${names.join(', ')})`);
  const manifest = readAudioManifest(options.manifest);
  const entries = manifest.entries.slice(0, options.maxFiles ?? manifest.entries.length);
  const models: StreamingModel[] = [];
  try {
    for (const v of names)
      models.push(
        await openAudioModel(options.modelDir, {
          variant: v,
          ...(options.declaredVariants === undefined ? {} : { declaredVariants: options.declaredVariants }),
        }),
      );
    const rate = models[0]!.features.sampleRate;
    const audio: Float32Array[] = [];
    for (const e of entries)
      audio.push(
        (await readAudioFile(e.audioPath, { sampleRate: rate, resample: options.resample === true })).samples,
      );
    const seconds = audio.map((a) => a.length / rate);
    const schedule = options.schedule;
    const scheduleName = models[0]!.transcriberOptions(schedule).schedule.name;
    const warmup = Math.min(options.warmupFiles ?? 2, audio.length);
    for (let i = 0; i < warmup; i++) for (const m of models) await runOnce(m, schedule, audio[i]!);
    const runs = names.map(() => audio.map(() => [] as Run[]));
    const rounds = audio.length * passes;
    for (let r = 0; r < rounds; r++) {
      const file = r % audio.length;
      for (const k of armOrder(models.length, r, 'balanced'))
        runs[k]![file]!.push(await runOnce(models[k]!, schedule, audio[file]!));
      options.onRound?.(r + 1, rounds);
    }
    // Each file's figures: the median of its passes.
    const per = runs.map((byFile) =>
      byFile.map((list) => ({
        wallMs: median(list.map((x) => x.wallMs)),
        featuresMs: median(list.map((x) => x.featuresMs)),
        encoderMs: median(list.map((x) => x.encoderMs)),
        decodeMs: median(list.map((x) => x.decodeMs)),
        tokens: list.map((x) => JSON.stringify(x.tokens)),
      })),
    );
    const rtfxOf = (k: number) => per[k]!.map((f, i) => seconds[i]! / (Math.max(f.wallMs, 1e-6) / 1000));
    const rtfxs = names.map((_, k) => rtfxOf(k));
    const e2e = names.length > 1 ? bootstrapMedianRatios(rtfxs, options.bootstrap) : [];
    const decode =
      names.length > 1
        ? bootstrapMedianRatios(
            per.map((p) => p.map((f) => f.decodeMs)),
            options.bootstrap,
          )
        : [];
    const base = per[0]!;
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    const stagesOf = (k: number): StageSplit => {
      const p = per[k]!;
      const wall = sum(p.map((f) => f.wallMs));
      const featuresMs = sum(p.map((f) => f.featuresMs));
      const encoderMs = sum(p.map((f) => f.encoderMs));
      const decodeMs = sum(p.map((f) => f.decodeMs));
      const otherMs = Math.max(0, wall - featuresMs - encoderMs - decodeMs);
      const share = (x: number) => (wall > 0 ? Math.round((1e4 * x) / wall) / 1e4 : 0);
      return {
        featuresMs: round(featuresMs),
        encoderMs: round(encoderMs),
        decodeMs: round(decodeMs),
        otherMs: round(otherMs),
        shares: {
          features: share(featuresMs),
          encoder: share(encoderMs),
          decode: share(decodeMs),
          other: share(otherMs),
        },
      };
    };
    const baseStages = stagesOf(0);
    const variants = names.map((name, k): EndToEndVariant => {
      const stages = k === 0 ? baseStages : stagesOf(k);
      const identicalFiles = per[k]!.filter((f, i) => f.tokens.every((t) => t === base[i]!.tokens[0])).length;
      let vs: EndToEndVariant['vsBaseline'] = null;
      if (k > 0) {
        const ratio = e2e[k - 1]!;
        const d = decode[k - 1]!;
        const decodeSpeedup = { ratio: 1 / d.ratio, ciLow: 1 / d.ciHigh, ciHigh: 1 / d.ciLow };
        const p = baseStages.shares.decode;
        vs = {
          e2eSpeedup: ratio,
          decodeSpeedup,
          decodeToE2eRatio: decodeSpeedup.ratio / ratio.ratio,
          predictedE2eSpeedup: 1 / (1 - p + p / decodeSpeedup.ratio),
        };
      }
      return {
        name,
        rtfx: bootstrapMedian(rtfxs[k]!, options.bootstrap),
        totalRtfx: sum(seconds) / (sum(per[k]!.map((f) => f.wallMs)) / 1000),
        stages,
        identicalFiles,
        vsBaseline: vs,
        perFileRtfx: rtfxs[k]!,
      };
    });
    return {
      schedule: scheduleName,
      files: audio.length,
      audioSeconds: round(sum(seconds)),
      passes,
      warmupFiles: warmup,
      order: 'balanced (Williams): with two variants AB, BA, AB, ... per file',
      variants,
      method:
        'per-file RTFx = audio s / wall s of process + finish (file reading excluded), each file the median of its passes; variant RTFx = median over files, 95% percentile-bootstrap interval; speed-ups are ratios of medians paired by file (@eou/bench bootstrap); decode speed-up = median decode ms of the baseline / of the variant; predicted = 1 / ((1 - p) + p / decode speed-up), p = the baseline decode share',
    };
  } finally {
    for (const m of models) await m.close();
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;
