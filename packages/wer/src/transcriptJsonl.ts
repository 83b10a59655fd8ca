/**
 * Transcripts in JSON Lines (NeMo-style manifests and prediction files): one object a line, the id
 * under `id` (or, for NeMo manifests without one, `audio_filepath`) and the transcript under a key
 * the caller names (`text` for references; a hypothesis file names its own, e.g. `pred_text`).
 * Every other key is kept in `extra`. Unlike `parseManifest` (the WER gate's corpus manifest),
 * no `frames` path is required.
 */
import { decodeText, type TranscriptEntry } from './kaldiText';
import { WerError } from './werError';

/** One JSONL transcript: an entry with the line's other keys. */
export interface JsonlTranscriptEntry extends TranscriptEntry {
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Options of {@link parseTranscriptJsonl}. */
export interface TranscriptJsonlOptions {
  /** Key of the transcript (default `text`). */
  readonly textKey?: string;
  /** Key of the utterance id (default `id`, or `audio_filepath` when no line has `id`). */
  readonly idKey?: string;
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Parses JSONL transcripts. Empty lines are skipped.
 *
 * @param data file contents (bytes are decoded as strict UTF-8).
 * @param file name used in error messages.
 * @throws {WerError} `E_BAD_MANIFEST` naming the file, line and field: invalid JSON, not an object,
 *   the id or transcript key missing or not a string, or a duplicate id; `E_BINARY`.
 */
export function parseTranscriptJsonl(
  data: string | Uint8Array,
  file: string,
  options: TranscriptJsonlOptions = {},
): JsonlTranscriptEntry[] {
  const text = typeof data === 'string' ? data.replace(/^\ufeff/, '') : decodeText(data, file);
  const textKey = options.textKey ?? 'text';
  const rows: Array<{ line: number; value: Record<string, unknown> }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new WerError(
        'E_BAD_MANIFEST',
        `${file} line ${line}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        { file, line },
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new WerError(
        'E_BAD_MANIFEST',
        `${file} line ${line}: expected a JSON object, got ${show(value)}`,
        {
          file,
          line,
        },
      );
    rows.push({ line, value: value as Record<string, unknown> });
  });
  const idKey =
    options.idKey ??
    (rows.length > 0 &&
    rows.every((r) => !Object.hasOwn(r.value, 'id')) &&
    rows.every((r) => Object.hasOwn(r.value, 'audio_filepath'))
      ? 'audio_filepath'
      : 'id');
  const seen = new Map<string, number>();
  return rows.map(({ line, value }) => {
    const id = Object.hasOwn(value, idKey) ? value[idKey] : undefined;
    if (typeof id !== 'string' || id === '')
      throw new WerError(
        'E_BAD_MANIFEST',
        `${file} line ${line}: \`${idKey}\` must be a non-empty string (the utterance id), got ${show(id)}`,
        { file, line, field: idKey },
      );
    const first = seen.get(id);
    if (first !== undefined)
      throw new WerError(
        'E_BAD_MANIFEST',
        `${file} line ${line}: duplicate \`${idKey}\` ${show(id)} (first at line ${first})`,
        {
          file,
          line,
          field: idKey,
        },
      );
    seen.set(id, line);
    const words = Object.hasOwn(value, textKey) ? value[textKey] : undefined;
    if (typeof words !== 'string')
      throw new WerError(
        'E_BAD_MANIFEST',
        `${file} line ${line}: \`${textKey}\` must be a string (the transcript), got ${show(words)}`,
        { file, line, field: textKey },
      );
    // fromEntries defines keys as own data properties, so a `__proto__` key stays a key.
    const extra = Object.fromEntries(Object.entries(value).filter(([k]) => k !== idKey && k !== textKey));
    return { id, text: words, line, extra };
  });
}
