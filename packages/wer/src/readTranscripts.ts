/**
 * Reads reference and hypothesis files in any of the four formats (`kaldi`, `plain`, `trn`,
 * `manifest`), named by the caller or detected from the content, says which one it used, and
 * pairs two files: by id, or by line for plain files. This is what `eou wer --format` calls.
 */
import { decodeText, parseKaldiText, type TranscriptEntry } from './kaldiText';
import { parsePlainText } from './plainText';
import { pairById, type MissingPolicy } from './scoreCorpus';
import {
  detectTranscriptFormat,
  transcriptFormats,
  type FormatDetection,
  type TranscriptFormat,
} from './transcriptFormat';
import { parseTranscriptJsonl } from './transcriptJsonl';
import { parseTrn } from './trn';
import { WerError } from './werError';

/** Options of {@link readTranscripts}. */
export interface ReadTranscriptsOptions {
  /** File name used in messages and in the result. */
  readonly file: string;
  /** The format; detected from the content when absent. */
  readonly format?: TranscriptFormat;
  /** `manifest` only: key of the transcript (default `text`; a hypothesis file names its own, e.g. `pred_text`). */
  readonly textKey?: string;
  /** `manifest` only: key of the utterance id (default `id`, else `audio_filepath` when no line has `id`). */
  readonly idKey?: string;
}

/** A read transcript file. */
export interface TranscriptFile {
  readonly file: string;
  readonly format: TranscriptFormat;
  /** True when the format was detected from the content, false when the caller named it. */
  readonly detected: boolean;
  /** How the format was found, for the output: the detection's reason, or "named". */
  readonly how: string;
  /** `id`: paired with the other file by utterance id; `line`: by line number (plain). */
  readonly pairing: 'id' | 'line';
  /** Entries in file order; plain entries have their line number as `id`. */
  readonly entries: readonly TranscriptEntry[];
}

function formatError(file: string, message: string): WerError {
  return new WerError('E_FORMAT', `${file}: ${message}`, { file, field: 'format' });
}

function checkFormat(format: TranscriptFormat): void {
  if (!transcriptFormats.includes(format))
    throw new RangeError(
      `format must be one of ${transcriptFormats.join(', ')}, got ${JSON.stringify(format)}`,
    );
}

function parseAs(text: string, format: TranscriptFormat, options: ReadTranscriptsOptions): TranscriptEntry[] {
  switch (format) {
    case 'kaldi':
      return parseKaldiText(text, options.file);
    case 'plain':
      return parsePlainText(text, options.file);
    case 'trn':
      return parseTrn(text, options.file);
    case 'manifest':
      return parseTranscriptJsonl(text, options.file, {
        ...(options.textKey !== undefined ? { textKey: options.textKey } : {}),
        ...(options.idKey !== undefined ? { idKey: options.idKey } : {}),
      });
  }
}

/**
 * Reads one transcript file.
 *
 * @param data file contents (bytes are decoded as strict UTF-8).
 * @param options the file name, and the format when the caller names it.
 * @returns the entries, the format used and whether it was detected.
 * @throws {WerError} `E_FORMAT` when the format is not named and the content fits more than one
 *   (the message says which to name); the parsers' errors (`E_BINARY`, `E_NO_ID`,
 *   `E_DUPLICATE_ID`, `E_BAD_MANIFEST`) naming the file and line.
 * @throws {RangeError} for an unknown `format`.
 */
export function readTranscripts(data: string | Uint8Array, options: ReadTranscriptsOptions): TranscriptFile {
  const text = typeof data === 'string' ? data : decodeText(data, options.file);
  if (options.format !== undefined) {
    checkFormat(options.format);
    return finish(text, options.format, false, 'named', options);
  }
  const found = detectTranscriptFormat(text);
  if (found.format) return finish(text, found.format, true, found.reason, options);
  if (found.candidates.length === transcriptFormats.length)
    return finish(text, 'kaldi', true, `${found.reason} (read as kaldi: no entries)`, options);
  throw formatError(
    options.file,
    `cannot tell the format: ${found.reason}; name it: --format plain (one transcript a line, paired by line) or --format kaldi (the first word is the utterance id)`,
  );
}

function finish(
  text: string,
  format: TranscriptFormat,
  detected: boolean,
  how: string,
  options: ReadTranscriptsOptions,
): TranscriptFile {
  return {
    file: options.file,
    format,
    detected,
    how,
    pairing: format === 'plain' ? 'line' : 'id',
    entries: parseAs(text, format, options),
  };
}

/** Options of {@link readTranscriptPair}: per-side options and an optional format for both. */
export interface ReadPairOptions {
  readonly reference: ReadTranscriptsOptions;
  readonly hypothesis: ReadTranscriptsOptions;
}

/**
 * Reads a reference and a hypothesis file together. A side whose content fits both `kaldi` and
 * `plain` (or that is empty) takes the format of the other side when that one is certain, since
 * a plain file cannot be paired with an id-keyed one; when both stay ambiguous, the error says
 * which format to name. Two detected `kaldi` files without a single id in common are refused too
 * (plain files whose lines happen to start with id-like words would look like that).
 *
 * @throws {WerError} `E_FORMAT` as above, or for a plain file with an id-keyed one.
 */
