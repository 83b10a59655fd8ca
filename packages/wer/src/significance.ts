/**
 * Paired significance tests for two systems scored on the same utterances, named for what they
 * compute: NIST's matched-pairs sentence-segment word error test (MAPSSWE, Gillick & Cox 1989;
 * equal to `sc_stats -t mapsswe` on the golden set), a sign test and a Wilcoxon signed-rank test
 * on per-utterance error counts, McNemar's test on sentence correctness (sclite's `mcn`, with an
 * exact p-value), and a paired bootstrap confidence interval of the WER difference (Bisani & Ney
 * 2004). sclite's `sign` and `wilc` work per speaker instead: see `speakerTests.ts`. The old names
 * `signTest` and `wilcoxonSignedRank` remain as deprecated aliases.
 */
import type { AlignmentChunk } from './alignIds';
import { errorRate } from './measures';

/** Result of {@link mapsswe}. `meanDifference` is candidate minus reference errors per segment. */
export interface MapssweResult {
  readonly segments: number;
  readonly meanDifference: number;
  readonly standardDeviation: number;
  readonly z: number;
  /** Two-sided p-value from the normal approximation. */
  readonly pValue: number;
}

/** Result of {@link utteranceSignTest}. */
export interface SignTestResult {
  /** Utterances where the candidate has more errors than the reference system. */
  readonly worse: number;
  /** Utterances where the candidate has fewer errors. */
  readonly better: number;
  /** Utterances with equal errors (left out of the test). */
  readonly ties: number;
  /** Two-sided exact binomial p-value (p = 0.5). */
  readonly pValue: number;
}

/** Result of {@link utteranceWilcoxonTest}. */
export interface WilcoxonResult {
  /** Utterances with a non-zero error difference (the others are dropped). */
  readonly n: number;
  /** Sum of the ranks of the utterances where the candidate has more errors. */
  readonly wPlus: number;
  readonly z: number;
  /** Two-sided p-value from the normal approximation (tie-corrected variance, continuity correction). */
  readonly pValue: number;
}

/** Result of {@link mcnemar}: utterances right (no error) in one system and wrong in the other. */
export interface McNemarResult {
  /** Correct in the reference system, wrong in the candidate. */
  readonly referenceOnlyCorrect: number;
  /** Wrong in the reference system, correct in the candidate. */
  readonly candidateOnlyCorrect: number;
  /** Two-sided exact binomial p-value on the discordant utterances. */
  readonly pValue: number;
}

/** Result of {@link pairedBootstrap}; WER differences are candidate minus reference, as fractions. */
export interface BootstrapResult {
  readonly samples: number;
  readonly seed: number;
  readonly confidence: number;
  readonly deltaWer: number;
  readonly low: number;
  readonly high: number;
  /** Share of resamples in which the candidate's WER is higher than the reference's. */
  readonly probabilityWorse: number;
}

/** The per-utterance input of the paired tests: one entry per utterance, same order for both systems. */
export interface PairedUtterance {
  readonly referenceWords: number;
  readonly referenceErrors: number;
  readonly candidateErrors: number;
  /** Alignments of both systems against the same processed reference words (for MAPSSWE). */
  readonly referenceChunks?: readonly AlignmentChunk[];
  readonly candidateChunks?: readonly AlignmentChunk[];
}

/** Standard normal upper tail Q(x) = 1 - Phi(x), via erfc (Numerical Recipes' Chebyshev fit, rel. error < 1.2e-7). */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Per reference word: 1 when the system got it wrong; per gap (0..n): insertions before word g (n = at the end). */
function errorProfile(
  chunks: readonly AlignmentChunk[],
  n: number,
): { wrong: Uint8Array; inserted: Int32Array } {
  const wrong = new Uint8Array(n);
  const inserted = new Int32Array(n + 1);
  for (const c of chunks) {
    if (c.kind === 'insert') inserted[c.refStart]! += c.hypEnd - c.hypStart;
    else if (c.kind !== 'equal') wrong.fill(1, c.refStart, c.refEnd);
  }
  return { wrong, inserted };
}

/**
 * Error counts of both systems in segments bounded by runs of at least `minBoundaryWords`
 * reference words that both systems got right with no insertion inside the run (or by the
 * utterance ends). Segments where neither system errs are left out.
 */
