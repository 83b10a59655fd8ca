/**
 * sclite's per-speaker significance tests (`sc_stats -t sign` and `-t wilc`, formula `E`: speaker
 * word error rate in percent), written from their described behaviour and checked against
 * sc_stats 1.3 (SCTK 2.4.10) on the golden set. Both order the two systems as sclite does (the one
 * with the larger sum of speaker error rates first) and treat speakers whose rates differ by at
 * most 0.005 pp as ties:
 *
 * - sign: ties are split between the two sides (the odd one to the minus side), and the
 *   two-sided p-value is 2 P(X <= min(N+, N-)) for X ~ Binomial(N, 1/2), or 1 when N+ = N-.
 * - Wilcoxon: every speaker is ranked by its absolute difference (equal differences share their
 *   mean rank, zero differences included), tied speakers go alternately to the plus and minus
 *   side, W is the rank sum of the side with fewer speakers (the minus side when they are equal),
 *   and z = (W - N(N+1)/4) / sqrt(N(N+1)(2N+1)/24), without tie or continuity correction.
 *
 * p-values here are exact (the binomial sum; the normal tail by erfc). sc_stats differs in two
 * documented ways: its normal tail is a table lookup (the lower tabulated value), and above 20
 * trials its binomial switches to a normal approximation that takes R * 0.5 for R + 0.5, so its
 * printed sign and McNemar p-values for more than 20 speakers or discordant sentences are wrong
 * (0.000 for 26 vs 39 sentences, where the exact value is 0.136).
 */
import { binomialTwoSided, normalUpperTail } from './significance';

/**
 * The speaker of an utterance id as sclite finds it with `-i spu_id` (also `rm`, `swb`): the text
 * before the first `-`, else before the first `_`; an id with neither is its own speaker.
 */
export function speakerOf(id: string): string {
  const dash = id.indexOf('-');
  if (dash >= 0) return id.slice(0, dash);
  const underscore = id.indexOf('_');
  return underscore >= 0 ? id.slice(0, underscore) : id;
}

/** One speaker's totals. */
export interface SpeakerRate {
  readonly speaker: string;
  readonly utterances: number;
  readonly referenceWords: number;
  readonly errors: number;
  /** 100 x errors / reference words; 0 without reference words (sclite's `pct`). */
  readonly percent: number;
}

/**
 * Per-speaker error rates, speakers in order of first appearance.
 *
 * @param speaker maps an utterance id to its speaker (default {@link speakerOf}).
 */
export function speakerErrorRates(
  utterances: Iterable<{ readonly id: string; readonly errors: number; readonly referenceWords: number }>,
  speaker: (id: string) => string = speakerOf,
): SpeakerRate[] {
  const totals = new Map<string, { utterances: number; referenceWords: number; errors: number }>();
  for (const u of utterances) {
    const name = speaker(u.id);
    let t = totals.get(name);
    if (!t) {
      t = { utterances: 0, referenceWords: 0, errors: 0 };
      totals.set(name, t);
    }
    t.utterances++;
    t.referenceWords += u.referenceWords;
    t.errors += u.errors;
  }
  return [...totals].map(([name, t]) => ({
    speaker: name,
    ...t,
    percent: t.referenceWords === 0 ? 0 : (100 * t.errors) / t.referenceWords,
  }));
}

/** Result of {@link scliteSpeakerSignTest}. `plus` and `minus` are as sclite counts them (before splitting ties). */
export interface SpeakerSignTestResult {
  readonly speakers: number;
  /** The system sclite puts first (the larger sum of speaker rates): differences are first minus second. */
  readonly first: 'reference' | 'candidate';
  /** Speakers where the first system's rate is higher by more than 0.005 pp. */
  readonly plus: number;
  readonly minus: number;
  /** Speakers within 0.005 pp. */
  readonly ties: number;
  readonly pValue: number;
}

