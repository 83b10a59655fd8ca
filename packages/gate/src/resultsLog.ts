/**
 * `results.jsonl`: the gate's append-only log, one JSON line per file, written with a direct
 * `write` on an fd (no user-space buffer), so a SIGKILL loses at most the line being written. The
 * first line is a header carrying a hash of every setting that affects results; a rerun with the
 * same settings resumes after the last complete line, a rerun with other settings is refused.
 *
 * The log is created with its first file result (a run that fails to start leaves nothing to refuse a
 * corrected rerun), and every record is checked when read: its shape, its id (in the manifest, at its
 * position, once) and its counts against its own texts, so a hand-edited or duplicated record is an
 * error naming the line rather than a changed count. Only a torn last line (a kill mid-write) is
 * dropped, with a note.
 */
import fs from 'node:fs';
import { presets, processWords, type NormalizerName } from '@eou/wer';
import type { ChunkLayout } from './chunkLayout';
import { GateError } from './gateError';
import { scanLines } from './logLines';
import type { SpeechTruth } from './speechTruth';
import { writingTo } from './writeFailure';

export const RESULTS_FORMAT = 'eou-wer-gate-results/1';

export interface ResultsHeader {
  readonly kind: 'header';
  readonly format: typeof RESULTS_FORMAT;
  /** Hash of the settings that determine every line (model files, variants, corpus, normaliser, policies). */
  readonly settingsHash: string;
  readonly settings: Record<string, unknown>;
  /** Deterministic slice of the corpus this log covers ("1/1" for a whole run). */
  readonly shard: string;
  /** Where the shard came from when `--shard auto` read it (`Slurm job array (SLURM_ARRAY_TASK_ID=3, ...)`). */
  readonly shardSource?: string;
}

/** What one variant produced on one file. */
export interface VariantFileResult {
  readonly tokens: readonly number[];
  readonly text: string;
  readonly errors: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  /** Token sequence differs from the reference variant's. */
  readonly seqDiff: boolean;
  /** Wall time of this variant's decode of this file, ms (excluded from identity checks). */
  readonly decodeMs: number;
  readonly eouFrames: readonly number[];
  /** Frame of each entry of `tokens` (EOU timing replays from these; absent in logs of older versions). */
  readonly tokenFrames?: readonly number[];
  readonly steps: number;
}

export interface FileResult {
  readonly kind: 'file';
  readonly id: string;
  /** Position in the manifest, for deterministic ordering of reports. */
  readonly index: number;
  readonly status: 'ok' | 'error';
  /** Why the file could not be decoded (bad `.npy`, NaN frames, missing text...). */
  readonly reason?: string;
  readonly reference: string;
  readonly words: number;
  readonly frames: number;
  readonly durationSec?: number;
  /** Where the file's speech ends (from its manifest line), for EOU timing. */
  readonly speech?: SpeechTruth;
  /** The chunks the file was decoded in and EOU timing replayed with. */
  readonly chunking?: ChunkLayout;
  readonly variants: Readonly<Record<string, VariantFileResult>>;
}

export type ResultsLine = ResultsHeader | FileResult;

export interface LoadedResults {
  readonly header: ResultsHeader;
  readonly files: FileResult[];
}

/** What a manifest says of one id, to check a record against. */
export interface ManifestTruth {
  /** Position in the manifest. */
  readonly index: number;
  /** The reference text. */
  readonly text: string;
}

/** Options of {@link readResults}. */
export interface ReadResultsOptions {
  /** The manifest's ids: a record of another id, position or reference text is refused. */
  readonly manifest?: ReadonlyMap<string, ManifestTruth>;
  /** Positions this log may hold (its shard). */
  readonly holds?: (index: number) => boolean;
  /** Called with the header before any record is checked (to refuse other settings first). */
  readonly onHeader?: (header: ResultsHeader) => void;
  /** Told when a torn last line is dropped. */
  readonly onNote?: (line: string) => void;
}

/** A read log: its records, the 1-based line of each, and where its complete lines end. */
export interface ReadResults extends LoadedResults {
  readonly lines: readonly number[];
  /** Bytes after the last newline (a line torn by a kill mid-write). */
  readonly tornBytes: number;
  readonly validBytes: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isIntArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x));

