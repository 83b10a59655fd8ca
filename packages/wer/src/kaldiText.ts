/**
 * Reads Kaldi-style transcript files: one `id text...` line per utterance. Binary garbage,
 * lines without an id and duplicate ids are errors that name the file and the line.
 */
import { WerError } from './werError';

/** One transcript line. `line` is 1-based. */
export interface TranscriptEntry {
  readonly id: string;
  readonly text: string;
  readonly line: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes file bytes as strict UTF-8 (a leading BOM is dropped).
 *
 * @throws {WerError} `E_BINARY` naming the file and the line of the first NUL byte or invalid sequence.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = lineOfOffset(bytes, nul);
    throw new WerError('E_BINARY', `${file}:${line}: not a text file (NUL byte at offset ${nul})`, {
      file,
      line,
    });
  }
  try {
    const text = decoder.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (cause) {
    const line = firstInvalidLine(bytes);
    throw new WerError('E_BINARY', `${file}:${line}: not a text file (invalid UTF-8)`, { file, line, cause });
  }
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidLine(bytes: Uint8Array): number {
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
    line++;
  }
  return line - 1;
}

/**
 * Parses a Kaldi-style text file (`id` then the words, separated by whitespace). Empty lines are
 * skipped; an id with no words is an empty transcript.
 *
 * @param data file contents (bytes are decoded as strict UTF-8).
 * @param file name used in error messages.
 * @returns entries in file order.
 * @throws {WerError} `E_BINARY`, `E_NO_ID` (a line starting with whitespace) or `E_DUPLICATE_ID`.
 */
export function parseKaldiText(data: string | Uint8Array, file: string): TranscriptEntry[] {
  let text = typeof data === 'string' ? data : decodeText(data, file);
  if (typeof data === 'string') {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const nul = text.indexOf('\u0000');
    if (nul >= 0) {
      const line = text.slice(0, nul).split('\n').length;
      throw new WerError('E_BINARY', `${file}:${line}: not a text file (NUL character)`, { file, line });
    }
  }
  const lines = text.split('\n');
  const seen = new Map<string, number>();
  const out: TranscriptEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (/^[\s\u0085]*$/.test(raw)) continue;
    const match = /^([^\s\u0085]+)(?:[\s\u0085]+([^]*))?$/.exec(raw);
    if (!match) {
      throw new WerError(
        'E_NO_ID',
        `${file}:${lineNo}: line has no utterance id (it starts with whitespace)`,
        { file, line: lineNo },
      );
    }
    const id = match[1]!;
    const first = seen.get(id);
    if (first !== undefined) {
      throw new WerError(
        'E_DUPLICATE_ID',
        `${file}:${lineNo}: duplicate utterance id '${id}' (first at line ${first})`,
        {
          file,
          line: lineNo,
        },
      );
    }
    seen.set(id, lineNo);
    out.push({ id, text: (match[2] ?? '').replace(/[\s\u0085]+$/, ''), line: lineNo });
  }
  return out;
}
