/**
 * sclite `.trn` transcripts: one `words (id)` line per utterance. `formatTrn` exports references
 * or hypotheses for sclite; `parseTrn` reads them back (ids in the last parentheses of a line;
 * extra fields after the id, such as a decoder score, are ignored).
 */
import { decodeText, type TranscriptEntry } from './kaldiText';
import { WerError } from './werError';

/** One utterance to export: its id and either text or already-processed words. */
export type TrnEntry =
  { readonly id: string; readonly text: string } | { readonly id: string; readonly words: readonly string[] };

/**
 * Formats `text (id)` lines (sclite's trn), one per entry, each ending in a newline. Whitespace
 * runs inside a text become one space.
 *
 * @throws {RangeError} when an id is empty or contains whitespace or parentheses.
 */
export function formatTrn(entries: Iterable<TrnEntry>): string {
  let out = '';
  for (const e of entries) {
    if (e.id === '' || /[\s()]/.test(e.id))
      throw new RangeError(
        `formatTrn: id must be non-empty without whitespace or parentheses, got ${JSON.stringify(e.id)}`,
      );
    const words =
      'words' in e
        ? e.words.join(' ')
        : e.text
            .trim()
            .split(/[\s\u0085]+/)
            .join(' ');
    out += words === '' ? `(${e.id})\n` : `${words} (${e.id})\n`;
  }
  return out;
}

/**
 * Parses a `.trn` file.
 *
 * @param data file contents (bytes are decoded as strict UTF-8).
 * @param file name used in error messages.
 * @throws {WerError} `E_BINARY`, `E_NO_ID` (a line without a final `(id)`) or `E_DUPLICATE_ID`.
 */
export function parseTrn(data: string | Uint8Array, file: string): TranscriptEntry[] {
  const text = typeof data === 'string' ? data.replace(/^\ufeff/, '') : decodeText(data, file);
  const seen = new Map<string, number>();
  const out: TranscriptEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (/^[\s\u0085]*$/.test(raw)) return;
    const m = /^([^]*?)\(([^()\s]+)[^()]*\)[\s\u0085]*$/.exec(raw);
    if (!m)
      throw new WerError('E_NO_ID', `${file}:${line}: line has no utterance id (expected "words (id)")`, {
        file,
        line,
      });
    const id = m[2]!;
    const first = seen.get(id);
    if (first !== undefined)
      throw new WerError(
        'E_DUPLICATE_ID',
        `${file}:${line}: duplicate utterance id '${id}' (first at line ${first})`,
        { file, line },
      );
    seen.set(id, line);
    out.push({ id, text: m[1]!.trim(), line });
  });
  return out;
}