/** Why `v` is not a variant's result, or undefined. */
function variantProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'is not an object';
  if (!isIntArray(v.tokens)) return '`tokens` must be an array of integers';
  if (typeof v.text !== 'string') return '`text` must be a string';
  for (const k of ['errors', 'substitutions', 'deletions', 'insertions', 'steps'] as const)
    if (!isCount(v[k])) return `\`${k}\` must be a non-negative integer`;
  if (typeof v.seqDiff !== 'boolean') return '`seqDiff` must be a boolean';
  if (typeof v.decodeMs !== 'number' || !Number.isFinite(v.decodeMs)) return '`decodeMs` must be a number';
  if (!isIntArray(v.eouFrames)) return '`eouFrames` must be an array of integers';
  if (v.tokenFrames !== undefined && !isIntArray(v.tokenFrames))
    return '`tokenFrames` must be an array of integers';
  return undefined;
}

interface RecordRules {
  readonly variants: readonly string[];
  readonly normalizer: (text: string) => string[];
}

/** Why `v` is not a file result this log can hold, or undefined. */
function recordProblem(v: unknown, rules: RecordRules, options: ReadResultsOptions): string | undefined {
  if (!isObject(v)) return `expected a file result object, got ${JSON.stringify(v)}`;
  if (v.kind !== 'file') return `expected a file result (\`kind\` "file"), got ${JSON.stringify(v.kind)}`;
  if (typeof v.id !== 'string' || v.id === '') return '`id` must be a non-empty string';
  if (!isCount(v.index)) return '`index` must be a non-negative integer';
  if (v.status !== 'ok' && v.status !== 'error') return '`status` must be "ok" or "error"';
  if (typeof v.reference !== 'string') return '`reference` must be a string';
  if (!isCount(v.words) || !isCount(v.frames)) return '`words` and `frames` must be non-negative integers';
  if (!isObject(v.variants)) return '`variants` must be an object';
  const truth = options.manifest?.get(v.id);
  if (options.manifest !== undefined) {
    if (truth === undefined) return `id ${JSON.stringify(v.id)} is not in the manifest`;
    if (truth.index !== v.index)
      return `id ${JSON.stringify(v.id)} is at manifest position ${truth.index}, the record says ${v.index}`;
    if (truth.text !== v.reference)
      return `\`reference\` of ${JSON.stringify(v.id)} differs from the manifest's text`;
  }
  if (options.holds !== undefined && !options.holds(v.index))
    return `id ${JSON.stringify(v.id)} (position ${v.index}) does not belong to this log's shard`;
  if (v.words !== rules.normalizer(v.reference).length)
    return `\`words\` is ${v.words}, the reference has ${rules.normalizer(v.reference).length}`;
  const names = Object.keys(v.variants);
  if (v.status === 'error') {
    if (typeof v.reason !== 'string') return 'a failed file needs a `reason` string';
    if (names.length !== 0) return 'a failed file has no `variants`';
    return undefined;
  }
  if (
    names.length !== rules.variants.length ||
    rules.variants.some((n) => !Object.hasOwn(v.variants as object, n))
  )
    return `\`variants\` must hold ${rules.variants.join(', ')}, got ${names.join(', ') || 'none'}`;
  const variants = v.variants;
  for (const n of rules.variants) {
    const problem = variantProblem(variants[n]);
    if (problem !== undefined) return `variant ${n}: ${problem}`;
  }
  const refTokens = (variants[rules.variants[0]!] as VariantFileResult).tokens;
  // Variants usually agree on the text: each distinct text is aligned once.
  const counted = new Map<string, ReturnType<typeof processWords>>();
  for (const n of rules.variants) {
    const r = variants[n] as VariantFileResult;
    let c = counted.get(r.text);
    if (c === undefined) {
      c = processWords(v.reference, r.text, { normalizer: rules.normalizer });
      counted.set(r.text, c);
    }
    if (
      c.errors !== r.errors ||
      c.substitutions !== r.substitutions ||
      c.deletions !== r.deletions ||
      c.insertions !== r.insertions
    )
      return `variant ${n}: the counts (${r.errors} errors) disagree with its text and the reference (${c.errors} errors)`;
    const differs = r.tokens.length !== refTokens.length || r.tokens.some((t, i) => t !== refTokens[i]);
    if (differs !== r.seqDiff) return `variant ${n}: \`seqDiff\` disagrees with its tokens`;
  }
  return undefined;
}