/** Result of {@link scliteSpeakerWilcoxonTest}. */
export interface SpeakerWilcoxonResult {
  readonly speakers: number;
  readonly first: 'reference' | 'candidate';
  /** Speakers on each side after ties are assigned alternately, and their rank sums. */
  readonly plus: number;
  readonly minus: number;
  readonly plusRanks: number;
  readonly minusRanks: number;
  /** sclite's statistic (see the module comment); negative when the smaller side has the smaller ranks. */
  readonly z: number;
  /** Two-sided p-value of z from the normal law. */
  readonly pValue: number;
}

const EQUAL = 0.005;

function paired(reference: readonly SpeakerRate[], candidate: readonly SpeakerRate[]) {
  const byName = new Map(candidate.map((s) => [s.speaker, s.percent]));
  const ref: number[] = [];
  const cand: number[] = [];
  for (const s of reference) {
    const c = byName.get(s.speaker);
    if (c === undefined)
      throw new RangeError(`speaker '${s.speaker}' of the reference system has no candidate rates`);
    ref.push(s.percent);
    cand.push(c);
  }
  if (candidate.length !== reference.length)
    throw new RangeError(`the systems have different speakers (${reference.length} and ${candidate.length})`);
  let sumRef = 0;
  let sumCand = 0;
  for (let i = 0; i < ref.length; i++) {
    sumRef += ref[i]!;
    sumCand += cand[i]!;
  }
  // sc_stats: the first treatment is the reference unless the candidate's sum is at least as large.
  const referenceFirst = sumRef > sumCand;
  const diffs = ref.map((r, i) => (referenceFirst ? r - cand[i]! : cand[i]! - r));
  return { diffs, first: referenceFirst ? ('reference' as const) : ('candidate' as const) };
}

/**
 * sclite's sign test on per-speaker error rates (`sc_stats -t sign`).
 *
 * @throws {RangeError} when the two systems do not have the same speakers.
 */
export function scliteSpeakerSignTest(
  reference: readonly SpeakerRate[],
  candidate: readonly SpeakerRate[],
): SpeakerSignTestResult {
  const { diffs, first } = paired(reference, candidate);
  let plus = 0;
  let minus = 0;
  let ties = 0;
  for (const d of diffs) {
    if (Math.abs(d) <= EQUAL) ties++;
    else if (d < 0) minus++;
    else plus++;
  }
  const a = plus + Math.floor(ties / 2);
  const b = minus + Math.ceil(ties / 2);
  return {
    speakers: diffs.length,
    first,
    plus,
    minus,
    ties,
    pValue: a === b ? 1 : binomialTwoSided(a, a + b),
  };
}

/**
 * sclite's Wilcoxon signed-rank test on per-speaker error rates (`sc_stats -t wilc`).
 *
 * @throws {RangeError} when the two systems do not have the same speakers.
 */
export function scliteSpeakerWilcoxonTest(
  reference: readonly SpeakerRate[],
  candidate: readonly SpeakerRate[],
): SpeakerWilcoxonResult {
  const { diffs, first } = paired(reference, candidate);
  const n = diffs.length;
  const order = diffs.map((d, i) => [Math.abs(d), i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const rank = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && order[end + 1]![0] === order[start]![0]) end++;
    for (let k = start; k <= end; k++) rank[order[k]![1]] = (start + end) / 2 + 1;
    start = end + 1;
  }
  let plus = 0;
  let minus = 0;
  let plusRanks = 0;
  let minusRanks = 0;
  let alternate = 0;
  diffs.forEach((d, i) => {
    const toPlus = Math.abs(d) > EQUAL ? d > 0 : alternate++ % 2 === 0;
    if (toPlus) {
      plus++;
      plusRanks += rank[i]!;
    } else {
      minus++;
      minusRanks += rank[i]!;
    }
  });
  if (n === 0) return { speakers: 0, first, plus, minus, plusRanks, minusRanks, z: 0, pValue: 1 };
  const w = plus < minus ? plusRanks : minusRanks;
  const z = (w - (n * (n + 1)) / 4) / Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  return {
    speakers: n,
    first,
    plus,
    minus,
    plusRanks,
    minusRanks,
    z,
    pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))),
  };
}
