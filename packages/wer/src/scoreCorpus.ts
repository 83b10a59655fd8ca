/**
 * Scores transcripts keyed by utterance id (Kaldi files, manifests): pairs them by id, reports ids
 * found on one side only, and aggregates at corpus level.
 */
import type { TranscriptEntry } from './kaldiText';
import { processTokens, type ProcessOptions, type UtteranceOutput } from './processWords';
import type { ErrorCounts, Measures } from './measures';
import { splitWords } from './transforms';
import { WerError } from './werError';

/** Transcripts keyed by id: a Map, a record, or parsed entries (e.g. from `parseKaldiText`). */
export type Transcripts =
  | ReadonlyMap<string, string>
  | Readonly<Record<string, string>>
  | Iterable<{ readonly id: string; readonly text: string }>;

/** One scored utterance of a corpus. */
export interface UtteranceScore extends UtteranceOutput {
  readonly id: string;
}

/** What to do with ids present on one side only. */
export type MissingPolicy = 'error' | 'empty';

/** Options of {@link scoreCorpus}. */
export interface ScoreCorpusOptions extends ProcessOptions {
  /**
   * `'error'` (default) throws `E_MISSING_ID`; `'empty'` scores a missing side as an empty
   * transcript: an id without a hypothesis is all deletions, an id without a reference all
   * insertions. Either way the ids are listed in `missingInHyp` / `missingInRef`.
   */
  readonly missing?: MissingPolicy;
  /** Names used in messages (default `reference` / `hypothesis`). */
  readonly referenceName?: string;
  readonly hypothesisName?: string;
}

/** Result of {@link scoreCorpus}. */
export interface CorpusScore extends ErrorCounts, Measures {
  /** Labelled mean of per-utterance rates (utterances with reference words); the corpus WER is `wer`. */
  readonly meanUtteranceWer: number;
  /** Utterances scored, those with an error, and their ratio (sentence error rate). */
  readonly sentences: number;
  readonly sentenceErrors: number;
  readonly ser: number;
  /** Utterances in reference order, then hypothesis-only ids in hypothesis order. */
  readonly utterances: readonly UtteranceScore[];
  /** Reference ids with no hypothesis (scored as empty hypotheses when `missing: 'empty'`). */
  readonly missingInHyp: readonly string[];
  /** Hypothesis ids with no reference (scored as empty references when `missing: 'empty'`). */
  readonly missingInRef: readonly string[];
}

/** Normalises any {@link Transcripts} shape to an ordered Map. */
export function toTranscriptMap(value: Transcripts, name = 'transcripts'): Map<string, string> {
  if (value instanceof Map) return value as Map<string, string>;
  if (value !== null && typeof value === 'object' && Symbol.iterator in value) {
    const out = new Map<string, string>();
    for (const e of value as Iterable<TranscriptEntry>) {
      if (out.has(e.id)) throw new RangeError(`${name}: duplicate utterance id '${e.id}'`);
      out.set(e.id, e.text);
    }
    return out;
  }
  if (value !== null && typeof value === 'object')
    return new Map(Object.entries(value as Record<string, string>));
  throw new TypeError(`${name} must be a Map, a record or an iterable of { id, text }, got ${typeof value}`);
}

/**
 * Pairs references and hypotheses by id, finding ids present on one side only.
 *
 * @returns ids in scoring order with both texts (`''` for a missing side) and the missing lists.
 * @throws {WerError} `E_MISSING_ID` when `missing` is `'error'` and an id is on one side only.
 */
export function pairById(
  references: ReadonlyMap<string, string>,
  hypotheses: ReadonlyMap<string, string>,
  options: { missing?: MissingPolicy; referenceName?: string; hypothesisName?: string } = {},
): { ids: string[]; refs: string[]; hyps: string[]; missingInHyp: string[]; missingInRef: string[] } {
  const ids: string[] = [];
  const refs: string[] = [];
  const hyps: string[] = [];
  const missingInHyp: string[] = [];
  const missingInRef: string[] = [];
  for (const [id, text] of references) {
    const hyp = hypotheses.get(id);
    if (hyp === undefined) missingInHyp.push(id);
    ids.push(id);
    refs.push(text);
    hyps.push(hyp ?? '');
  }
  for (const [id, text] of hypotheses) {
    if (references.has(id)) continue;
    missingInRef.push(id);
    ids.push(id);
    refs.push('');
    hyps.push(text);
  }
  if ((options.missing ?? 'error') === 'error' && (missingInHyp.length || missingInRef.length)) {
    const refName = options.referenceName ?? 'reference';
    const hypName = options.hypothesisName ?? 'hypothesis';
    const parts: string[] = [];
    if (missingInHyp.length)
      parts.push(
        `${missingInHyp.length} id(s) of ${refName} missing in ${hypName} (first: '${missingInHyp[0]}')`,
      );
    if (missingInRef.length)
      parts.push(
        `${missingInRef.length} id(s) of ${hypName} missing in ${refName} (first: '${missingInRef[0]}')`,
      );
    throw new WerError('E_MISSING_ID', `${parts.join('; ')}`, {
      file: missingInHyp.length ? hypName : refName,
    });
  }
  return { ids, refs, hyps, missingInHyp, missingInRef };
}

/**
 * Scores a corpus keyed by utterance id: corpus WER = summed errors / summed reference words.
 *
 * @param references reference transcripts by id.
 * @param hypotheses hypothesis transcripts by id.
 * @param options normalisers and the missing-id policy.
 * @throws {WerError} `E_MISSING_ID` (see {@link ScoreCorpusOptions.missing}).
 */
export function scoreCorpus(
  references: Transcripts,
  hypotheses: Transcripts,
  options: ScoreCorpusOptions = {},
): CorpusScore {
  const refMap = toTranscriptMap(references, options.referenceName ?? 'references');
  const hypMap = toTranscriptMap(hypotheses, options.hypothesisName ?? 'hypotheses');
  const { ids, refs, hyps, missingInHyp, missingInRef } = pairById(refMap, hypMap, options);
  const normRef = options.referenceNormalizer ?? options.normalizer ?? splitWords;
  const normHyp = options.hypothesisNormalizer ?? options.normalizer ?? splitWords;
  const out = processTokens(
    refs.map((t) => normRef(t)),
    hyps.map((t) => normHyp(t)),
    { costs: options.costs },
  );
  const utterances = out.utterances.map((u, i) => ({ id: ids[i]!, ...u }));
  return { ...out, utterances, missingInHyp, missingInRef };
}
