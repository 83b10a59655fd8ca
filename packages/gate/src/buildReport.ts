/** Builds the gate report from the results log: scoring via @eou/wer, timing from the log. */
import { compareSystems, evaluateRules, presets } from '@eou/wer';
import type { ScheduleInfo } from './corpusProvenance';
import { defaultEouRules, eouRuleMetrics, summarizeEou, type EouContext } from './eouSummary';
import { alignedExamples } from './alignedExamples';
import { GateError } from './gateError';
import {
  REPORT_FORMAT,
  type Blowup,
  type FlipMargins,
  type GateReport,
  type TimingSummary,
} from './gateReport';
import { nearestRank } from './quantile';
import type { FileResult, ResultsHeader } from './resultsLog';
import type { GateSettings } from './settings';

/** How and where the report's run happened (what `execution`, `timing` and `provenance` hold). */
export interface ReportContext {
  readonly settings: GateSettings;
  readonly header: ResultsHeader;
  /** The command line (or call) that ran the gate, as the caller gives it. */
  readonly command: string;
  /** Versions of the toolkit's packages and Node, as the caller gives them. */
  readonly versions: Readonly<Record<string, string>>;
  readonly wallSec: number;
  readonly execution: GateReport['execution'];
  readonly frameMs: number;
  /** How EOU timing is replayed (absent: no EOU section). */
  readonly eou?: EouContext;
  /** The schedule of an encoded corpus (its `provenance.json`). */
  readonly schedule?: ScheduleInfo;
  /** Where the shards came from (`--shard auto`: the job engine and its variables), one per shard. */
  readonly shardSources?: readonly string[];
}

const quantile = nearestRank;

const round = (v: number, digits = 6) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * The gate report of `files` (the results of one whole run, or of merged shards): scores via
 * `@eou/wer`'s comparison, the verdict, blowups, significance, timing and provenance.
 * @throws {GateError} `E_NOTHING_DECODED` when no file could be decoded.
 */
