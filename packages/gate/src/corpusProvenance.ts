/**
 * `provenance.json` of a corpus that `eou encode` made from audio: what made its frames (the audio
 * manifest and every file's hash, the encoder and its hash, the features, the chunk schedule, the
 * end-of-speech source) and which files failed. The gate reads it to name the schedule in its
 * report; a corpus without one (cached frames from elsewhere) simply has no schedule section.
 */
import fs from 'node:fs';
import path from 'node:path';

export const CORPUS_PROVENANCE_FORMAT = 'eou-encoded-corpus/1';

/** What `provenance.json` holds. */
export interface CorpusProvenance {
  readonly format: typeof CORPUS_PROVENANCE_FORMAT;
  /** The content address of the corpus (see `encodeCorpus`): same key, same frames. */
  readonly key: string;
  readonly schedule: { readonly name: string } & Readonly<Record<string, unknown>>;
  readonly features: Readonly<Record<string, unknown>>;
  readonly encoder: { readonly file: string; readonly sha256: string };
  /** sha256 of the model files the frames depend on (the encoder and model.json). */
  readonly modelFiles: Readonly<Record<string, string>>;
  readonly dtype: 'float32' | 'float16';
  readonly audio: {
    readonly manifest: string;
    readonly files: number;
    /** sha256 of the sorted `id sha256` lines of every audio file. */
    readonly sha256: string;
  };
  /** How the ends of speech were found: `manifest`, or the VAD and its settings. */
  readonly endOfSpeech: Readonly<Record<string, unknown>>;
  readonly resample: boolean;
  readonly encoded: number;
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
  readonly toolkit: Readonly<Record<string, string>>;
}

/** The part of a corpus's provenance a gate report shows. */
export interface ScheduleInfo {
  readonly name: string;
  readonly definition: Readonly<Record<string, unknown>>;
  readonly features: string;
  readonly encoder: string;
  readonly dtype: string;
  readonly endOfSpeech: string;
}

/** Reads `<dir>/provenance.json` when it is an encoded corpus's, else undefined. */
export function readCorpusProvenance(dir: string): CorpusProvenance | undefined {
  const file = path.join(dir, 'provenance.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CorpusProvenance;
    return p.format === CORPUS_PROVENANCE_FORMAT ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The schedule section of a report, from a corpus's provenance. */
export function scheduleInfoOf(p: CorpusProvenance): ScheduleInfo {
  const { name, ...definition } = p.schedule;
  const eos = p.endOfSpeech;
  return {
    name,
    definition,
    features: String(p.features['kind'] ?? 'unknown'),
    encoder: `${p.encoder.file} (sha256 ${p.encoder.sha256.slice(0, 16)})`,
    dtype: p.dtype,
    endOfSpeech:
      eos['source'] === 'vad'
        ? `Silero VAD (${String(eos['model'] ?? '')}), where the manifest has none`
        : 'manifest',
  };
}
