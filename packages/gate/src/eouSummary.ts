/**
 * The end-of-utterance part of the gate report: per variant, EOU latency after the end of speech
 * (p50/p90/p99 in audio ms), the early-cut and missed-EOU rates, the model's raw `<EOU>` signal
 * latency, the paired per-utterance difference vs the reference, and for streams of several
 * utterances whether decoding went on after each EOU. Computed from the results log alone (each line
 * carries its speech truth and chunking), so resumed and merged runs agree. The rule metrics it
 * defines are passed to `@eou/wer`'s rule evaluation as caller-defined metrics: `@eou/wer` itself
 * knows nothing of EOU.
 */
import type { ExtraRuleMetrics, GateRule } from '@eou/wer';
import { describeEouDetector, type EouDetectorSpec } from './eouDetectorSpec';
import { fileEouTiming, type UtteranceOutcome } from './eouTiming';
import { nearestRank } from './quantile';
import type { FileResult } from './resultsLog';

/** Latency percentiles (ms), or null when nothing was measured. */
export interface LatencyPercentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
}

/** One variant's EOU figures. */
export interface EouVariantSummary {
  readonly variant: string;
  /** Utterances with a known end of speech. */
  readonly utterances: number;
  /** Utterances with an EOU at or after their end of speech (the latency sample). */
  readonly detected: number;
  readonly latencyMs: LatencyPercentiles | null;
  readonly signalLatencyMs: LatencyPercentiles | null;
  readonly earlyCuts: number;
  readonly missed: number;
  /** earlyCuts / utterances, and missed / utterances (fractions). */
  readonly earlyCutRate: number;
  readonly missedRate: number;
  /** Candidates: differences vs the reference (the reference: all 0). */
  readonly vsReference: {
    /** p50/p90/p99 of this variant minus those of the reference, ms. */
    readonly p50DeltaMs: number | null;
    readonly p90DeltaMs: number | null;
    readonly p99DeltaMs: number | null;
    /** Per-utterance latency differences on utterances both detected: count, mean, p50, p90, and how many moved. */
    readonly paired: {
      readonly utterances: number;
      readonly meanDeltaMs: number | null;
      readonly p50DeltaMs: number | null;
      readonly p90DeltaMs: number | null;
      readonly changed: number;
    };
    readonly earlyCutRateDeltaPp: number;
    readonly missedRateDeltaPp: number;
  };
  /** Streams of several utterances. */
  readonly multiUtterance: {
    readonly streams: number;
    readonly utterances: number;
    readonly utterancesWithoutWords: number;
    readonly utterancesWithoutEou: number;
    readonly streamsStoppedAfterEou: number;
  };
  /** Every measured latency (ms), in manifest order, for plots. */
  readonly latencies: readonly number[];
}

/** The EOU section of a report. */
export interface EouSummary {
  /** The replayed detector, e.g. `eou-debounce(silence-since-last-token, 1280 ms)`. */
  readonly detector: string;
  readonly detectorSpec: EouDetectorSpec;
  /** Silence the detector was replayed over after each file's end, ms. */
  readonly listenMs: number;
  /** Whether the decoder was reset on each confirmed EOU. */
  readonly resetOnEndOfUtterance: boolean;
  /** Scored files by where their end of speech came from. */
  readonly endOfSpeech: { readonly manifest: number; readonly vad: number; readonly none: number };
  /** Files by the chunking the detector was replayed with (schedule name -> files). */
  readonly chunking: Readonly<Record<string, number>>;
  readonly utterances: number;
  readonly multiUtteranceStreams: number;
  readonly variants: readonly EouVariantSummary[];
  readonly definitions: string;
}

