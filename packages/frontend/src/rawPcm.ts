/** Headerless PCM, decoded with a format the caller states (nothing can be guessed from the bytes). */
import { describeValue, FrontendError } from './frontendError';
import { bytesPerSample, decodePcm, pcmEncodings, type PcmEncoding } from './pcmEncoding';

/** The format of a raw PCM file. */
export interface RawPcmFormat {
  readonly encoding: PcmEncoding;
  readonly sampleRate: number;
  /** Interleaved channels (default 1); averaged to mono. */
  readonly channels?: number;
}

/**
 * Checks a {@link RawPcmFormat} given by a caller.
 * @throws TypeError/RangeError naming the field
 */
export function checkRawPcmFormat(format: RawPcmFormat, name = 'format'): void {
  if (typeof format !== 'object' || format === null)
    throw new TypeError(`${name} must be { encoding, sampleRate, channels? }, got ${describeValue(format)}`);
  if (!pcmEncodings.includes(format.encoding))
    throw new RangeError(
      `${name}.encoding must be one of ${pcmEncodings.join(', ')}, got ${describeValue(format.encoding)}`,
    );
  if (!Number.isInteger(format.sampleRate) || format.sampleRate < 1)
    throw new RangeError(
      `${name}.sampleRate must be a positive integer, got ${describeValue(format.sampleRate)}`,
    );
  const channels = format.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1 || channels > 64)
    throw new RangeError(
      `${name}.channels must be an integer in 1..64, got ${describeValue(format.channels)}`,
    );
}

/**
 * Decodes raw interleaved PCM to mono float32.
 * @throws FrontendError `E_AUDIO_CORRUPT` when the length is not a whole number of frames, `E_NON_FINITE`
 */
export function decodeRawPcm(bytes: Uint8Array, format: RawPcmFormat, file: string): Float32Array {
  checkRawPcmFormat(format);
  const channels = format.channels ?? 1;
  const frameBytes = bytesPerSample(format.encoding) * channels;
  if (bytes.length % frameBytes !== 0) {
    throw new FrontendError(
      'E_AUDIO_CORRUPT',
      `${file}: ${bytes.length} bytes is not a whole number of ${frameBytes}-byte ${format.encoding} x${channels} frames (truncated, or the wrong format)`,
      { file },
    );
  }
  return decodePcm(bytes, 0, bytes.length / frameBytes, channels, format.encoding, file);
}
