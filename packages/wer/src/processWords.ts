/**
 * The scoring entry points, jiwer-style: `processWords()` aligns every reference/hypothesis pair
 * (counts, measures and chunks); `wer()` and `cer()` are thin wrappers on the counts-only path.
 * Words are mapped to ints over one vocabulary shared by all pairs of a call.
 */
import { alignIds, type AlignmentChunk } from './alignIds';
import { alignIdsSclite } from './alignIdsSclite';
import { costModelOf, type AlignmentCosts } from './alignmentCosts';
import { editDistance } from './editDistance';
import {
  errorRate,
  measures,
  sentenceErrorRate,
  toErrorCounts,
  type ErrorCounts,
  type Measures,
} from './measures';
import { splitCharacters, splitWords, type Normalizer } from './transforms';
import { Vocabulary } from './vocabulary';

/** Which normaliser turns each side's text into words. */
export interface ProcessOptions {
  /** Normaliser for both sides (default: split on whitespace only, nothing else). */
  readonly normalizer?: Normalizer;
  /** Normaliser for references; overrides `normalizer`. */
  readonly referenceNormalizer?: Normalizer;
  /** Normaliser for hypotheses; overrides `normalizer`. */
  readonly hypothesisNormalizer?: Normalizer;
  /**
   * Alignment costs: `unit` (default; Levenshtein, fewest edits) or `sclite` (NIST sclite's
   * 4 / 3 / 3 weights and tie-breaks, so per-utterance C/S/D/I equal sclite's).
   */
  readonly costs?: AlignmentCosts;
}

/** Options of {@link processTokens}. */
export interface TokenOptions {
  /** Alignment costs (see {@link ProcessOptions.costs}). */
  readonly costs?: AlignmentCosts;
  /** What a token is, for messages (`words` or `characters`; default `words`). */
  readonly unit?: string;
}

/** One aligned pair. `reference`/`hypothesis` are the processed words the chunk indices point into. */
export interface UtteranceOutput extends ErrorCounts {
  readonly reference: readonly string[];
  readonly hypothesis: readonly string[];
  readonly chunks: readonly AlignmentChunk[];
  /** This pair's error rate; NaN (JSON null) when its reference is empty ({@link errorRate}). */
  readonly wer: number;
}

/** Result of {@link processWords}: corpus counts (summed), measures and every pair. */
export interface WordOutput extends ErrorCounts, Measures {
  /**
   * Mean of the per-pair error rates over the pairs whose reference has words. NOT the corpus
   * WER (that is `wer` = summed errors / summed reference words); offered because some
   * benchmarks report it. NaN when no pair has reference words.
   */
  readonly meanUtteranceWer: number;
  /** Pairs (sentences, utterances) scored. */
  readonly sentences: number;
  /** Pairs with at least one error. */
  readonly sentenceErrors: number;
  /** Sentence error rate: `sentenceErrors / sentences` (sclite's S.Err); NaN without pairs. */
  readonly ser: number;
  readonly utterances: readonly UtteranceOutput[];
}

type TextInput = string | readonly string[];

function asList(value: TextInput, name: string): readonly string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value))
    throw new TypeError(`${name} must be a string or an array of strings, got ${typeof value}`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string')
      throw new TypeError(`${name}[${i}] must be a string, got ${typeof value[i]}`);
  }
  return value;
}

function pairs(reference: TextInput, hypothesis: TextInput): [readonly string[], readonly string[]] {
  const refs = asList(reference, 'reference');
  const hyps = asList(hypothesis, 'hypothesis');
  if (refs.length !== hyps.length) {
    throw new RangeError(
      `reference and hypothesis must have the same number of texts, got ${refs.length} and ${hyps.length}`,
    );
  }
  return [refs, hyps];
}

/**
 * Aligns each pair of tokens lists (already normalised) and sums the counts.
 *
 * @param references tokens of each reference.
 * @param hypotheses tokens of each hypothesis, same length as `references`.
 * @returns corpus counts, measures and per-pair alignments.
 */
export function processTokens(
  references: readonly (readonly string[])[],
  hypotheses: readonly (readonly string[])[],
  options: TokenOptions = {},
): WordOutput {
  if (references.length !== hypotheses.length) {
    throw new RangeError(
      `references and hypotheses must have the same length, got ${references.length} and ${hypotheses.length}`,
    );
  }
  const align = aligner(options.costs);
  const vocab = new Vocabulary();
  const utterances: UtteranceOutput[] = [];
  let rateSum = 0;
  let rated = 0;
  let sentenceErrors = 0;
  let hits = 0;
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  for (let u = 0; u < references.length; u++) {
    const ref = references[u]!;
    const hyp = hypotheses[u]!;
    const a = align(vocab.ids(ref), vocab.ids(hyp));
    const errors = a.substitutions + a.deletions + a.insertions;
    const referenceWords = a.hits + a.substitutions + a.deletions;
    const rate = errorRate(errors, referenceWords);
    if (referenceWords > 0) {
      rateSum += rate;
      rated++;
    }
    if (errors > 0) sentenceErrors++;
    hits += a.hits;
    substitutions += a.substitutions;
    deletions += a.deletions;
    insertions += a.insertions;
    utterances.push({
      hits: a.hits,
      substitutions: a.substitutions,
      deletions: a.deletions,
      insertions: a.insertions,
      errors,
      referenceWords,
      hypothesisWords: a.hits + a.substitutions + a.insertions,
      reference: ref,
      hypothesis: hyp,
      chunks: a.chunks,
      wer: rate,
    });
  }
  const total = toErrorCounts({ hits, substitutions, deletions, insertions });
  return {
    ...total,
    ...measures(total, options.unit),
    meanUtteranceWer: rated ? rateSum / rated : NaN,
    sentences: utterances.length,
    sentenceErrors,
    ser: sentenceErrorRate(sentenceErrors, utterances.length),
    utterances,
  };
}

