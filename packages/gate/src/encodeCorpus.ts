/**
 * Audio manifest -> a corpus of cached encoder frames in the layout the gate reads
 * (`manifest.jsonl` + `frames/<id>.npy`), made the way a streaming host makes them: the model's
 * features and cache-aware encoder under a named chunk schedule, keeping the columns the host
 * decodes and recording each file's chunking, so the gate decodes (and times EOU) exactly as the
 * stream would. `provenance.json` records the audio hashes, the encoder hash, the features, the
 * schedule and the end-of-speech source.
 *
 * Resumable like the gate: every finished file is a line of `encode-log.jsonl` (written with a direct
 * `write`), its frames are written through a temp file and a rename, a rerun skips what the log holds,
 * and the manifest and provenance are written atomically at the end. The log's header carries the
 * corpus's content address (audio hashes, encoder and model.json hashes, features, schedule, dtype,
 * resampling, VAD); a log of another address is refused. Files are worked on `concurrency` at a
 * time (p-limit): ONNX Runtime's `run` blocks the thread, so this overlaps reading and decoding
 * audio with encoding, it does not encode in parallel.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  createChunkedEncoder,
  createStreamingEncoder,
  detectSpeech,
  FrontendError,
  readAudioFile,
  resolveSchedule,
  type ChunkSchedule,
  type SpeechSegmentOptions,
  type StreamingModel,
} from '@eou/frontend';
import { encodeNpy } from '@eou/rnnt-decode';
import pLimit from 'p-limit';
import { readAudioManifest, type AudioEntry, type AudioManifest } from './audioManifest';
import { encoderFileHashes, openAudioModel } from './audioModel';
import { chunkLayoutOf, type ChunkLayout } from './chunkLayout';
import { CORPUS_PROVENANCE_FORMAT, type CorpusProvenance } from './corpusProvenance';
import { GateError } from './gateError';
import { sha256 } from './modelDirectory';
import { openVad, type OpenedVad } from './openVad';
import { gateVersions } from './versions';
import { writeAtomic } from './writeAtomic';

export const ENCODE_LOG_FORMAT = 'eou-encode-log/1';

/** Options of {@link encodeCorpus}. */
export interface EncodeCorpusOptions {
  /** Model directory with `encoder.features` and `encoder.streaming` in its model.json. */
  readonly modelDir: string;
  /** Audio manifest: NeMo JSONL, Kaldi `wav.scp` (with `text`), or a Kaldi data directory. */
  readonly manifest: string;
  /** The corpus directory to write (created; resumed when it holds a log of the same inputs). */
  readonly outDir?: string;
  /**
   * Instead of `outDir`: a cache root; the corpus goes to `<cacheDir>/corpora/<first 16 hex of its
   * content address>`, so the same inputs are encoded once and found again.
   */
  readonly cacheDir?: string;
  /** Chunk schedule name (default: the model's first declared schedule, else `production`). */
  readonly schedule?: string;
  /** Storage of the frames (default `float32`; the tiny model's shipped sets are `float16`). */
  readonly dtype?: 'float32' | 'float16';
  /** Resample audio of another rate (default false: such a file fails with `E_SAMPLE_RATE`). */
  readonly resample?: boolean;
  /** A Silero VAD (`.mlmodelc`, `.mlpackage`, `.onnx`) for the end of speech of lines without one. */
  readonly vad?: string;
  readonly vadOptions?: SpeechSegmentOptions;
  /** Files worked on at a time (default 2). */
  readonly concurrency?: number;
  /** Versions recorded in the provenance (default the gate's). */
  readonly versions?: Readonly<Record<string, string>>;
  /** After each file (and once at the start with the resumed count). */
  readonly onProgress?: (p: { readonly done: number; readonly total: number }) => void;
}

/** What {@link encodeCorpus} did. */
export interface EncodeCorpusResult {
  readonly dir: string;
  readonly key: string;
  readonly schedule: string;
  readonly files: number;
  readonly encodedNow: number;
  readonly resumed: number;
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
  readonly provenance: CorpusProvenance;
}

/** One finished file in the log: its corpus manifest line, or why it failed. */
type LogLine =
  | { readonly kind: 'header'; readonly format: string; readonly key: string }
  | { readonly kind: 'file'; readonly id: string; readonly line: Record<string, unknown> };

