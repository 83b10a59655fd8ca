/**
 * The gate's report model: what `report.json` holds and what `report.md` / `report.html` render.
 * Everything outside `timing`, `execution` and `provenance` is a pure function of `results.jsonl`, so a resumed,
 * sharded-and-merged or uninterrupted run of the same settings yields the same values there.
 */

import type { ScheduleInfo } from './corpusProvenance';
import type { EouSummary } from './eouSummary';
import type { AlignmentChunk } from '@eou/wer';

export const REPORT_FORMAT = 'eou-wer-gate-report/1';

/** How many aligned files a report shows per candidate. */
export const ALIGNED_EXAMPLES_PER_CANDIDATE = 10;

export interface RuleOutcome {
  readonly name: string;
  readonly metric: string;
  readonly op: string;
  readonly threshold: number;
  readonly value: number;
  readonly pass: boolean;
  /** The candidate variant the rule was evaluated on (`corpus` for corpus-level rules). */
  readonly variant: string;
}

export interface VariantSummary {
  readonly name: string;
  readonly role: 'reference' | 'candidate';
  /** Corpus WER as a fraction (like `eou wer --json`): sum(errors) / sum(reference words). */
  readonly wer: number;
  readonly errors: number;
  readonly words: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  /** Mean of per-file WERs as a fraction (the production benchmark's metric), labelled, never the gate's. */
  readonly meanFileWer: number;
  /** Files whose token sequence differs from the reference variant's. */
  readonly seqDiffVsRef: number;
  /** WER difference vs the reference in percentage points (0 for the reference). */
  readonly deltaWerPp: number;
}

export interface Blowup {
  readonly variant: string;
  readonly id: string;
  readonly words: number;
  readonly refErrors: number;
  readonly errors: number;
  /** (errors - refErrors) / words in percentage points. */
  readonly deltaPp: number;
}

export interface SignificanceSummary {
  readonly variant: string;
  readonly mapsswe: { readonly z: number; readonly p: number; readonly segments: number };
  readonly signTest: {
    readonly better: number;
    readonly worse: number;
    readonly ties: number;
    readonly p: number;
  };
  readonly bootstrap: {
    readonly level: number;
    readonly low: number;
    readonly high: number;
    readonly resamples: number;
    readonly seed: number;
  };
}

/** One hypothesis of an {@link AlignedExample}, aligned to the processed reference words. */
export interface AlignedHypothesis {
  readonly variant: string;
  /** The hypothesis' processed words (the gate's normaliser applied). */
  readonly words: readonly string[];
  /** `@eou/wer`'s alignment chunks: half-open ranges into the reference and `words`. */
  readonly chunks: readonly AlignmentChunk[];
  readonly errors: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
}

/**
 * A file a person should read: a blowup or one of the worst deltas of a candidate, with the
 * reference and both hypotheses (the reference variant's and the candidate's) aligned word by word.
 */
export interface AlignedExample {
  readonly variant: string;
  readonly id: string;
  /** Why it is listed: a blowup, or one of the largest error deltas. */
  readonly listedAs: 'blowup' | 'worst';
  readonly words: number;
  readonly deltaErrors: number;
  /** (candidate errors - reference errors) / words in percentage points. */
  readonly deltaPp: number;
  /** The processed reference words. */
  readonly reference: readonly string[];
  /** The reference variant's hypothesis, then the candidate's. */
  readonly hypotheses: readonly [AlignedHypothesis, AlignedHypothesis];
}

export interface FlipMargins {
  readonly variant: string;
  /** Logit margin (top-1 minus top-2 of the reference) at each teacher-forced argmax flip. */
  readonly margins: readonly number[];
  readonly filesChecked: number;
}

export interface FailedFile {
  readonly id: string;
  readonly reason: string;
}