/** The variants and normaliser a header says its records hold. */
function recordRules(file: string, header: ResultsHeader): RecordRules {
  const s = header.settings;
  const variants = s['variants'];
  const normalizer = s['normalizer'];
  if (
    !Array.isArray(variants) ||
    variants.length === 0 ||
    !variants.every((x) => typeof x === 'string') ||
    typeof normalizer !== 'string' ||
    !Object.hasOwn(presets, normalizer)
  )
    throw new GateError('E_BAD_RESULTS', `${file} line 1: the header lacks its variants or normalizer`, {
      file,
      line: 1,
    });
  return { variants: variants, normalizer: presets[normalizer as NormalizerName] };
}

/**
 * Reads and checks a results log; a torn final line (killed mid-write) is dropped and reported as
 * `tornBytes` (and to `onNote`).
 *
 * @throws {GateError} `E_BAD_RESULTS` naming the file and line: no header, a line that is not JSON, a
 *   record of the wrong shape, an id given twice, not in the manifest or outside the shard, counts
 *   that disagree with the record's texts.
 */
export function readResults(file: string, options: ReadResultsOptions = {}): ReadResults {
  const bad = (line: number, message: string) =>
    new GateError(
      'E_BAD_RESULTS',
      `${file} line ${line}: ${message} (delete the line to redo that file, or the log to start over)`,
      { file, line },
    );
  const empty = () => new GateError('E_BAD_RESULTS', `${file}: empty results log (no header line)`, { file });
  let h: ResultsHeader | undefined;
  let rules: RecordRules | undefined;
  const files: FileResult[] = [];
  const lines: number[] = [];
  const seen = new Map<string, number>();
  // Line by line: the log's text is never held whole, only the records parsed from it.
  const scan = scanLines(file, (text, line) => {
    if (line === 1) {
      if (text === '') throw empty();
      h = readHeader(file, text, bad);
      options.onHeader?.(h);
      rules = recordRules(file, h);
      return;
    }
    if (text === '') throw bad(line, 'an empty line');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw bad(line, 'not valid JSON');
    }
    const problem = recordProblem(value, rules!, options);
    if (problem !== undefined) throw bad(line, problem);
    const record = shareAgreeing(value as FileResult, rules!.variants);
    const first = seen.get(record.id);
    if (first !== undefined)
      throw bad(line, `id ${JSON.stringify(record.id)} again (first at line ${first})`);
    seen.set(record.id, line);
    files.push(record);
    lines.push(line);
  });
  if (h === undefined) throw empty();
  if (scan.tornBytes > 0)
    options.onNote?.(
      `${file} line ${scan.lines + 1}: dropped a torn last line (${scan.tornBytes} bytes, cut mid-write)`,
    );
  return { header: h, files, lines, tornBytes: scan.tornBytes, validBytes: scan.validBytes };
}

const sameInts = (a: readonly number[] | undefined, b: readonly number[] | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * A checked record whose variants hold the first variant's token, frame and EOU arrays and text
 * wherever theirs are equal (the usual case: candidates agree with the reference), so a log read for
 * the report holds each once per file instead of once per variant. Records are read-only data.
 */
function shareAgreeing(record: FileResult, variants: readonly string[]): FileResult {
  if (record.status !== 'ok') return record;
  const all = record.variants as Record<string, VariantFileResult>;
  const first = all[variants[0]!]!;
  for (const name of variants.slice(1)) {
    const v = all[name]!;
    all[name] = {
      ...v,
      tokens: sameInts(v.tokens, first.tokens) ? first.tokens : v.tokens,
      text: v.text === first.text ? first.text : v.text,
      eouFrames: sameInts(v.eouFrames, first.eouFrames) ? first.eouFrames : v.eouFrames,
      ...(v.tokenFrames !== undefined && sameInts(v.tokenFrames, first.tokenFrames)
        ? { tokenFrames: first.tokenFrames }
        : {}),
    };
  }
  return record;
}

/** The header line of a log, checked. */
function readHeader(
  file: string,
  text: string,
  bad: (line: number, message: string) => GateError,
): ResultsHeader {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw bad(1, 'not valid JSON');
  }
  if (!isObject(header) || header.kind !== 'header' || header.format !== RESULTS_FORMAT)
    throw new GateError('E_BAD_RESULTS', `${file} line 1: expected a ${RESULTS_FORMAT} header`, {
      file,
      line: 1,
    });
  const h = header as unknown as ResultsHeader;
  if (typeof h.settingsHash !== 'string' || typeof h.shard !== 'string' || !isObject(h.settings))
    throw new GateError('E_BAD_RESULTS', `${file} line 1: the header lacks its settings or shard`, {
      file,
      line: 1,
    });
  return h;
}