/** The inputs that decide every output byte, hashed into the corpus's content address. */
export interface EncodeInputs {
  readonly audio: readonly (readonly [string, string | null])[];
  readonly manifestSha256: string;
  readonly modelFiles: Readonly<Record<string, string>>;
  readonly features: unknown;
  readonly schedule: ChunkSchedule;
  readonly dtype: 'float32' | 'float16';
  readonly resample: boolean;
  readonly vad: Readonly<Record<string, unknown>> | null;
}

/** The content address of a corpus: sha256 of its inputs (see {@link EncodeInputs}). */
export function corpusKey(inputs: EncodeInputs): string {
  return sha256(JSON.stringify(inputs));
}

const SAFE = /^[A-Za-z0-9._-]+$/;
/** The frames file of an id: the id itself when file-safe, else a safe form with a short hash. */
function framesName(id: string): string {
  return SAFE.test(id) ? `${id}.npy` : `${id.replace(/[^A-Za-z0-9._-]/g, '_')}-${sha256(id).slice(0, 8)}.npy`;
}

/** sha256 of an audio file, or null when it cannot be read (that file then fails on its own). */
function hashAudio(file: string): string | null {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return null;
  }
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

function openLog(file: string, key: string): { done: Map<string, Record<string, unknown>>; fd: number } {
  const done = new Map<string, Record<string, unknown>>();
  if (fs.existsSync(file) && fs.statSync(file).size > 0) {
    const text = fs.readFileSync(file, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    const lines = text.slice(0, end).split('\n').filter(Boolean);
    let header: LogLine | undefined;
    try {
      header = JSON.parse(lines[0] ?? 'null') as LogLine;
    } catch {
      header = undefined;
    }
    if (header?.kind !== 'header' || header.format !== ENCODE_LOG_FORMAT)
      throw new GateError('E_BAD_RESULTS', `${file} line 1: expected a ${ENCODE_LOG_FORMAT} header`, {
        file,
        line: 1,
      });
    if (header.key !== key)
      throw new GateError(
        'E_RESULTS_MISMATCH',
        `${file}: written for other inputs (corpus ${header.key.slice(0, 12)}, these make ${key.slice(0, 12)}: another audio file, encoder, schedule or setting); use another output directory or delete it`,
        { file },
      );
    for (let i = 1; i < lines.length; i++) {
      try {
        const l = JSON.parse(lines[i]!) as LogLine;
        if (l.kind === 'file') done.set(l.id, l.line);
      } catch {
        throw new GateError('E_BAD_RESULTS', `${file} line ${i + 1}: not valid JSON`, { file, line: i + 1 });
      }
    }
    // A torn last line (killed mid-write) is dropped.
    if (end < Buffer.byteLength(text)) fs.truncateSync(file, Buffer.byteLength(text.slice(0, end)));
    return { done, fd: fs.openSync(file, 'a') };
  }
  const fd = fs.openSync(file, 'w');
  fs.writeSync(
    fd,
    JSON.stringify({ kind: 'header', format: ENCODE_LOG_FORMAT, key } satisfies LogLine) + '\n',
  );
  return { done, fd };
}

/** End-of-speech keys of the audio manifest, carried into the corpus line as they are. */
const SPEECH_KEYS = ['speech_start', 'speech_end', 'utterances', 'speech_end_source'];
const hasSpeechEnd = (e: AudioEntry) =>
  e.extra['speech_end'] !== undefined || e.extra['utterances'] !== undefined;

/** Encodes one audio file: its corpus manifest line (and frames written), or why it failed. */
async function encodeOne(
  entry: AudioEntry,
  audioSha: string | null,
  model: StreamingModel,
  schedule: ChunkSchedule,
  opts: {
    dtype: 'float32' | 'float16';
    resample: boolean;
    vad: OpenedVad | undefined;
    vadOptions: SpeechSegmentOptions;
  },
  outDir: string,
): Promise<Record<string, unknown>> {
  const base = { id: entry.id, text: entry.text, audio_filepath: entry.audioPath };
  const fail = (reason: string) => ({ ...base, encode_error: reason });
  try {
    const audio = await readAudioFile(entry.audioPath, {
      sampleRate: model.features.sampleRate,
      resample: opts.resample,
    });
    const chunker = createChunkedEncoder({
      features: model.features,
      encoder: createStreamingEncoder(model.encoder.session, model.encoder.spec),
      schedule,
    });
    const chunks = [...(await chunker.push(audio.samples)), ...(await chunker.finish())];
    const E = model.encoder.outputDim;
    const total = chunks.reduce((a, c) => a + c.decodeCount, 0);
    const frames = new Float32Array(total * E);
    let at = 0;
    for (const c of chunks) {
      frames.set(c.encoded.frames.subarray(0, c.decodeCount * E), at * E);
      at += c.decodeCount;
    }
    for (let i = 0; i < frames.length; i++)
      if (!Number.isFinite(frames[i]!))
        return fail(`${entry.audioPath}: the encoder gave a non-finite value at frame ${Math.floor(i / E)}`);
    if (total === 0)
      return fail(
        `${entry.audioPath}: ${audio.durationSeconds.toFixed(3)} s of audio make no frame under schedule ${schedule.name} (shorter than one window)`,
      );
    const layout: ChunkLayout = chunkLayoutOf(
      chunks.map((c) => ({ frames: c.decodeCount, advanceSamples: c.advanceSamples })),
      schedule.name,
      model.features.sampleRate,
      chunker.frameMs ?? 0,
    );
    const speech: Record<string, unknown> = {};
    for (const k of SPEECH_KEYS) if (entry.extra[k] !== undefined) speech[k] = entry.extra[k];
    if (!hasSpeechEnd(entry) && opts.vad !== undefined) {
      const va = await detectSpeech(opts.vad.vad, audio.samples, audio.sampleRate, opts.vadOptions);
      speech['speech_end'] = va.speechEndMs === null ? null : Math.round(va.speechEndMs) / 1000;
      if (va.segments.length > 0) speech['speech_start'] = Math.round(va.segments[0]!.startMs) / 1000;
      speech['speech_end_source'] = 'vad';
    }
    const name = framesName(entry.id);
    fs.mkdirSync(path.join(outDir, 'frames'), { recursive: true });
    writeAtomic(path.join(outDir, 'frames', name), encodeNpy(frames, [total, E], { dtype: opts.dtype }));
    const rest = Object.fromEntries(
      Object.entries(entry.extra).filter(([k]) => !SPEECH_KEYS.includes(k) && k !== 'duration'),
    );
    return {
      ...base,
      frames: `frames/${name}`,
      duration: Math.round(audio.durationSeconds * 1e6) / 1e6,
      num_frames: total,
      audio_sha256: audioSha,
      ...(audio.resampledWith === undefined ? {} : { resampled_from: audio.sourceSampleRate }),
      ...speech,
      chunking: layout,
      ...rest,
    };
  } catch (error) {
    if (error instanceof FrontendError) return fail(firstLine(error));
    throw error;
  }
}

/**
 * Encodes an audio manifest into a frames corpus (see the module comment).
 * @throws {GateError} `E_BAD_MANIFEST` (the audio manifest), `E_BAD_MODEL` (the model or VAD),
 *   `E_RESULTS_MISMATCH` (an `outDir` of other inputs); RangeError for an unknown schedule.
 *   Audio that cannot be read is a failed file (in the result, the manifest and the provenance).
 */
export async function encodeCorpus(options: EncodeCorpusOptions): Promise<EncodeCorpusResult> {
  const concurrency = options.concurrency ?? 2;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new RangeError(
      `\`concurrency\` must be an integer >= 1, got ${JSON.stringify(options.concurrency)}`,
    );
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float16')
    throw new RangeError(`\`dtype\` must be "float32" or "float16", got ${JSON.stringify(options.dtype)}`);
  if ((options.outDir === undefined) === (options.cacheDir === undefined))
    throw new TypeError('give exactly one of `outDir` and `cacheDir`');
  const manifest: AudioManifest = readAudioManifest(options.manifest);
  const { encoderFile, files: modelFiles } = encoderFileHashes(options.modelDir);
  const model = await openAudioModel(options.modelDir);
  let vad: OpenedVad | undefined;
  try {
    const schedule = resolveSchedule(
      options.schedule ?? model.schedules[0]?.name ?? 'production',
      model.schedules,
    );
    const needsVad = manifest.entries.some((e) => !hasSpeechEnd(e));
    vad = options.vad !== undefined && needsVad ? await openVad(options.vad) : undefined;
    const vadOptions = options.vadOptions ?? {};
    const audio = manifest.entries.map((e) => [e.id, hashAudio(e.audioPath)] as const);
    const inputs: EncodeInputs = {
      audio,
      manifestSha256: sha256(manifest.files.map((f) => fs.readFileSync(f).toString('latin1')).join('\0')),
      modelFiles,
      features: model.features,
      schedule,
      dtype,
      resample: options.resample === true,
      vad: vad === undefined ? null : { sha256: vad.sha256, options: vadOptions },
    };
    const key = corpusKey(inputs);
    const outDir = options.outDir ?? path.join(options.cacheDir!, 'corpora', key.slice(0, 16));
    fs.mkdirSync(outDir, { recursive: true });
    const logFile = path.join(outDir, 'encode-log.jsonl');
    const log = openLog(logFile, key);
    const total = manifest.entries.length;
    const lines = new Map<string, Record<string, unknown>>();
    // A logged file whose frames are gone (deleted by hand) is encoded again.
    for (const [id, line] of log.done)
      if (typeof line['frames'] !== 'string' || fs.existsSync(path.join(outDir, line['frames'])))
        lines.set(id, line);
    const resumed = lines.size;
    let done = resumed;
    options.onProgress?.({ done, total });
    const shaOf = new Map(audio);
    const limit = pLimit(concurrency);
    const todo = manifest.entries.filter((e) => !lines.has(e.id));
    // On the first failure (a bug, a full disk, a caller's callback) the queued files return at once
    // and the ones in flight settle before the log is closed, so nothing writes to a closed descriptor.
    let failure: { error: unknown } | undefined;
    const tasks = todo.map((entry) =>
      limit(async () => {
        if (failure !== undefined) return;
        try {
          const line = await encodeOne(
            entry,
            shaOf.get(entry.id) ?? null,
            model,
            schedule,
            { dtype, resample: options.resample === true, vad, vadOptions },
            outDir,
          );
          if (failure !== undefined) return;
          fs.writeSync(log.fd, JSON.stringify({ kind: 'file', id: entry.id, line } satisfies LogLine) + '\n');
          lines.set(entry.id, line);
          done += 1;
          options.onProgress?.({ done, total });
        } catch (error) {
          failure ??= { error };
        }
      }),
    );
    await Promise.allSettled(tasks);
    fs.closeSync(log.fd);
    if (failure !== undefined) throw failure.error;
    const ordered = manifest.entries.map((e) => lines.get(e.id)!);
    const failed = ordered
      .filter((l) => typeof l['encode_error'] === 'string')
      .map((l) => ({ id: String(l['id']), reason: String(l['encode_error']) }));
    const eos =
      vad === undefined
        ? { source: 'manifest' }
        : { source: 'vad', model: vad.path, format: vad.format, sha256: vad.sha256, options: vadOptions };
    const provenance: CorpusProvenance = {
      format: CORPUS_PROVENANCE_FORMAT,
      key,
      schedule: { ...schedule },
      features: { ...model.features },
      encoder: { file: encoderFile, sha256: modelFiles[encoderFile]! },
      modelFiles,
      dtype,
      audio: {
        manifest: path.resolve(manifest.file),
        files: total,
        sha256: sha256(
          audio
            .map(([id, h]) => `${id} ${h ?? 'unreadable'}`)
            .sort()
            .join('\n'),
        ),
      },
      endOfSpeech: eos,
      resample: options.resample === true,
      encoded: ordered.length - failed.length,
      failed,
      toolkit: { ...(options.versions ?? gateVersions()) },
    };
    writeAtomic(path.join(outDir, 'manifest.jsonl'), ordered.map((l) => JSON.stringify(l)).join('\n') + '\n');
    writeAtomic(path.join(outDir, 'provenance.json'), JSON.stringify(provenance, null, 2) + '\n');
    return {
      dir: outDir,
      key,
      schedule: schedule.name,
      files: total,
      encodedNow: todo.length,
      resumed,
      failed,
      provenance,
    };
  } finally {
    await vad?.close();
    await model.close();
  }
}