export function mapssweSegments(
  utterances: readonly PairedUtterance[],
  minBoundaryWords = 2,
): Array<{ utterance: number; reference: number; candidate: number }> {
  const out: Array<{ utterance: number; reference: number; candidate: number }> = [];
  utterances.forEach((u, index) => {
    if (!u.referenceChunks || !u.candidateChunks)
      throw new RangeError(`mapsswe: utterance ${index} has no alignment chunks`);
    const n = u.referenceWords;
    const a = errorProfile(u.referenceChunks, n);
    const b = errorProfile(u.candidateChunks, n);
    let ea = 0;
    let eb = 0;
    const flush = () => {
      if (ea > 0 || eb > 0) out.push({ utterance: index, reference: ea, candidate: eb });
      ea = 0;
      eb = 0;
    };
    let i = 0;
    while (i <= n) {
      // Insertions in the gap before word i (or at the end) belong to the open segment.
      ea += a.inserted[i]!;
      eb += b.inserted[i]!;
      if (i === n) break;
      if (a.wrong[i] || b.wrong[i]) {
        ea += a.wrong[i]!;
        eb += b.wrong[i]!;
        i++;
        continue;
      }
      // A run of jointly correct words with no insertion between them.
      let end = i + 1;
      while (end < n && !a.wrong[end] && !b.wrong[end] && a.inserted[end] === 0 && b.inserted[end] === 0)
        end++;
      if (end - i >= minBoundaryWords) flush();
      i = end;
    }
    flush();
  });
  return out;
}

/**
 * MAPSSWE: a paired test on per-segment error differences (see {@link mapssweSegments}); z is the
 * mean difference over its standard error and the p-value is two-sided from the normal law.
 * No difference in any segment gives p = 1; otherwise a single segment gives NaN (undefined).
 * Fed sclite alignments (`costs: 'sclite'`), its segments, mean, standard deviation and z equal
 * `sc_stats -t mapsswe`'s (golden set; sc_stats subtracts the second system from the first, so
 * its z has the opposite sign when the candidate is listed second). sc_stats takes p from a normal
 * table (the lower tabulated value); here it is computed.
 *
 * @param utterances both systems' chunks per utterance.
 * @param minBoundaryWords jointly correct words that close a segment (2 as in NIST's implementation
 *   notes; 1 splits more finely).
 */
export function mapsswe(utterances: readonly PairedUtterance[], minBoundaryWords = 2): MapssweResult {
  if (!Number.isInteger(minBoundaryWords) || minBoundaryWords < 1) {
    throw new RangeError(`minBoundaryWords must be an integer >= 1, got ${minBoundaryWords}`);
  }
  const segs = mapssweSegments(utterances, minBoundaryWords);
  const n = segs.length;
  if (n === 0) return { segments: 0, meanDifference: 0, standardDeviation: 0, z: 0, pValue: 1 };
  let sum = 0;
  for (const s of segs) sum += s.candidate - s.reference;
  const mean = sum / n;
  let ss = 0;
  for (const s of segs) ss += (s.candidate - s.reference - mean) ** 2;
  if (ss === 0 && mean === 0)
    return { segments: n, meanDifference: 0, standardDeviation: 0, z: 0, pValue: 1 };
  // One segment has no variance estimate: the test is undefined.
  if (n < 2) return { segments: n, meanDifference: mean, standardDeviation: NaN, z: NaN, pValue: NaN };
  const sd = Math.sqrt(ss / (n - 1));
  if (sd === 0) {
    return {
      segments: n,
      meanDifference: mean,
      standardDeviation: 0,
      z: mean === 0 ? 0 : Math.sign(mean) * Infinity,
      pValue: mean === 0 ? 1 : 0,
    };
  }
  const z = mean / (sd / Math.sqrt(n));
  return {
    segments: n,
    meanDifference: mean,
    standardDeviation: sd,
    z,
    pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))),
  };
}

/**
 * Sign test on per-utterance error counts (ties dropped): exact two-sided binomial p-value. Not
 * sclite's `sign`, which compares per-speaker error rates and splits ties between the two sides
 * ({@link scliteSpeakerSignTest}).
 */
export function utteranceSignTest(utterances: readonly PairedUtterance[]): SignTestResult {
  let worse = 0;
  let better = 0;
  let ties = 0;
  for (const u of utterances) {
    if (u.candidateErrors > u.referenceErrors) worse++;
    else if (u.candidateErrors < u.referenceErrors) better++;
    else ties++;
  }
  return { worse, better, ties, pValue: binomialTwoSided(worse, worse + better) };
}

/** Two-sided exact p-value of k successes in n fair trials: 2 * P(X <= min(k, n - k)), capped at 1. */
export function binomialTwoSided(k: number, n: number): number {
  if (n === 0) return 1;
  const low = Math.min(k, n - k);
  // log C(n, i) built up term by term; sum in log space so large n cannot underflow.
  let logTerm = -n * Math.LN2;
  let logSum = logTerm;
  for (let i = 1; i <= low; i++) {
    logTerm += Math.log((n - i + 1) / i);
    const hi = Math.max(logSum, logTerm);
    logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logTerm - hi));
  }
  return Math.min(1, 2 * Math.exp(logSum));
}

/**
 * Wilcoxon signed-rank test on per-utterance error differences (candidate - reference): zero
 * differences are dropped, absolute differences ranked with ties sharing their mean rank, and W+
 * compared with its normal approximation (tie-corrected variance, continuity correction). Not
 * sclite's `wilc`, which ranks per-speaker error-rate differences, keeps zero differences
 * (assigning them alternately to each side) and has no tie correction
 * ({@link scliteSpeakerWilcoxonTest}).
 */
