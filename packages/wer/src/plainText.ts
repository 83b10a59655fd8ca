/**
 * Plain transcript files as jiwer reads them: one transcript a line, no ids; line i of the
 * reference pairs with line i of the hypothesis. Every line counts, a blank one as an empty
 * transcript, except blank lines at the very end of the file (a trailing newline or two is
 * not an utterance).
 */
import { decodeText, type TranscriptEntry } from './kaldiText';
import { WerError } from './werError';

/**
 * Parses a plain file. Entries get their 1-based line number as `id` (`'1'`, `'2'`, ...).
 *
 * @param data file contents (bytes are decoded as strict UTF-8).
 * @param file name used in error messages.
 * @throws {WerError} `E_BINARY` for bytes that are not UTF-8 text.
 */
export function parsePlainText(data: string | Uint8Array, file: string): TranscriptEntry[] {
  const text = typeof data === 'string' ? data.replace(/^\ufeff/, '') : decodeText(data, file);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new WerError('E_BINARY', `${file}:${line}: not a text file (NUL character)`, { file, line });
  }
  const lines = text.split('\n');
  let end = lines.length;
  while (end > 0 && /^[\s\u0085]*$/.test(lines[end - 1]!)) end--;
  const out: TranscriptEntry[] = [];
  for (let i = 0; i < end; i++) {
    out.push({ id: String(i + 1), text: lines[i]!.replace(/[\s\u0085]+$/, ''), line: i + 1 });
  }
  return out;
}