export function buildReport(
  files: readonly FileResult[],
  shards: readonly string[],
  ctx: ReportContext,
  flips: readonly FlipMargins[],
): GateReport {
  const { settings } = ctx;
  const variants = [settings.reference, ...settings.candidates];
  const ordered = [...files].sort((a, b) => a.index - b.index);
  const ok = ordered.filter((f) => f.status === 'ok');
  const failed = ordered
    .filter((f) => f.status === 'error')
    .map((f) => ({ id: f.id, reason: f.reason ?? 'unknown' }));
  if (ok.length === 0) {
    const first = failed[0];
    throw new GateError(
      'E_NOTHING_DECODED',
      `${settings.dataDir}: no file could be decoded${first ? ` (${failed.length} failed; first: ${first.reason})` : ' (the corpus slice is empty)'}`,
      { file: settings.dataDir },
    );
  }
  // Maps, not objects: a file id may be `__proto__` or `constructor`.
  const references = new Map(ok.map((f) => [f.id, f.reference]));
  const comparison = compareSystems({
    references,
    systems: variants.map((name) => ({
      name,
      hypotheses: new Map(ok.map((f) => [f.id, f.variants[name]!.text])),
      tokens: new Map(ok.map((f) => [f.id, f.variants[name]!.tokens])),
    })),
    referenceSystem: settings.reference,
    normalizer: presets[settings.normalizer],
    blowupFraction: settings.blowupFraction,
    worst: 10,
  });
  // End-of-utterance timing, replayed from the log; its metrics reach @eou/wer's rules as caller-defined ones.
  const eou = ctx.eou === undefined ? undefined : summarizeEou(ok, variants, ctx.eou);
  const extra = eouRuleMetrics(eou);
  const given = evaluateRules(settings.rules, comparison, extra);
  // The default EOU rules apply where they can be measured (a user's own rule fails when it cannot).
  const defaults =
    eou !== undefined && settings.defaultEouRules !== false
      ? evaluateRules(defaultEouRules, comparison, extra).rules.filter((r) => r.value !== null)
      : [];
  const verdict = {
    pass: given.pass && defaults.every((r) => r.pass),
    rules: [...given.rules, ...defaults],
  };
  // Corpus-level rules, always on: files that could not be decoded count against the verdict, and a
  // reference that never emits a token (an untrained or mis-wired model) cannot pass a gate.
  const refTokenFiles = ok.filter((f) => f.variants[settings.reference]!.tokens.length > 0).length;
  const corpusRules = [
    {
      name: `failedFiles <= ${settings.maxFailedFiles}`,
      variant: 'corpus',
      metric: 'failedFiles',
      op: '<=',
      threshold: settings.maxFailedFiles,
      value: failed.length,
      pass: failed.length <= settings.maxFailedFiles,
    },
    {
      name: 'referenceTokenFiles > 0',
      variant: 'corpus',
      metric: 'referenceTokenFiles',
      op: '>',
      threshold: 0,
      value: refTokenFiles,
      pass: refTokenFiles > 0,
    },
    // Streams of several utterances: decoding must go on after each EOU, for every variant.
    ...(eou !== undefined && eou.multiUtteranceStreams > 0
      ? eou.variants.map((v) => ({
          name: 'streamsStoppedAfterEou == 0',
          variant: v.variant,
          metric: 'streamsStoppedAfterEou',
          op: '==',
          threshold: 0,
          value: v.multiUtterance.streamsStoppedAfterEou,
          pass: v.multiUtterance.streamsStoppedAfterEou === 0,
        }))
      : []),
  ];
  const byName = new Map(comparison.candidates.map((c) => [c.name, c]));
  const toBlowup = (
    variant: string,
    d: {
      id: string;
      referenceWords: number;
      referenceErrors: number;
      candidateErrors: number;
      deltaPp: number;
    },
  ): Blowup => ({
    variant,
    id: d.id,
    words: d.referenceWords,
    refErrors: d.referenceErrors,
    errors: d.candidateErrors,
    deltaPp: round(d.deltaPp),
  });
  const perFileDeltas: Record<string, number[]> = {};
  for (const c of settings.candidates)
    perFileDeltas[c] = ok.map((f) => f.variants[c]!.errors - f.variants[settings.reference]!.errors);
  const perFileErrors = Object.fromEntries(variants.map((v) => [v, ok.map((f) => f.variants[v]!.errors)]));
  const perFileMs: Record<string, number[]> = {};
  const timing: TimingSummary[] = variants.map((name) => {
    const ms = ok.map((f) => f.variants[name]!.decodeMs);
    perFileMs[name] = ms;
    const sorted = [...ms].sort((a, b) => a - b);
    const totalMs = ms.reduce((a, b) => a + b, 0);
    const audioSec = ok.reduce((a, f) => a + (f.durationSec ?? (f.frames * ctx.frameMs) / 1000), 0);
    return {
      variant: name,
      totalMs: round(totalMs, 3),
      medianFileMs: round(quantile(sorted, 0.5), 3),
      p90FileMs: round(quantile(sorted, 0.9), 3),
      rtfx: totalMs > 0 ? round(audioSec / (totalMs / 1000), 2) : null,
    };
  });
  return {
    format: REPORT_FORMAT,
    verdict: {
      pass: verdict.pass && corpusRules.every((r) => r.pass),
      rules: [
        ...verdict.rules.map((r) => ({
          name: r.name,
          variant: r.system,
          metric: r.metric,
          op: r.op,
          threshold: r.threshold,
          value: r.value === null ? NaN : round(r.value),
          pass: r.pass,
        })),
        ...corpusRules,
      ],
    },
    reference: settings.reference,
    variants: comparison.systems.map((s) => {
      const c = byName.get(s.name);
      return {
        name: s.name,
        role: s.name === settings.reference ? ('reference' as const) : ('candidate' as const),
        wer: round(s.wer, 8),
        errors: s.errors,
        words: s.referenceWords,
        substitutions: s.substitutions,
        deletions: s.deletions,
        insertions: s.insertions,
        meanFileWer: round(s.meanUtteranceWer, 8),
        seqDiffVsRef: c ? c.seqDiffs : 0,
        deltaWerPp: c ? round(c.deltaWerPp) : 0,
      };
    }),
    blowups: comparison.candidates.flatMap((c) => c.blowups.map((d) => toBlowup(c.name, d))),
    blowupFraction: settings.blowupFraction,
    worstDeltas: comparison.candidates.flatMap((c) => c.worst.map((d) => toBlowup(c.name, d))),
    significance: comparison.candidates.map((c) => {
      const { mapsswe, sign, bootstrap } = c.significance;
      return {
        variant: c.name,
        mapsswe: { z: round(mapsswe.z), p: round(mapsswe.pValue, 8), segments: mapsswe.segments },
        signTest: { better: sign.better, worse: sign.worse, ties: sign.ties, p: round(sign.pValue, 8) },
        bootstrap: {
          level: bootstrap.confidence,
          low: round(100 * bootstrap.low),
          high: round(100 * bootstrap.high),
          resamples: bootstrap.samples,
          seed: bootstrap.seed,
        },
      };
    }),
    flipMargins: [...flips],
    ...(ctx.schedule === undefined ? {} : { schedule: ctx.schedule }),
    ...(eou === undefined ? {} : { eou }),
    corpus: {
      files: ordered.length,
      scoredFiles: ok.length,
      words: comparison.referenceWords,
      failed,
      normalizer: settings.normalizer,
      eouPolicy: settings.eouPolicy,
      ...(ctx.eou === undefined ? {} : { eouId: ctx.eou.eouId ?? null }),
    },
    perFileDeltas,
    perFileErrors,
    perFileWords: ok.map((f) => f.words),
    alignedExamples: alignedExamples(ok, comparison.candidates, settings),
    execution: ctx.execution,
    timing: {
      wallSec: round(ctx.wallSec, 3),
      peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
      variants: timing,
      perFileMs,
    },
    provenance: {
      command: ctx.command,
      model: {
        dir: settings.modelDir,
        files: (ctx.header.settings as { modelFiles: Record<string, string> }).modelFiles,
      },
      data: {
        dir: settings.dataDir,
        manifestSha256: (ctx.header.settings as { manifestSha256: string }).manifestSha256,
      },
      settingsHash: ctx.header.settingsHash,
      versions: { ...ctx.versions },
      shards: [...shards],
      ...(ctx.shardSources?.length ? { shardSources: [...ctx.shardSources] } : {}),
      generatedAt: new Date().toISOString(),
    },
  };
}