export function utteranceWilcoxonTest(utterances: readonly PairedUtterance[]): WilcoxonResult {
  const diffs = utterances.map((u) => u.candidateErrors - u.referenceErrors).filter((d) => d !== 0);
  const n = diffs.length;
  if (n === 0) return { n: 0, wPlus: 0, z: 0, pValue: 1 };
  const order = diffs.map((d, i) => [Math.abs(d), i] as const).sort((a, b) => a[0] - b[0]);
  let wPlus = 0;
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && order[end + 1]![0] === order[start]![0]) end++;
    const rank = (start + end) / 2 + 1;
    const t = end - start + 1;
    tieTerm += t * t * t - t;
    for (let k = start; k <= end; k++) if (diffs[order[k]![1]]! > 0) wPlus += rank;
    start = end + 1;
  }
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  if (variance <= 0) return { n, wPlus, z: 0, pValue: 1 };
  const dev = wPlus - mean;
  const z = (Math.sign(dev) * Math.max(0, Math.abs(dev) - 0.5)) / Math.sqrt(variance);
  return { n, wPlus, z, pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))) };
}

/**
 * McNemar's test on sentence correctness (an utterance is correct when it has no error): exact
 * two-sided binomial p-value on the utterances correct in exactly one system. This is the test of
 * sclite's `sc_stats -t mcn` (same discordant counts on the golden set); sc_stats's p-value is
 * exact only up to 20 discordant sentences (see `speakerTests.ts` for its approximation above).
 */
export function mcnemar(utterances: readonly PairedUtterance[]): McNemarResult {
  let referenceOnlyCorrect = 0;
  let candidateOnlyCorrect = 0;
  for (const u of utterances) {
    if (u.referenceErrors === 0 && u.candidateErrors > 0) referenceOnlyCorrect++;
    else if (u.referenceErrors > 0 && u.candidateErrors === 0) candidateOnlyCorrect++;
  }
  return {
    referenceOnlyCorrect,
    candidateOnlyCorrect,
    pValue: binomialTwoSided(referenceOnlyCorrect, referenceOnlyCorrect + candidateOnlyCorrect),
  };
}

/** mulberry32: a small seeded 32-bit generator, deterministic on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Paired bootstrap of delta-WER: resamples utterances with replacement `samples` times and takes
 * the percentile interval of (candidate WER - reference WER), each WER summed over the resample.
 *
 * @param options.samples resamples (default 1000). `seed` (default 1) makes the result repeatable.
 * @param options.confidence interval mass (default 0.95).
 */
export function pairedBootstrap(
  utterances: readonly PairedUtterance[],
  options: { samples?: number; seed?: number; confidence?: number } = {},
): BootstrapResult {
  const samples = options.samples ?? 1000;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(samples) || samples < 1)
    throw new RangeError(`samples must be a positive integer, got ${samples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const n = utterances.length;
  const words = new Float64Array(n);
  const diff = new Float64Array(n);
  let totalWords = 0;
  let totalDiff = 0;
  utterances.forEach((u, i) => {
    words[i] = u.referenceWords;
    diff[i] = u.candidateErrors - u.referenceErrors;
    totalWords += u.referenceWords;
    totalDiff += diff[i];
  });
  const deltaWer = errorRate(totalDiff, totalWords);
  if (n === 0) return { samples, seed, confidence, deltaWer: 0, low: 0, high: 0, probabilityWorse: 0 };
  // Without reference words both rates, and their difference, are undefined.
  if (totalWords === 0)
    return { samples, seed, confidence, deltaWer, low: NaN, high: NaN, probabilityWorse: NaN };
  const random = seededRandom(seed);
  const deltas = new Float64Array(samples);
  let worse = 0;
  for (let s = 0; s < samples; s++) {
    let w = 0;
    let d = 0;
    // A resample of empty references only has no rate: draw it again.
    while (w === 0) {
      d = 0;
      for (let k = 0; k < n; k++) {
        const i = Math.floor(random() * n);
        w += words[i]!;
        d += diff[i]!;
      }
    }
    const delta = d / w;
    deltas[s] = delta;
    if (delta > 0) worse++;
  }
  deltas.sort();
  const tail = (1 - confidence) / 2;
  return {
    samples,
    seed,
    confidence,
    deltaWer,
    low: quantile(deltas, tail),
    high: quantile(deltas, 1 - tail),
    probabilityWorse: worse / samples,
  };
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** @deprecated renamed {@link utteranceSignTest} (per utterance; sclite's `sign` is per speaker). */
export const signTest = utteranceSignTest;
/** @deprecated renamed {@link utteranceWilcoxonTest} (per utterance; sclite's `wilc` is per speaker). */
export const wilcoxonSignedRank = utteranceWilcoxonTest;