/**
 * The header of a results log alone (its first line).
 * @throws {GateError} `E_BAD_RESULTS` when the first line is not a header
 */
export function readResultsHeader(file: string): ResultsHeader {
  let header: ResultsHeader | undefined;
  const stop = new Error('header read');
  try {
    readResults(file, {
      onHeader: (h) => {
        header = h;
        throw stop;
      },
    });
  } catch (error) {
    if (error !== stop) throw error;
  }
  return header!;
}

/** Whether a log holds a complete line after its header (a kill before the first newline leaves none). */
function holdsResults(file: string): boolean {
  return scanLines(file, (_, line) => line < 2).lines >= 2;
}

/** Writes all of `text` (a short write is followed by the rest, or by the error that stopped it). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let at = 0;
  while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
}

/**
 * An open log: resumes an existing one with the same settings, or starts a new one with its first
 * result. Writes the file system refuses are `E_WRITE_FAILED` naming the log.
 */
export class ResultsLog {
  /**
   * Ids of the files logged, resumed or appended. Only the ids: the results are on disk, and the
   * report reads them back from there, so a run holds no file's result once it is written.
   */
  readonly done: ReadonlySet<string>;
  private fd: number | undefined;
  private exists: boolean;

  private constructor(
    readonly file: string,
    private readonly header: ResultsHeader,
    fd: number | undefined,
    done: Set<string>,
  ) {
    this.fd = fd;
    this.exists = fd !== undefined;
    this.done = done;
  }

  /**
   * @param check the manifest and shard every resumed record must fit
   * @throws {GateError} `E_RESULTS_MISMATCH` for a log of other settings; `E_BAD_RESULTS` for a bad
   *   record; `E_WRITE_FAILED` when a torn line cannot be cut off
   */
  static open(
    file: string,
    header: ResultsHeader,
    check: Omit<ReadResultsOptions, 'onHeader'> = {},
  ): ResultsLog {
    const done = new Set<string>();
    if (!fs.existsSync(file) || fs.statSync(file).size === 0)
      return new ResultsLog(file, header, undefined, done);
    if (!holdsResults(file)) {
      // A header alone (an older version wrote it before the first file) or a header torn by a kill:
      // nothing to resume, and nothing that should refuse a corrected rerun.
      check.onNote?.(
        `${file}: removed a log without results (left by a run that stopped before its first file)`,
      );
      writingTo(file, () => fs.rmSync(file, { force: true }));
      return new ResultsLog(file, header, undefined, done);
    }
    const existing = readResults(file, {
      ...check,
      onHeader: (h) => {
        if (h.settingsHash !== header.settingsHash || h.shard !== header.shard)
          throw new GateError(
            'E_RESULTS_MISMATCH',
            `${file}: written by a run with other settings (shard ${h.shard}, settings ${h.settingsHash.slice(0, 12)}); use another output directory or delete it`,
            { file },
          );
      },
    });
    if (existing.tornBytes > 0) writingTo(file, () => fs.truncateSync(file, existing.validBytes));
    for (const f of existing.files) done.add(f.id);
    return new ResultsLog(
      file,
      header,
      writingTo(file, () => fs.openSync(file, 'a')),
      done,
    );
  }

  /** Whether the log file exists (it is created with the first result), even once closed. */
  get started(): boolean {
    return this.exists;
  }

  append(result: FileResult): void {
    const line = JSON.stringify(result) + '\n';
    writingTo(this.file, () => {
      if (this.fd === undefined) {
        // Exclusive: the output lock keeps other gates out, so an existing file here is a bug.
        const fd = fs.openSync(this.file, 'wx');
        try {
          writeAll(fd, JSON.stringify(this.header) + '\n' + line);
        } catch (error) {
          // A log that never held a whole result is removed, so nothing refuses the rerun.
          fs.closeSync(fd);
          fs.rmSync(this.file, { force: true });
          throw error;
        }
        this.fd = fd;
        this.exists = true;
      } else writeAll(this.fd, line);
    });
    (this.done as Set<string>).add(result.id);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
