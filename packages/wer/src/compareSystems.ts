/**
 * N-way comparison of systems decoded on the same utterances: every candidate against one
 * reference system, with per-utterance error deltas, identical-sequence counts, blowups, the worst
 * deltas and paired significance tests. This is the scoring core of the WER gate.
 */
import type { AlignmentChunk } from './alignIds';
import type { AlignmentCosts } from './alignmentCosts';
import {
  errorRate,
  rateOutcome,
  sentenceErrorRate,
  sumCounts,
  toErrorCounts,
  type ErrorCounts,
  type RateOutcome,
} from './measures';
import { aligner } from './processWords';
import {
  mapsswe,
  mcnemar,
  pairedBootstrap,
  utteranceSignTest,
  utteranceWilcoxonTest,
  type BootstrapResult,
  type MapssweResult,
  type McNemarResult,
  type PairedUtterance,
  type SignTestResult,
  type WilcoxonResult,
} from './significance';
import {
  scliteSpeakerSignTest,
  scliteSpeakerWilcoxonTest,
  speakerErrorRates,
  type SpeakerSignTestResult,
  type SpeakerWilcoxonResult,
} from './speakerTests';
import { Vocabulary } from './vocabulary';
import { toTranscriptMap, type Transcripts } from './scoreCorpus';
import { splitWords, type Normalizer } from './transforms';
import { WerError } from './werError';

/** One system's output: hypothesis texts by id, and optionally its token ids by utterance id. */
export interface SystemOutput {
  readonly name: string;
  readonly hypotheses: Transcripts;
  /**
   * Token-id sequences by utterance id. When both the reference system and a candidate give
   * tokens for an utterance, "identical" compares tokens; otherwise it compares processed words.
   */
  readonly tokens?: ReadonlyMap<string, readonly number[]> | Readonly<Record<string, readonly number[]>>;
}

/** Options of {@link compareSystems}. */
export interface CompareOptions {
  /** Reference transcripts by id; every system must have exactly these ids. */
  readonly references: Transcripts;
  /** At least one system; the first is the reference system unless `referenceSystem` names another. */
  readonly systems: readonly SystemOutput[];
  readonly referenceSystem?: string;
  /** Normaliser for references and hypotheses (default: whitespace split only). */
  readonly normalizer?: Normalizer;
  /** A blowup is an utterance with reference words > 0 and (candidate - reference errors) / words > this (default 0.20). */
  readonly blowupFraction?: number;
  /** How many worst deltas to list per candidate (default 5). */
  readonly worst?: number;
  /** Paired bootstrap settings (default 1000 samples, seed 1, 95 %). */
  readonly bootstrap?: { readonly samples?: number; readonly seed?: number; readonly confidence?: number };
  /** Jointly correct words that close a MAPSSWE segment (default 2). */
  readonly mapssweBoundaryWords?: number;
  /** Alignment costs: `unit` (default) or `sclite` (see `ProcessOptions.costs`). */
  readonly costs?: AlignmentCosts;
  /**
   * Speaker of an utterance id. When given, `significance` also holds sclite's per-speaker sign
   * and Wilcoxon tests (`speakerSign`, `speakerWilcoxon`); `speakerOf` (sclite's rule) fits ids
   * such as `spk1-utt003`.
   */
  readonly speakerOf?: (id: string) => string;
}

/** One system's corpus totals. */
export interface SystemSummary extends ErrorCounts {
  readonly name: string;
  /** Corpus WER = errors / reference words; NaN (JSON null) without reference words. */
  readonly wer: number;
  /** The corpus WER as a typed outcome (undefined without reference words). */
  readonly rate: RateOutcome;
  /** Labelled mean of per-utterance rates over utterances with reference words (not the corpus WER). */
  readonly meanUtteranceWer: number;
  /** Utterances with at least one error, and their share (sentence error rate). */
  readonly sentenceErrors: number;
  readonly ser: number;
}

