/**
 * Reads a corpus `manifest.jsonl`: one JSON object a line with `id`, `text` (reference words) and
 * `frames` (path of the encoder-frame `.npy`, relative to the manifest's directory). Other keys
 * (NeMo's `audio_filepath`, `duration`, ...) are kept in `extra`.
 */
import { decodeText } from '@eou/wer';
import { GateError } from './gateError';

/** One manifest line. `line` is 1-based. */
export interface ManifestEntry {
  readonly id: string;
  readonly text: string;
  readonly frames: string;
  readonly line: number;
  /** Every other key of the line's object, unchanged. */
  readonly extra: Readonly<Record<string, unknown>>;
  /**
   * With `lenient`, why this entry cannot be used (`text` or `frames` missing or invalid); the
   * entry is kept so a caller can report it per file. Absent for a good entry.
   */
  readonly problem?: string;
}

/** Options of {@link parseManifest}. */
export interface ParseManifestOptions {
  /**
   * Keep entries whose `text` or `frames` is missing or invalid, with a `problem`, instead of
   * failing the whole file (the WER gate reports such files and goes on). Invalid JSON, bad ids
   * and duplicate ids still throw.
   */
  readonly lenient?: boolean;
}

function fail(file: string, line: number, field: string | undefined, message: string): never {
  throw new GateError('E_BAD_MANIFEST', `${file} line ${line}: ${message}`, {
    file,
    line,
    ...(field ? { field } : {}),
  });
}

function decodeManifest(data: Uint8Array, file: string): string {
  try {
    return decodeText(data, file);
  } catch (error) {
    // @eou/wer's text decoder names the file and byte; keep its message under this package's error.
    throw new GateError('E_BAD_MANIFEST', error instanceof Error ? error.message : String(error), {
      file,
      cause: error,
    });
  }
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Parses `manifest.jsonl` text. Empty lines are skipped.
 *
 * @param data file contents (bytes are decoded as strict UTF-8).
 * @param file name used in error messages, e.g. `corpus/manifest.jsonl`.
 * @returns entries in file order.
 * @throws {GateError} `E_BAD_MANIFEST` naming the file, line and field: invalid JSON, not an object,
 *   `id`/`text`/`frames` missing or not strings, `frames` absolute or escaping the directory, or a
 *   duplicate `id`, or bytes that are not UTF-8 text.
 */
export function parseManifest(
  data: string | Uint8Array,
  file: string,
  options: ParseManifestOptions = {},
): ManifestEntry[] {
  const text = typeof data === 'string' ? data.replace(/^\ufeff/, '') : decodeManifest(data, file);
  const lines = text.split('\n');
  const seen = new Map<string, number>();
  const out: ManifestEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const line = i + 1;
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      fail(
        file,
        line,
        undefined,
        `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail(
        file,
        line,
        undefined,
        `expected a JSON object, got ${Array.isArray(value) ? 'an array' : show(value)}`,
      );
    }
    const { id, text: words, frames, ...extra } = value as Record<string, unknown>;
    if (typeof id !== 'string' || id === '' || /[\s\u0085]/.test(id)) {
      fail(file, line, 'id', `\`id\` must be a non-empty string without whitespace, got ${show(id)}`);
    }
    const first = seen.get(id);
    if (first !== undefined) fail(file, line, 'id', `duplicate \`id\` ${show(id)} (first at line ${first})`);
    seen.set(id, line);
    let problem: [string, string] | undefined;
    if (typeof words !== 'string') problem = ['text', `\`text\` must be a string, got ${show(words)}`];
    else if (typeof frames !== 'string' || frames === '')
      problem = ['frames', `\`frames\` must be a non-empty relative path, got ${show(frames)}`];
    else if (/^([/\\]|[A-Za-z]:)/.test(frames))
      problem = ['frames', `\`frames\` must be a relative path, got ${show(frames)}`];
    else if (frames.split(/[/\\]/).includes('..'))
      problem = ['frames', `\`frames\` must stay inside the corpus directory, got ${show(frames)}`];
    if (problem && !options.lenient) fail(file, line, problem[0], problem[1]);
    if (problem) {
      out.push({
        id,
        text: typeof words === 'string' ? words : '',
        frames: typeof frames === 'string' ? frames : '',
        line,
        extra,
        problem: `${file} line ${line}: ${problem[1]}`,
      });
    } else out.push({ id, text: words as string, frames: frames as string, line, extra });
  }
  return out;
}
