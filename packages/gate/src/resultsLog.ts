/**
 * `results.jsonl`: the gate's append-only log, one JSON line per file, written with a direct
 * `write` on an fd (no user-space buffer), so a SIGKILL loses at most the line being written. The
 * first line is a header carrying a hash of every setting that affects results; a rerun with the
 * same settings resumes after the last complete line, a rerun with other settings is refused.
 */
import fs from 'node:fs';
import type { ChunkLayout } from './chunkLayout';
import { GateError } from './gateError';
import type { SpeechTruth } from './speechTruth';

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

/** Reads a results log; a torn final line (killed mid-write) is ignored and reported as `torn`. */
export function readResults(file: string): LoadedResults & { tornBytes: number; validBytes: number } {
  const text = fs.readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const lines = text
    .slice(0, end)
    .split('\n')
    .filter((l) => l.length > 0);
  if (lines.length === 0)
    throw new GateError('E_BAD_RESULTS', `${file}: empty results log (no header line)`, { file });
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line) as ResultsLine;
    } catch {
      throw new GateError('E_BAD_RESULTS', `${file} line ${i + 1}: not valid JSON`, { file, line: i + 1 });
    }
  });
  const header = parsed[0];
  if (header?.kind !== 'header' || header.format !== RESULTS_FORMAT) {
    throw new GateError('E_BAD_RESULTS', `${file} line 1: expected a ${RESULTS_FORMAT} header`, {
      file,
      line: 1,
    });
  }
  const files: FileResult[] = [];
  for (let i = 1; i < parsed.length; i++) {
    const line = parsed[i]!;
    if (line.kind !== 'file')
      throw new GateError('E_BAD_RESULTS', `${file} line ${i + 1}: expected a file result`, {
        file,
        line: i + 1,
      });
    files.push(line);
  }
  return {
    header,
    files,
    tornBytes: Buffer.byteLength(text) - Buffer.byteLength(text.slice(0, end)),
    validBytes: Buffer.byteLength(text.slice(0, end)),
  };
}

/** An open log: resumes an existing one with the same settings, or starts a new one. */
export class ResultsLog {
  readonly done: ReadonlyMap<string, FileResult>;
  private readonly fd: number;

  private constructor(
    readonly file: string,
    fd: number,
    done: Map<string, FileResult>,
  ) {
    this.fd = fd;
    this.done = done;
  }

  static open(file: string, header: ResultsHeader): ResultsLog {
    const done = new Map<string, FileResult>();
    if (fs.existsSync(file) && fs.statSync(file).size > 0) {
      const existing = readResults(file);
      if (existing.header.settingsHash !== header.settingsHash || existing.header.shard !== header.shard) {
        throw new GateError(
          'E_RESULTS_MISMATCH',
          `${file}: written by a run with other settings (shard ${existing.header.shard}, settings ${existing.header.settingsHash.slice(0, 12)}); use another output directory or delete it`,
          { file },
        );
      }
      if (existing.tornBytes > 0) fs.truncateSync(file, existing.validBytes);
      for (const f of existing.files) done.set(f.id, f);
      return new ResultsLog(file, fs.openSync(file, 'a'), done);
    }
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, JSON.stringify(header) + '\n');
    return new ResultsLog(file, fd, done);
  }

  append(result: FileResult): void {
    fs.writeSync(this.fd, JSON.stringify(result) + '\n');
    (this.done as Map<string, FileResult>).set(result.id, result);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
