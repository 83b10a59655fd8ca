/**
 * Transcribes audio files one after the other with a loaded streaming model, as `eou transcribe`
 * does: each file read (and resampled when allowed), streamed through the transcriber, timed (RTFx
 * = audio seconds / wall seconds of `process` + `finish`, reading the file excluded). A file that
 * cannot be read or transcribed is an entry with its one-line error; the others go on.
 */
import type { EndOfUtteranceDetector } from './endpointRules';
import { describeValue, FrontendError } from './frontendError';
import type { StreamingModel } from './loadStreamingModel';
import { readAudioFile, type ReadAudioOptions } from './readAudio';
import { createStreamingTranscriber, type Transcript } from './streamingTranscriber';

/** Options of {@link transcribeFiles}. */
export interface TranscribeFilesOptions {
  /** Schedule name (default the model's). */
  readonly schedule?: string;
  /** Allow resampling to the model's rate (default false). */
  readonly resample?: boolean;
  readonly resampleQuality?: ReadAudioOptions['resampleQuality'];
  /**
   * Zeros streamed after each file, ms (default 0), as a microphone keeps streaming after the speaker
   * stops: without them a pending EOU cannot confirm after a file's end. Counted in `audioSeconds`.
   */
  readonly padSilenceMs?: number;
  /** Reset the decoder when an utterance ends (default false, as the seed's host). */
  readonly resetDecoderOnEndOfUtterance?: boolean;
  /** A detector per file (default: the EOU debounce); null: none. */
  readonly endOfUtterance?: () => EndOfUtteranceDetector | null;
  /** Called after each file, with its entry. */
  readonly onFile?: (entry: FileTranscript, index: number) => void;
}

/** One file's outcome. */
export type FileTranscript =
  | {
      readonly file: string;
      readonly ok: true;
      readonly transcript: Transcript;
      /** Wall time of process + finish, ms. */
      readonly wallMs: number;
      /** audioSeconds / (wallMs / 1000). */
      readonly rtfx: number;
    }
  | { readonly file: string; readonly ok: false; readonly error: FrontendError };

/**
 * Transcribes `files` in order.
 * @throws RangeError for an unknown schedule; errors other than {@link FrontendError} (bugs)
 */
export async function transcribeFiles(
  files: readonly string[],
  model: Pick<StreamingModel, 'features' | 'transcriberOptions'>,
  options: TranscribeFilesOptions = {},
): Promise<FileTranscript[]> {
  if (!Array.isArray(files)) throw new TypeError(`files must be an array, got ${describeValue(files)}`);
  const base = model.transcriberOptions(options.schedule);
  const pad = options.padSilenceMs ?? 0;
  if (!(typeof pad === 'number' && pad >= 0 && Number.isFinite(pad)))
    throw new RangeError(
      `options.padSilenceMs must be a number >= 0, got ${describeValue(options.padSilenceMs)}`,
    );
  const padSamples = Math.round((pad * model.features.sampleRate) / 1000);
  const out: FileTranscript[] = [];
  for (const [index, file] of files.entries()) {
    let entry: FileTranscript;
    try {
      const audio = await readAudioFile(file, {
        sampleRate: model.features.sampleRate,
        resample: options.resample === true,
        ...(options.resampleQuality === undefined ? {} : { resampleQuality: options.resampleQuality }),
      });
      const transcriber = createStreamingTranscriber({
        ...base,
        ...(options.endOfUtterance === undefined ? {} : { endOfUtterance: options.endOfUtterance() }),
        ...(options.resetDecoderOnEndOfUtterance === true ? { resetDecoderOnEndOfUtterance: true } : {}),
      });
      const t0 = performance.now();
      await transcriber.process(audio.samples);
      if (padSamples > 0) await transcriber.process(new Float32Array(padSamples));
      const transcript = await transcriber.finish();
      const wallMs = Math.max(performance.now() - t0, 1e-6);
      entry = { file, ok: true, transcript, wallMs, rtfx: transcript.audioSeconds / (wallMs / 1000) };
    } catch (error) {
      if (!(error instanceof FrontendError)) throw error;
      entry = { file, ok: false, error };
    }
    out.push(entry);
    options.onFile?.(entry, index);
  }
  return out;
}