/** The backtrace kernel of a cost model. */
export function aligner(costs: AlignmentCosts = 'unit'): typeof alignIds {
  costModelOf(costs);
  return costs === 'sclite' ? alignIdsSclite : alignIds;
}

/**
 * Word-level scoring of one pair or of parallel lists (jiwer's `process_words`).
 *
 * @param reference one reference text or a list of them.
 * @param hypothesis the matching hypothesis text(s); a list must have the reference list's length.
 * @param options normalisers (default: whitespace split only).
 * @returns summed counts, measures, the labelled mean of per-pair rates, and every pair's chunks.
 * @throws {TypeError} when a text is not a string. {@link RangeError} when the list lengths differ.
 */
export function processWords(
  reference: TextInput,
  hypothesis: TextInput,
  options: ProcessOptions = {},
): WordOutput {
  const [refs, hyps] = pairs(reference, hypothesis);
  const normRef = options.referenceNormalizer ?? options.normalizer ?? splitWords;
  const normHyp = options.hypothesisNormalizer ?? options.normalizer ?? splitWords;
  return processTokens(
    refs.map((t) => normRef(t)),
    hyps.map((t) => normHyp(t)),
    { costs: options.costs },
  );
}

/**
 * Character-level scoring: each side is normalised to words, the words are joined by one space
 * and split into code points (spaces between words count as characters, as in jiwer).
 */
export function processCharacters(
  reference: TextInput,
  hypothesis: TextInput,
  options: ProcessOptions = {},
): WordOutput {
  const [refs, hyps] = pairs(reference, hypothesis);
  const normRef = options.referenceNormalizer ?? options.normalizer ?? splitWords;
  const normHyp = options.hypothesisNormalizer ?? options.normalizer ?? splitWords;
  return processTokens(
    refs.map((t) => splitCharacters(normRef(t).join(' '))),
    hyps.map((t) => splitCharacters(normHyp(t).join(' '))),
    { costs: options.costs, unit: 'characters' },
  );
}

function fastRate(
  refs: readonly string[],
  hyps: readonly string[],
  tokenize: (text: string, side: 'ref' | 'hyp') => readonly string[],
): number {
  const vocab = new Vocabulary();
  let errors = 0;
  let words = 0;
  for (let u = 0; u < refs.length; u++) {
    const r = vocab.ids(tokenize(refs[u]!, 'ref'));
    const h = vocab.ids(tokenize(hyps[u]!, 'hyp'));
    errors += editDistance(r, h);
    words += r.length;
  }
  return errorRate(errors, words);
}

/**
 * Corpus word error rate (summed errors / summed reference words) on the counts-only path; NaN
 * when the references have no words. Call {@link processWords} once instead when you need several
 * measures or the alignment. With `costs: 'sclite'` it aligns (sclite's errors are those of its
 * weighted alignment, not the minimum number of edits).
 */
export function wer(reference: TextInput, hypothesis: TextInput, options: ProcessOptions = {}): number {
  if (options.costs === 'sclite') return processWords(reference, hypothesis, options).wer;
  const [refs, hyps] = pairs(reference, hypothesis);
  const normRef = options.referenceNormalizer ?? options.normalizer ?? splitWords;
  const normHyp = options.hypothesisNormalizer ?? options.normalizer ?? splitWords;
  return fastRate(refs, hyps, (t, side) => (side === 'ref' ? normRef(t) : normHyp(t)));
}

/** Corpus character error rate on the counts-only path (see {@link processCharacters}). */
export function cer(reference: TextInput, hypothesis: TextInput, options: ProcessOptions = {}): number {
  if (options.costs === 'sclite') return processCharacters(reference, hypothesis, options).wer;
  const [refs, hyps] = pairs(reference, hypothesis);
  const normRef = options.referenceNormalizer ?? options.normalizer ?? splitWords;
  const normHyp = options.hypothesisNormalizer ?? options.normalizer ?? splitWords;
  return fastRate(refs, hyps, (t, side) =>
    splitCharacters((side === 'ref' ? normRef(t) : normHyp(t)).join(' ')),
  );
}