export interface TimingSummary {
  readonly variant: string;
  readonly totalMs: number;
  readonly medianFileMs: number;
  readonly p90FileMs: number;
  /** Audio seconds / decode seconds over the corpus (decoder+joint only; encoder frames are cached). */
  readonly rtfx: number | null;
}

export interface GateReport {
  readonly format: typeof REPORT_FORMAT;
  readonly verdict: { readonly pass: boolean; readonly rules: readonly RuleOutcome[] };
  readonly reference: string;
  readonly variants: readonly VariantSummary[];
  readonly blowups: readonly Blowup[];
  readonly blowupFraction: number;
  readonly worstDeltas: readonly Blowup[];
  readonly significance: readonly SignificanceSummary[];
  readonly flipMargins: readonly FlipMargins[];
  /** The chunk schedule the corpus's frames were encoded with (corpora made by `eou encode`). */
  readonly schedule?: ScheduleInfo;
  /** End-of-utterance timing per variant; present when the corpus knows where its speech ends. */
  readonly eou?: EouSummary;
  readonly corpus: {
    readonly files: number;
    readonly scoredFiles: number;
    readonly words: number;
    readonly failed: readonly FailedFile[];
    readonly normalizer: string;
    readonly eouPolicy: string;
    /**
     * The model's `<EOU>` token id, or null for a model without one (the sherpa-onnx zipformer): the
     * EOU policy then has no effect, and only endpoint rules (in {@link GateReport.eou}) end
     * utterances. Absent in reports of older versions.
     */
    readonly eouId?: number | null;
  };
  /** Per-file error deltas vs the reference, by candidate, in manifest order (for plots). */
  readonly perFileDeltas: Readonly<Record<string, readonly number[]>>;
  /** Per-file errors of every variant, in manifest order of the scored files (for plots). */
  readonly perFileErrors: Readonly<Record<string, readonly number[]>>;
  /** Reference words of each scored file, in the same order (for the error rate by length). */
  readonly perFileWords: readonly number[];
  /**
   * Blowups and worst deltas with their text aligned, at most {@link ALIGNED_EXAMPLES_PER_CANDIDATE}
   * per candidate, blowups first. Computed when the report is built from the texts the results log
   * holds, so the log stays as it is and the report stays a function of it.
   */
  readonly alignedExamples: readonly AlignedExample[];
  readonly execution: {
    readonly mode: string;
    /** Files whose results came from an earlier (killed or interrupted) run of the same settings. */
    readonly resumedFiles: number;
    readonly workers: number;
    readonly identicalCheck: string;
    /** Lock-step batching: rows (B), which variants ran batched and which one file at a time, and the check. */
    readonly batch?: {
      readonly rows: number;
      readonly batched: readonly string[];
      readonly single: readonly string[];
      readonly check: string;
    };
  };
  readonly timing: {
    readonly wallSec: number;
    /** Peak resident set size of the process (worker threads included), MiB. */
    readonly peakRssMiB: number;
    readonly variants: readonly TimingSummary[];
    readonly perFileMs: Readonly<Record<string, readonly number[]>>;
  };
  readonly provenance: {
    readonly command: string;
    readonly model: { readonly dir: string; readonly files: Readonly<Record<string, string>> };
    readonly data: { readonly dir: string; readonly manifestSha256: string };
    readonly settingsHash: string;
    readonly versions: Readonly<Record<string, string>>;
    readonly shards: readonly string[];
    /** Per shard, in shard order, the job engine and variables `--shard auto` read it from (if it did). */
    readonly shardSources?: readonly string[];
    readonly generatedAt: string;
  };
}

/**
 * The parts of a report that must be identical across resumed, sharded-and-merged and
 * uninterrupted runs of the same settings: everything but how and when it ran.
 */
export function deterministicPart(
  report: GateReport,
): Omit<GateReport, 'timing' | 'provenance' | 'execution'> {
  const { timing: _timing, provenance: _provenance, execution: _execution, ...rest } = report;
  return rest;
}