/** What EOU timing is replayed with. */
export interface EouContext {
  readonly detector: EouDetectorSpec;
  /** Undefined for a model without an EOU token (endpoint rules end its utterances). */
  readonly eouId: number | undefined;
  /** Audio ms the host listens on after each file ends (see `replayEndOfUtterance`). */
  readonly listenMs: number;
  /** The decoder was reset on each confirmed EOU (the host starts every utterance afresh). */
  readonly resetOnEndOfUtterance?: boolean;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function percentiles(values: readonly number[]): LatencyPercentiles | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return {
    p50: nearestRank(s, 0.5),
    p90: nearestRank(s, 0.9),
    p99: nearestRank(s, 0.99),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

const diff = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? null : round(a - b);

const LATENCY_DEFINITIONS =
  'Latency = the first EOU the detector confirmed at or after the end of speech (before the next utterance starts) minus that end of speech, in audio ms; percentiles are nearest-rank (sorted[round(p(n-1))]) over the utterances that got one. Early cut = an EOU confirmed before the end of speech; missed = none at or after it.';
const PAIRED_DEFINITION = 'Paired deltas compare the candidate with the reference on the same utterances.';

/** The definitions, printed under the report's EOU section (of a model with an `<EOU>` token). */
export const EOU_DEFINITIONS = `${LATENCY_DEFINITIONS} Signal = the model's own <EOU> token (frame end), before any debounce. ${PAIRED_DEFINITION}`;

/**
 * The definitions for a model without an `<EOU>` token: nothing signals, the EOU policy has no effect,
 * and the detector's rules alone end utterances.
 */
export const EOU_DEFINITIONS_WITHOUT_TOKEN = `${LATENCY_DEFINITIONS} Signal: none, the model has no <EOU> token (so the EOU policy has no effect); the detector's rules alone end utterances. ${PAIRED_DEFINITION}`;

/**
 * The EOU summary of scored results, or undefined when no file has a known end of speech.
 * @param files the scored (status ok) results in manifest order
 */
export function summarizeEou(
  files: readonly FileResult[],
  variants: readonly string[],
  ctx: EouContext,
): EouSummary | undefined {
  const measured = files.filter((f) => f.speech !== undefined && f.chunking !== undefined);
  if (measured.length === 0) return undefined;
  const endOfSpeech = { manifest: 0, vad: 0, none: files.length - measured.length };
  const chunking: Record<string, number> = {};
  for (const f of measured) {
    endOfSpeech[f.speech!.source] += 1;
    chunking[f.chunking!.schedule] = (chunking[f.chunking!.schedule] ?? 0) + 1;
  }
  const outcomes = new Map<string, { utt: UtteranceOutcome[]; stopped: number }>();
  const multi = measured.filter((f) => f.speech!.utterances.length > 1);
  const multiIds = new Set(multi.map((f) => f.id));
  const perMulti = new Map<string, UtteranceOutcome[]>();
  for (const v of variants) {
    const utt: UtteranceOutcome[] = [];
    const multiUtt: UtteranceOutcome[] = [];
    let stopped = 0;
    for (const f of measured) {
      const r = f.variants[v]!;
      const timing = fileEouTiming(
        ctx.detector,
        f.chunking!,
        { tokens: r.tokens, tokenFrames: r.tokenFrames ?? [], eouFrames: r.eouFrames },
        ctx.eouId,
        f.speech!,
        ctx.listenMs,
      );
      utt.push(...timing.utterances);
      if (multiIds.has(f.id)) {
        multiUtt.push(...timing.utterances);
        if (timing.stoppedAfterEou) stopped += 1;
      }
    }
    outcomes.set(v, { utt, stopped });
    perMulti.set(v, multiUtt);
  }
  const ref = outcomes.get(variants[0]!)!.utt;
  const refLat = percentiles(ref.flatMap((o) => (o.latencyMs === null ? [] : [o.latencyMs])));
  const n = ref.length;
  const summaries = variants.map((v): EouVariantSummary => {
    const { utt, stopped } = outcomes.get(v)!;
    const lat = utt.flatMap((o) => (o.latencyMs === null ? [] : [o.latencyMs]));
    const p = percentiles(lat);
    const earlyCuts = utt.filter((o) => o.earlyCut).length;
    const missed = utt.filter((o) => o.latencyMs === null).length;
    const refEarly = ref.filter((o) => o.earlyCut).length;
    const refMissed = ref.filter((o) => o.latencyMs === null).length;
    const deltas: number[] = [];
    utt.forEach((o, i) => {
      const r = ref[i]!.latencyMs;
      if (o.latencyMs !== null && r !== null) deltas.push(round(o.latencyMs - r));
    });
    const sortedDeltas = [...deltas].sort((a, b) => a - b);
    const mu = perMulti.get(v)!;
    return {
      variant: v,
      utterances: n,
      detected: lat.length,
      latencyMs: p,
      signalLatencyMs: percentiles(
        utt.flatMap((o) => (o.signalLatencyMs === null ? [] : [o.signalLatencyMs])),
      ),
      earlyCuts,
      missed,
      earlyCutRate: n ? round(earlyCuts / n) : 0,
      missedRate: n ? round(missed / n) : 0,
      vsReference: {
        p50DeltaMs: diff(p?.p50, refLat?.p50),
        p90DeltaMs: diff(p?.p90, refLat?.p90),
        p99DeltaMs: diff(p?.p99, refLat?.p99),
        paired: {
          utterances: deltas.length,
          meanDeltaMs: deltas.length ? round(deltas.reduce((a, b) => a + b, 0) / deltas.length) : null,
          p50DeltaMs: deltas.length ? nearestRank(sortedDeltas, 0.5) : null,
          p90DeltaMs: deltas.length ? nearestRank(sortedDeltas, 0.9) : null,
          changed: deltas.filter((d) => d !== 0).length,
        },
        earlyCutRateDeltaPp: n ? round((100 * (earlyCuts - refEarly)) / n) : 0,
        missedRateDeltaPp: n ? round((100 * (missed - refMissed)) / n) : 0,
      },
      multiUtterance: {
        streams: multi.length,
        utterances: mu.length,
        utterancesWithoutWords: mu.filter((o) => o.tokens === 0).length,
        utterancesWithoutEou: mu.filter((o) => o.latencyMs === null).length,
        streamsStoppedAfterEou: stopped,
      },
      latencies: lat,
    };
  });
  return {
    detector: describeEouDetector(ctx.detector),
    detectorSpec: ctx.detector,
    listenMs: ctx.listenMs,
    resetOnEndOfUtterance: ctx.resetOnEndOfUtterance === true,
    endOfSpeech,
    chunking,
    utterances: n,
    multiUtteranceStreams: multi.length,
    variants: summaries,
    definitions: ctx.eouId === undefined ? EOU_DEFINITIONS_WITHOUT_TOKEN : EOU_DEFINITIONS,
  };
}

/** The EOU metrics a gate rule may name (per candidate); NaN when the corpus has no end of speech. */
export const eouRuleMetricNames = [
  'eouLatencyP50DeltaMs',
  'eouLatencyP90DeltaMs',
  'eouLatencyP99DeltaMs',
  'eouLatencyPairedP90DeltaMs',
  'earlyCutRateDeltaPp',
  'missedEouRateDeltaPp',
  'eouLatencyP50Ms',
  'eouLatencyP90Ms',
  'eouLatencyP99Ms',
  'earlyCutRatePp',
  'missedEouRatePp',
  'utterancesWithoutWords',
  'utterancesWithoutEou',
  'streamsStoppedAfterEou',
] as const;

/** The rules the gate adds by default when the corpus knows its ends of speech. */
export const defaultEouRules: readonly GateRule[] = [
  { metric: 'eouLatencyP90DeltaMs', op: '<=', threshold: 40 },
  { metric: 'earlyCutRateDeltaPp', op: '<=', threshold: 0.5 },
  { metric: 'missedEouRateDeltaPp', op: '<=', threshold: 0.5 },
];

/** The EOU rule metrics of a summary, for `@eou/wer`'s `evaluateRules`. */
export function eouRuleMetrics(summary: EouSummary | undefined): ExtraRuleMetrics {
  const of = (pick: (s: EouVariantSummary) => number | null | undefined) => (system: string) => {
    const s = summary?.variants.find((v) => v.variant === system);
    const value = s === undefined ? undefined : pick(s);
    return value === null || value === undefined ? NaN : value;
  };
  const multi = (pick: (s: EouVariantSummary['multiUtterance']) => number) =>
    of((s) => (s.multiUtterance.streams === 0 ? null : pick(s.multiUtterance)));
  return {
    eouLatencyP50DeltaMs: of((s) => s.vsReference.p50DeltaMs),
    eouLatencyP90DeltaMs: of((s) => s.vsReference.p90DeltaMs),
    eouLatencyP99DeltaMs: of((s) => s.vsReference.p99DeltaMs),
    eouLatencyPairedP90DeltaMs: of((s) => s.vsReference.paired.p90DeltaMs),
    earlyCutRateDeltaPp: of((s) => s.vsReference.earlyCutRateDeltaPp),
    missedEouRateDeltaPp: of((s) => s.vsReference.missedRateDeltaPp),
    eouLatencyP50Ms: of((s) => s.latencyMs?.p50),
    eouLatencyP90Ms: of((s) => s.latencyMs?.p90),
    eouLatencyP99Ms: of((s) => s.latencyMs?.p99),
    earlyCutRatePp: of((s) => 100 * s.earlyCutRate),
    missedEouRatePp: of((s) => 100 * s.missedRate),
    utterancesWithoutWords: multi((m) => m.utterancesWithoutWords),
    utterancesWithoutEou: multi((m) => m.utterancesWithoutEou),
    streamsStoppedAfterEou: multi((m) => m.streamsStoppedAfterEou),
  };
}
