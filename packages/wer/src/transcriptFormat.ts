/**
 * Which transcript format a file is in, told from its content (never from its extension alone):
 *
 * - `manifest`: every non-empty line is a JSON object (`{...}`).
 * - `trn`: every non-empty line ends with a parenthesised id, `words (id)`, the ids unique.
 * - `kaldi`: `id words...`; every line's first token is unique and looks like an id (it holds a
 *   digit or an underscore: `utt1`, `1089-134686-0000`, `spk_a`).
 * - `plain`: one transcript a line, paired by line number (jiwer's format). Certain when a first
 *   token repeats (`the` on two lines cannot be two ids) or a line starts with a blank.
 *
 * Unique first tokens that do not look like ids (`hello world foo`) fit both `kaldi` and `plain`:
 * that is reported as ambiguous, and reading such a file needs the format named, because taking
 * the first word as an id silently changes the score.
 */

/** A transcript file format. */
export type TranscriptFormat = 'kaldi' | 'plain' | 'trn' | 'manifest';

/** The formats, as `--format` takes them. */
export const transcriptFormats: readonly TranscriptFormat[] = ['kaldi', 'plain', 'trn', 'manifest'];

/** What the content of a file shows. */
export interface FormatDetection {
  /** The format, or undefined when the content fits several (see `candidates`) or is empty. */
  readonly format: TranscriptFormat | undefined;
  /** Every format the content fits (all four for an empty file). */
  readonly candidates: readonly TranscriptFormat[];
  /** Why, in words, for messages: "every line starts with a unique id-like token (e.g. 'utt1')". */
  readonly reason: string;
}

const TRN_ID = /\(([^()\s]+)[^()]*\)[\s\u0085]*$/;
const ID_LIKE = /[0-9_]/;

/**
 * Detects the format of transcript text (already decoded).
 *
 * @returns the format when the content allows only one, else the candidates and why.
 */
export function detectTranscriptFormat(text: string): FormatDetection {
  const lines = text
    .replace(/^\ufeff/, '')
    .split('\n')
    .map((l, i) => ({ raw: l, no: i + 1 }))
    .filter((l) => !/^[\s\u0085]*$/.test(l.raw));
  if (lines.length === 0)
    return { format: undefined, candidates: transcriptFormats, reason: 'the file has no transcript lines' };
  if (lines.every((l) => l.raw.trimStart().startsWith('{')))
    return { format: 'manifest', candidates: ['manifest'], reason: 'every line is a JSON object' };
  const trnIds = lines.map((l) => TRN_ID.exec(l.raw)?.[1]);
  if (trnIds.every((id) => id !== undefined) && new Set(trnIds).size === trnIds.length)
    return {
      format: 'trn',
      candidates: ['trn'],
      reason: `every line ends with a unique "(id)" (e.g. "(${trnIds[0]})")`,
    };
  const indented = lines.find((l) => /^[\s\u0085]/.test(l.raw));
  if (indented)
    return {
      format: 'plain',
      candidates: ['plain'],
      reason: `line ${indented.no} starts with a blank, so lines do not start with an id`,
    };
  const seen = new Map<string, number>();
  for (const l of lines) {
    const token = /^[^\s\u0085]+/.exec(l.raw)![0];
    const first = seen.get(token);
    if (first !== undefined)
      return {
        format: 'plain',
        candidates: ['plain'],
        reason: `the first word '${token}' repeats (lines ${first} and ${l.no}), so first words are not ids`,
      };
    seen.set(token, l.no);
  }
  const tokens = [...seen.keys()];
  const wordLike = tokens.find((t) => !ID_LIKE.test(t));
  if (wordLike === undefined)
    return {
      format: 'kaldi',
      candidates: ['kaldi'],
      reason: `every line starts with a unique id-like token (e.g. '${tokens[0]}')`,
    };
  return {
    format: undefined,
    candidates: ['kaldi', 'plain'],
    reason: `the first words are unique but '${wordLike}' does not look like an utterance id`,
  };
}