export function readTranscriptPair(
  reference: string | Uint8Array,
  hypothesis: string | Uint8Array,
  options: ReadPairOptions,
): [TranscriptFile, TranscriptFile] {
  const refText = typeof reference === 'string' ? reference : decodeText(reference, options.reference.file);
  const hypText =
    typeof hypothesis === 'string' ? hypothesis : decodeText(hypothesis, options.hypothesis.file);
  const refFound = options.reference.format ? undefined : detectTranscriptFormat(refText);
  const hypFound = options.hypothesis.format ? undefined : detectTranscriptFormat(hypText);
  const refKnown = options.reference.format ?? refFound!.format;
  const hypKnown = options.hypothesis.format ?? hypFound!.format;
  const read = (
    text: string,
    side: ReadTranscriptsOptions,
    found: FormatDetection | undefined,
    other: TranscriptFormat | undefined,
    otherFile: string,
  ): TranscriptFile => {
    const format = found && !found.format && other ? adoptable(found, other) : undefined;
    if (!format) return readTranscripts(text, side);
    return {
      ...readTranscripts(text, { ...side, format }),
      detected: true,
      how: `${found!.reason}; read as ${format}, like ${otherFile}`,
    };
  };
  let ref: TranscriptFile;
  let hyp: TranscriptFile;
  try {
    ref = read(refText, options.reference, refFound, hypKnown, options.hypothesis.file);
    hyp = read(hypText, options.hypothesis, hypFound, refKnown, options.reference.file);
  } catch (error) {
    if (error instanceof WerError && error.code === 'E_FORMAT' && !refKnown && !hypKnown)
      throw formatError(
        `${options.reference.file} and ${options.hypothesis.file}`,
        `cannot tell the format of either file (${refFound!.reason}; ${hypFound!.reason}); name it: --format plain (one transcript a line, paired by line) or --format kaldi (the first word is the utterance id)`,
      );
    throw error;
  }
  if ((ref.pairing === 'line') !== (hyp.pairing === 'line') && ref.entries.length && hyp.entries.length)
    throw formatError(
      `${ref.file} and ${hyp.file}`,
      `${ref.file} is ${ref.format} and ${hyp.file} is ${hyp.format}: a line-paired file cannot be paired with an id-keyed one; name --format`,
    );
  if (
    ref.detected &&
    hyp.detected &&
    ref.format === 'kaldi' &&
    hyp.format === 'kaldi' &&
    ref.entries.length &&
    hyp.entries.length
  ) {
    const ids = new Set(ref.entries.map((e) => e.id));
    if (!hyp.entries.some((e) => ids.has(e.id)))
      throw formatError(
        `${ref.file} and ${hyp.file}`,
        `read as kaldi, the files have no utterance id in common (${ref.file} starts with '${ref.entries[0]!.id}', ${hyp.file} with '${hyp.entries[0]!.id}'); if each line is one transcript, name --format plain`,
      );
  }
  return [ref, hyp];
}

/** The format an ambiguous side takes from a certain other side, if any fits. */
function adoptable(found: FormatDetection, other: TranscriptFormat): TranscriptFormat | undefined {
  if (found.candidates.includes(other)) return other;
  // An id-keyed other side (trn, manifest) rules out plain.
  if (other !== 'plain' && found.candidates.includes('kaldi')) return 'kaldi';
  return undefined;
}

/**
 * Pairs two read files: plain files line by line (same number of lines required), the others by
 * id with the missing-id policy of `pairById`.
 *
 * @throws {WerError} `E_LINE_COUNT` for plain files of different lengths, `E_FORMAT` for a plain
 *   file with an id-keyed one, `E_MISSING_ID` (policy `error`).
 */
export function pairTranscripts(
  reference: TranscriptFile,
  hypothesis: TranscriptFile,
  options: { readonly missing?: MissingPolicy } = {},
): ReturnType<typeof pairById> {
  const refLines = reference.pairing === 'line';
  const hypLines = hypothesis.pairing === 'line';
  if (refLines && hypLines) {
    if (reference.entries.length !== hypothesis.entries.length)
      throw new WerError(
        'E_LINE_COUNT',
        `${reference.file} has ${reference.entries.length} line(s) and ${hypothesis.file} ${hypothesis.entries.length}: plain files pair line by line and need the same number of lines`,
        { file: hypothesis.file },
      );
    return {
      ids: reference.entries.map((e) => e.id),
      refs: reference.entries.map((e) => e.text),
      hyps: hypothesis.entries.map((e) => e.text),
      missingInHyp: [],
      missingInRef: [],
    };
  }
  if ((refLines || hypLines) && reference.entries.length && hypothesis.entries.length)
    throw formatError(
      `${reference.file} and ${hypothesis.file}`,
      `${reference.file} is ${reference.format} and ${hypothesis.file} is ${hypothesis.format}: a line-paired file cannot be paired with an id-keyed one`,
    );
  return pairById(
    new Map(reference.entries.map((e) => [e.id, e.text])),
    new Map(hypothesis.entries.map((e) => [e.id, e.text])),
    { missing: options.missing ?? 'error', referenceName: reference.file, hypothesisName: hypothesis.file },
  );
}