/** A candidate's error change on one utterance. */
export interface UtteranceDelta {
  readonly id: string;
  readonly referenceWords: number;
  readonly referenceErrors: number;
  readonly candidateErrors: number;
  readonly deltaErrors: number;
  /** deltaErrors / referenceWords in percentage points; NaN (JSON null) when the reference is empty. */
  readonly deltaPp: number;
}

/** One candidate against the reference system. */
export interface CandidateComparison {
  readonly name: string;
  readonly wer: number;
  readonly errors: number;
  /** Candidate WER - reference WER (fraction). */
  readonly deltaWer: number;
  /** The same in percentage points. */
  readonly deltaWerPp: number;
  readonly deltaErrors: number;
  /** Candidate sentence error rate, and its change vs the reference system (fraction and pp). */
  readonly ser: number;
  readonly deltaSer: number;
  readonly deltaSerPp: number;
  /** Utterances whose sequence (tokens when given, else words) differs from the reference system's. */
  readonly seqDiffs: number;
  readonly seqDiffIds: readonly string[];
  readonly improved: number;
  readonly regressed: number;
  readonly unchangedErrors: number;
  /** Utterances over the blowup fraction, largest delta first. */
  readonly blowups: readonly UtteranceDelta[];
  /** The largest positive deltas in errors, largest first (`worst` option). */
  readonly worst: readonly UtteranceDelta[];
  /** Largest per-utterance delta in percentage points over utterances with reference words (0 when none is positive). */
  readonly maxDeltaPp: number;
  readonly significance: {
    /** {@link mapsswe} (sclite's `mapsswe`). */
    readonly mapsswe: MapssweResult;
    /** {@link utteranceSignTest}. */
    readonly utteranceSign: SignTestResult;
    /** {@link utteranceWilcoxonTest}. */
    readonly utteranceWilcoxon: WilcoxonResult;
    /** {@link mcnemar} (sclite's `mcn`, exact p-value). */
    readonly mcnemar: McNemarResult;
    /** sclite's `sign` (per speaker), when `speakerOf` is given. */
    readonly speakerSign?: SpeakerSignTestResult;
    /** sclite's `wilc` (per speaker), when `speakerOf` is given. */
    readonly speakerWilcoxon?: SpeakerWilcoxonResult;
    readonly bootstrap: BootstrapResult;
    /** @deprecated the same object as `utteranceSign` (per utterance; sclite's `sign` is per speaker). */
    readonly sign: SignTestResult;
    /** @deprecated the same object as `utteranceWilcoxon` (per utterance; sclite's `wilc` is per speaker). */
    readonly wilcoxon: WilcoxonResult;
  };
}

/** Result of {@link compareSystems}. */
export interface Comparison {
  readonly referenceSystem: string;
  readonly utterances: number;
  readonly referenceWords: number;
  readonly blowupFraction: number;
  readonly systems: readonly SystemSummary[];
  readonly candidates: readonly CandidateComparison[];
  /** Per-utterance errors of every system, in reference order. */
  readonly perUtterance: ReadonlyArray<{
    readonly id: string;
    readonly referenceWords: number;
    readonly errors: Readonly<Record<string, number>>;
  }>;
}

interface Scored {
  counts: ErrorCounts;
  chunks: readonly AlignmentChunk[];
  words: readonly string[];
}

