/**
 * Audio in: bytes or files -> mono float32 at the model's rate. The container is recognised by its
 * magic bytes (RIFF/WAVE, fLaC); headerless PCM needs an explicit {@link RawPcmFormat}. A rate
 * other than the requested one is an error unless resampling is allowed. The batch reader turns
 * each file's failure into an entry, so one bad file does not stop the rest.
 */
import { readFile } from 'node:fs/promises';
import type { DecodedAudio } from './decodedAudio';
import { decodeFlac, isFlac } from './flac';
import { describeValue, FrontendError } from './frontendError';
import { checkRawPcmFormat, decodeRawPcm, type RawPcmFormat } from './rawPcm';
import { decodeWav, isWav } from './wav';
import {
  defaultResampleQuality,
  resample,
  resampleQualities,
  resamplerName,
  type ResampleQuality,
} from './resample';

/** Options of {@link decodeAudio} and {@link readAudioFile}. */
export interface ReadAudioOptions {
  /** The rate the caller needs (the model's); default: the file's own rate. */
  readonly sampleRate?: number;
  /** Convert other rates to `sampleRate` (default false: a different rate is `E_SAMPLE_RATE`). */
  readonly resample?: boolean;
  /** Converter quality when resampling (default `medium`). */
  readonly resampleQuality?: ResampleQuality;
  /** Decode the bytes as headerless PCM in this format (WAV and FLAC need nothing). */
  readonly raw?: RawPcmFormat;
}

/** One entry of {@link readAudioFiles}: the audio, or the one-line error that file gave. */
export type AudioReadResult =
  | { readonly file: string; readonly ok: true; readonly audio: DecodedAudio }
  | { readonly file: string; readonly ok: false; readonly error: FrontendError };

function checkOptions(options: ReadAudioOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  if (options.sampleRate !== undefined && (!Number.isInteger(options.sampleRate) || options.sampleRate < 1))
    throw new RangeError(
      `options.sampleRate must be a positive integer, got ${describeValue(options.sampleRate)}`,
    );
  if (options.resampleQuality !== undefined && !resampleQualities.includes(options.resampleQuality))
    throw new RangeError(
      `options.resampleQuality must be one of ${resampleQualities.join(', ')}, got ${describeValue(options.resampleQuality)}`,
    );
  if (options.raw !== undefined) checkRawPcmFormat(options.raw, 'options.raw');
}

/**
 * Decodes WAV, FLAC or (with `options.raw`) raw PCM bytes.
 * @param file the name used in error messages and in the result
 * @throws FrontendError `E_AUDIO_CORRUPT`, `E_AUDIO_FORMAT`, `E_NON_FINITE`, `E_SAMPLE_RATE`
 * @throws TypeError/RangeError for bad options
 */
export async function decodeAudio(
  bytes: Uint8Array,
  file: string,
  options: ReadAudioOptions = {},
): Promise<DecodedAudio> {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  checkOptions(options);
  let samples: Float32Array;
  let rate: number;
  let channels: number;
  let format: string;
  if (options.raw !== undefined) {
    samples = decodeRawPcm(bytes, options.raw, file);
    rate = options.raw.sampleRate;
    channels = options.raw.channels ?? 1;
    format = `raw ${options.raw.encoding}`;
  } else if (isWav(bytes)) {
    const wav = decodeWav(bytes, file);
    ({ samples, sampleRate: rate, channels } = wav);
    format = `wav ${wav.encoding}${wav.extensible ? ' (extensible)' : ''}`;
  } else if (isFlac(bytes)) {
    const flac = await decodeFlac(bytes, file);
    ({ samples, sampleRate: rate, channels } = flac);
    format = `flac ${flac.bitsPerSample}-bit`;
  } else if (bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RF64') {
    throw new FrontendError('E_AUDIO_FORMAT', `${file}: RF64 (64-bit WAV) is not supported`, { file });
  } else {
    throw new FrontendError(
      bytes.length === 0 ? 'E_AUDIO_CORRUPT' : 'E_AUDIO_FORMAT',
      bytes.length === 0
        ? `${file}: empty file`
        : `${file}: not a WAV or FLAC file; for headerless PCM pass raw: { encoding, sampleRate, channels }`,
      { file },
    );
  }
  const target = options.sampleRate ?? rate;
  let resampledWith: string | undefined;
  if (target !== rate) {
    if (options.resample !== true) {
      throw new FrontendError(
        'E_SAMPLE_RATE',
        `${file}: sample rate is ${rate} Hz, the model takes ${target} Hz (allow resampling, or convert the file)`,
        { file, field: 'sampleRate' },
      );
    }
    const quality = options.resampleQuality ?? defaultResampleQuality;
    samples = await resample(samples, rate, target, quality);
    resampledWith = resamplerName(quality, rate, target);
  }
  return {
    file,
    format,
    sampleRate: target,
    sourceSampleRate: rate,
    channels,
    samples,
    durationSeconds: samples.length / target,
    resampledWith,
  };
}

/**
 * Reads and decodes one audio file.
 * @throws FrontendError `E_MISSING_FILE` (absent or unreadable) or any error of {@link decodeAudio}
 */
export async function readAudioFile(path: string, options: ReadAudioOptions = {}): Promise<DecodedAudio> {
  if (typeof path !== 'string' || path === '')
    throw new TypeError(`path must be a non-empty string, got ${describeValue(path)}`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? String(cause)})`;
    throw new FrontendError('E_MISSING_FILE', `${path}: ${why}`, { file: path, cause });
  }
  return decodeAudio(bytes, path, options);
}

/**
 * Reads many files; a file that fails becomes `{ ok: false, error }` and the others go on.
 * Errors other than {@link FrontendError} (bugs, out of memory) still throw.
 */
export async function readAudioFiles(
  paths: readonly string[],
  options: ReadAudioOptions = {},
): Promise<AudioReadResult[]> {
  if (!Array.isArray(paths))
    throw new TypeError(`paths must be an array of file paths, got ${describeValue(paths)}`);
  checkOptions(options);
  const results: AudioReadResult[] = [];
  for (const file of paths) {
    try {
      results.push({ file, ok: true, audio: await readAudioFile(file, options) });
    } catch (error) {
      if (!(error instanceof FrontendError)) throw error;
      results.push({ file, ok: false, error });
    }
  }
  return results;
}
