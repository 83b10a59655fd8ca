/**
 * Audio manifests: what `eou encode`, `eou transcribe --manifest` and the audio gate read.
 * - NeMo JSONL: one object a line with `audio_filepath` (relative paths resolve against the
 *   manifest's directory), `text`, optional `duration`, `id` (default: the file name without its
 *   extension), and any end-of-speech keys (`speech_start`, `speech_end`, `utterances`), which are
 *   carried into the encoded corpus.
 * - Kaldi: a `wav.scp` (`id path` lines; piped commands are refused) with `text` (`id words`)
 *   beside it, given as the `wav.scp` file or as the data directory holding both.
 * Whether each audio file exists is not checked here: a missing one is that file's failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeText, parseKaldiText } from '@eou/wer';
import { GateError } from './gateError';

/** One audio file to encode or transcribe. */
export interface AudioEntry {
  readonly id: string;
  /** The audio file, resolved. */
  readonly audioPath: string;
  readonly text: string;
  /** 1-based line of the manifest (of `wav.scp` for Kaldi). */
  readonly line: number;
  /** Every other key of a NeMo line (`duration`, `speech_end`, `utterances`, ...), unchanged. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A read manifest. */
export interface AudioManifest {
  readonly kind: 'nemo' | 'kaldi';
  /** The file read (JSONL or `wav.scp`). */
  readonly file: string;
  /** Every file the manifest is made of, for hashing (`wav.scp` and `text` for Kaldi). */
  readonly files: readonly string[];
  readonly entries: readonly AudioEntry[];
}

const bad = (file: string, line: number | undefined, field: string | undefined, message: string): never => {
  throw new GateError('E_BAD_MANIFEST', `${file}${line === undefined ? '' : ` line ${line}`}: ${message}`, {
    file,
    ...(line === undefined ? {} : { line }),
    ...(field === undefined ? {} : { field }),
  });
};

function readTextFile(file: string): string {
  if (!fs.existsSync(file)) bad(file, undefined, undefined, 'no such file');
  if (fs.statSync(file).isDirectory()) bad(file, undefined, undefined, 'is a directory, expected a file');
  try {
    return decodeText(new Uint8Array(fs.readFileSync(file)), file);
  } catch (error) {
    return bad(file, undefined, undefined, error instanceof Error ? error.message : String(error));
  }
}

const goodId = (id: unknown): id is string => typeof id === 'string' && id !== '' && !/[\s\u0085]/.test(id);

function checkUnique(entries: readonly AudioEntry[], file: string): void {
  const seen = new Map<string, number>();
  for (const e of entries) {
    const first = seen.get(e.id);
    if (first !== undefined)
      bad(
        file,
        e.line,
        'id',
        `duplicate id ${JSON.stringify(e.id)} (first at line ${first}); give each line an \`id\``,
      );
    seen.set(e.id, e.line);
  }
}

function readNemo(file: string): AudioManifest {
  const text = readTextFile(file).replace(/^\ufeff/, '');
  const dir = path.dirname(file);
  const entries: AudioEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      bad(
        file,
        line,
        undefined,
        `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      bad(file, line, undefined, 'expected a JSON object');
    const { audio_filepath: audio, text: words, id, ...extra } = value as Record<string, unknown>;
    if (typeof audio !== 'string' || audio === '')
      bad(
        file,
        line,
        'audio_filepath',
        `\`audio_filepath\` must be a non-empty string, got ${JSON.stringify(audio)}`,
      );
    if (typeof words !== 'string')
      bad(file, line, 'text', `\`text\` must be a string, got ${JSON.stringify(words)}`);
    const audioPath = path.resolve(dir, audio as string);
    const name = id ?? path.basename(audioPath).replace(/\.[^.]*$/, '');
    if (!goodId(name))
      bad(
        file,
        line,
        'id',
        `\`id\` must be a non-empty string without whitespace, got ${JSON.stringify(name)}`,
      );
    if (extra['duration'] !== undefined && !(typeof extra['duration'] === 'number' && extra['duration'] >= 0))
      bad(
        file,
        line,
        'duration',
        `\`duration\` must be seconds >= 0, got ${JSON.stringify(extra['duration'])}`,
      );
    entries.push({ id: name as string, audioPath, text: words as string, line, extra });
  });
  checkUnique(entries, file);
  return { kind: 'nemo', file, files: [file], entries };
}

function readKaldi(wavScp: string): AudioManifest {
  const dir = path.dirname(wavScp);
  const textFile = path.join(dir, 'text');
  if (!fs.existsSync(textFile))
    bad(wavScp, undefined, undefined, `a Kaldi wav.scp needs its \`text\` beside it (${textFile} not found)`);
  const texts = new Map(parseKaldiText(readTextFile(textFile), textFile).map((t) => [t.id, t.text]));
  const entries: AudioEntry[] = [];
  readTextFile(wavScp)
    .split('\n')
    .forEach((raw, i) => {
      const line = i + 1;
      const t = raw.trim();
      if (t === '' || t.startsWith('#')) return;
      const m = /^(\S+)\s+(.+)$/.exec(t);
      if (!m) return bad(wavScp, line, undefined, `expected "id path", got ${JSON.stringify(t)}`);
      const [, id, where] = m as unknown as [string, string, string];
      if (where.trimEnd().endsWith('|'))
        bad(wavScp, line, id, `${id}: piped commands are not supported; convert the audio to files first`);
      const text = texts.get(id);
      if (text === undefined)
        bad(
          textFile,
          undefined,
          id,
          `no transcript for ${JSON.stringify(id)} (listed in ${wavScp} line ${line})`,
        );
      entries.push({ id, audioPath: path.resolve(dir, where.trim()), text: text!, line, extra: {} });
    });
  checkUnique(entries, wavScp);
  return { kind: 'kaldi', file: wavScp, files: [wavScp, textFile], entries };
}

/**
 * Reads an audio manifest: a NeMo JSONL file, a Kaldi `wav.scp` (with `text` beside it), or a Kaldi
 * data directory holding both.
 * @throws {GateError} `E_BAD_MANIFEST` naming the file, line and field
 */
export function readAudioManifest(file: string): AudioManifest {
  if (typeof file !== 'string' || file === '')
    throw new TypeError(`\`file\` must be a non-empty string, got ${JSON.stringify(file)}`);
  let m: AudioManifest;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    const scp = path.join(file, 'wav.scp');
    if (!fs.existsSync(scp))
      bad(
        file,
        undefined,
        undefined,
        'a directory manifest must be a Kaldi data directory with wav.scp and text',
      );
    m = readKaldi(scp);
  } else if (path.basename(file) === 'wav.scp') m = readKaldi(file);
  else m = readNemo(file);
  if (m.entries.length === 0) bad(m.file, undefined, undefined, 'no entries');
  return m;
}