function sameSequence(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Compares systems on the same utterances.
 *
 * @param options references, systems (first = reference system), normaliser, blowup fraction,
 *   worst-list length, bootstrap and MAPSSWE settings.
 * @returns per-system totals, per-candidate deltas, blowups, worst deltas and significance.
 * @throws {RangeError} for no systems, duplicate names or an unknown `referenceSystem`.
 * @throws {WerError} `E_MISSING_ID` when a system lacks a reference id or has an extra one.
 */
export function compareSystems(options: CompareOptions): Comparison {
  const { systems } = options;
  if (!Array.isArray(systems) || systems.length === 0)
    throw new RangeError('systems must list at least one system');
  const names = new Set<string>();
  for (const s of systems) {
    if (names.has(s.name)) throw new RangeError(`systems: duplicate system name '${s.name}'`);
    names.add(s.name);
  }
  const refName = options.referenceSystem ?? systems[0]!.name;
  if (!names.has(refName))
    throw new RangeError(`referenceSystem '${refName}' is not one of the systems (${[...names].join(', ')})`);
  const blowupFraction = options.blowupFraction ?? 0.2;
  if (!(blowupFraction >= 0)) throw new RangeError(`blowupFraction must be >= 0, got ${blowupFraction}`);
  const worstCount = options.worst ?? 5;
  const normalize = options.normalizer ?? splitWords;
  const align = aligner(options.costs);

  const refs = toTranscriptMap(options.references, 'references');
  const ids = [...refs.keys()];
  const refWords = ids.map((id) => normalize(refs.get(id)!));
  const vocab = new Vocabulary();
  const refIds = refWords.map((w) => vocab.ids(w));

  const scored = new Map<string, Scored[]>();
  const summaries: SystemSummary[] = [];
  for (const system of systems) {
    const hyps = toTranscriptMap(system.hypotheses, system.name);
    const missing = ids.filter((id) => !hyps.has(id));
    const extra = [...hyps.keys()].filter((id) => !refs.has(id));
    if (missing.length || extra.length) {
      const what = missing.length
        ? `lacks ${missing.length} reference id(s) (first: '${missing[0]}')`
        : `has ${extra.length} id(s) not in the references (first: '${extra[0]}')`;
      throw new WerError('E_MISSING_ID', `system '${system.name}' ${what}`, { field: system.name });
    }
    let rateSum = 0;
    let rated = 0;
    let sentenceErrors = 0;
    const rows = ids.map((id, u) => {
      const words = normalize(hyps.get(id)!);
      const a = align(refIds[u]!, vocab.ids(words));
      const counts = toErrorCounts(a);
      if (counts.referenceWords > 0) {
        rateSum += counts.errors / counts.referenceWords;
        rated++;
      }
      if (counts.errors > 0) sentenceErrors++;
      return { counts, chunks: a.chunks, words };
    });
    scored.set(system.name, rows);
    const total = sumCounts(rows.map((r) => r.counts));
    summaries.push({
      name: system.name,
      ...total,
      wer: errorRate(total.errors, total.referenceWords),
      rate: rateOutcome(total.errors, total.referenceWords),
      meanUtteranceWer: rated ? rateSum / rated : NaN,
      sentenceErrors,
      ser: sentenceErrorRate(sentenceErrors, ids.length),
    });
  }

  const refRows = scored.get(refName)!;
  const refSummary = summaries.find((s) => s.name === refName)!;
  const refSystem = systems.find((s) => s.name === refName)!;
  const refTokens = refSystem.tokens ? toTokenMap(refSystem.tokens) : undefined;
  const candidates: CandidateComparison[] = [];
  for (const system of systems) {
    if (system.name === refName) continue;
    const rows = scored.get(system.name)!;
    const summary = summaries.find((s) => s.name === system.name)!;
    const tokens = system.tokens ? toTokenMap(system.tokens) : undefined;
    const seqDiffIds: string[] = [];
    const deltas: UtteranceDelta[] = [];
    const paired: PairedUtterance[] = [];
    let improved = 0;
    let regressed = 0;
    ids.forEach((id, u) => {
      const r = refRows[u]!;
      const c = rows[u]!;
      const rt = refTokens?.get(id);
      const ct = tokens?.get(id);
      const same = rt && ct ? sameSequence(rt, ct) : sameSequence(r.words, c.words);
      if (!same) seqDiffIds.push(id);
      const words = r.counts.referenceWords;
      const deltaErrors = c.counts.errors - r.counts.errors;
      if (deltaErrors < 0) improved++;
      else if (deltaErrors > 0) regressed++;
      deltas.push({
        id,
        referenceWords: words,
        referenceErrors: r.counts.errors,
        candidateErrors: c.counts.errors,
        deltaErrors,
        deltaPp: 100 * errorRate(deltaErrors, words),
      });
      paired.push({
        referenceWords: words,
        referenceErrors: r.counts.errors,
        candidateErrors: c.counts.errors,
        referenceChunks: r.chunks,
        candidateChunks: c.chunks,
      });
    });
    // NaN deltas (empty references) sort after every defined one.
    const pp = (d: UtteranceDelta) => (Number.isNaN(d.deltaPp) ? -Infinity : d.deltaPp);
    const byDelta = (a: UtteranceDelta, b: UtteranceDelta) => pp(b) - pp(a) || b.deltaErrors - a.deltaErrors;
    const blowups = deltas
      .filter((d) => d.referenceWords > 0 && d.deltaErrors / d.referenceWords > blowupFraction)
      .sort(byDelta);
    const worst = deltas
      .filter((d) => d.deltaErrors > 0)
      .sort((a, b) => b.deltaErrors - a.deltaErrors || pp(b) - pp(a) || 0)
      .slice(0, worstCount);
    let maxDeltaPp = 0;
    for (const d of deltas) if (d.referenceWords > 0 && d.deltaPp > maxDeltaPp) maxDeltaPp = d.deltaPp;
    const deltaWer = summary.wer - refSummary.wer;
    const deltaSer = summary.ser - refSummary.ser;
    const utteranceSign = utteranceSignTest(paired);
    const utteranceWilcoxon = utteranceWilcoxonTest(paired);
    let speakerTests = {};
    if (options.speakerOf) {
      const refRates = speakerErrorRates(
        ids.map((id, u) => ({ id, ...refRows[u]!.counts })),
        options.speakerOf,
      );
      const candRates = speakerErrorRates(
        ids.map((id, u) => ({ id, ...rows[u]!.counts })),
        options.speakerOf,
      );
      speakerTests = {
        speakerSign: scliteSpeakerSignTest(refRates, candRates),
        speakerWilcoxon: scliteSpeakerWilcoxonTest(refRates, candRates),
      };
    }
    candidates.push({
      name: system.name,
      wer: summary.wer,
      errors: summary.errors,
      deltaWer,
      deltaWerPp: 100 * deltaWer,
      deltaErrors: summary.errors - refSummary.errors,
      ser: summary.ser,
      deltaSer,
      deltaSerPp: 100 * deltaSer,
      seqDiffs: seqDiffIds.length,
      seqDiffIds,
      improved,
      regressed,
      unchangedErrors: ids.length - improved - regressed,
      blowups,
      worst,
      maxDeltaPp,
      significance: {
        mapsswe: mapsswe(paired, options.mapssweBoundaryWords ?? 2),
        utteranceSign,
        utteranceWilcoxon,
        mcnemar: mcnemar(paired),
        ...speakerTests,
        bootstrap: pairedBootstrap(paired, options.bootstrap),
        sign: utteranceSign,
        wilcoxon: utteranceWilcoxon,
      },
    });
  }
  const perUtterance = ids.map((id, u) => {
    const errors: Record<string, number> = {};
    for (const s of systems) errors[s.name] = scored.get(s.name)![u]!.counts.errors;
    return { id, referenceWords: refRows[u]!.counts.referenceWords, errors };
  });
  return {
    referenceSystem: refName,
    utterances: ids.length,
    referenceWords: refSummary.referenceWords,
    blowupFraction,
    systems: summaries,
    candidates,
    perUtterance,
  };
}

function toTokenMap(
  tokens: ReadonlyMap<string, readonly number[]> | Readonly<Record<string, readonly number[]>>,
): ReadonlyMap<string, readonly number[]> {
  return tokens instanceof Map ? tokens : new Map(Object.entries(tokens));
}
