/**
 * WAV (RIFF/WAVE) decoding: PCM 8/16/24/32-bit integer, IEEE float 32/64-bit, plain or
 * WAVE_FORMAT_EXTENSIBLE, any channel count (averaged to mono). Written here rather than taken from
 * npm: the maintained choice (`wavefile` 11.0.0, last released 2020) decodes a file whose data
 * chunk is cut short without a word and unpacks samples ~7x slower than a DataView loop; the
 * tests use it as an independent oracle instead. Every structural problem is one line naming
 * the file and the field.
 */
import { FrontendError } from './frontendError';
import { bytesPerSample, decodePcm, type PcmEncoding } from './pcmEncoding';

/** What {@link decodeWav} found in the header, and the mono samples. */
export interface WavContents {
  readonly sampleRate: number;
  readonly channels: number;
  readonly encoding: PcmEncoding;
  /** True for WAVE_FORMAT_EXTENSIBLE (0xFFFE). */
  readonly extensible: boolean;
  readonly samples: Float32Array;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
/** The tail every KSDATAFORMAT_SUBTYPE GUID of a WAVE format tag shares (bytes 2..15). */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'mu-law',
  0x11: 'IMA ADPCM',
  0x55: 'MPEG layer 3',
};

/** True when `bytes` starts like a RIFF/WAVE file. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0) === 'RIFF' && ascii(bytes, 8) === 'WAVE';
}

/**
 * Decodes a WAV file to mono float32.
 * @param file name used in error messages
 * @throws FrontendError `E_AUDIO_CORRUPT` (not RIFF/WAVE, truncated header or data, inconsistent
 *   fmt fields), `E_AUDIO_FORMAT` (a compressed or unusual encoding), `E_NON_FINITE` (NaN/Inf float samples)
 */
export function decodeWav(bytes: Uint8Array, file: string): WavContents {
  const corrupt = (message: string, field?: string): FrontendError =>
    new FrontendError('E_AUDIO_CORRUPT', `${file}: ${message}`, { file, field });
  if (bytes.length < 12) throw corrupt(`not a WAV file: ${bytes.length} bytes, a RIFF header needs 12`);
  if (ascii(bytes, 0) === 'RF64')
    throw new FrontendError('E_AUDIO_FORMAT', `${file}: RF64 (64-bit WAV) is not supported`, { file });
  if (!isWav(bytes)) throw corrupt(`not a RIFF/WAVE file (starts with ${JSON.stringify(ascii(bytes, 0))})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { tag: number; channels: number; rate: number; blockAlign: number; bits: number } | undefined;
  let encoding: PcmEncoding | undefined;
  let extensible = false;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.length)
        throw corrupt(`truncated: the fmt chunk runs past the end of the file`, 'fmt');
      if (size < 16) throw corrupt(`fmt chunk is ${size} bytes, expected at least 16`, 'fmt');
      fmt = {
        tag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
      let tag = fmt.tag;
      if (tag === FORMAT_EXTENSIBLE) {
        extensible = true;
        if (size < 40) throw corrupt(`WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, expected 40`, 'fmt');
        tag = view.getUint16(body + 24, true);
        const tail = bytes.subarray(body + 26, body + 40);
        if (!GUID_TAIL.every((b, i) => tail[i] === b))
          throw new FrontendError(
            'E_AUDIO_FORMAT',
            `${file}: WAVE_FORMAT_EXTENSIBLE with a non-WAVE sub-format GUID is not supported`,
            { file, field: 'fmt.subFormat' },
          );
      }
      encoding = encodingOf(tag, fmt.bits, file);
      if (fmt.channels < 1) throw corrupt('fmt declares 0 channels', 'fmt.channels');
      if (fmt.rate < 1) throw corrupt('fmt declares a sample rate of 0', 'fmt.sampleRate');
      const expectAlign = fmt.channels * bytesPerSample(encoding);
      if (fmt.blockAlign !== expectAlign)
        throw corrupt(
          `fmt blockAlign is ${fmt.blockAlign}, expected channels*bytesPerSample = ${expectAlign}`,
          'fmt.blockAlign',
        );
    } else if (id === 'data') {
      if (fmt === undefined || encoding === undefined)
        throw corrupt('data chunk comes before the fmt chunk', 'data');
      // 0xFFFFFFFF: a writer that could not seek back (a pipe); the data runs to the end of the file.
      const available = bytes.length - body;
      const length = size === 0xffffffff ? available - (available % fmt.blockAlign) : size;
      if (length > available)
        throw corrupt(
          `truncated: the data chunk declares ${length} bytes, the file holds ${available}`,
          'data',
        );
      if (length % fmt.blockAlign !== 0)
        throw corrupt(
          `data chunk is ${length} bytes, not a whole number of ${fmt.blockAlign}-byte frames`,
          'data',
        );
      const samples = decodePcm(bytes, body, length / fmt.blockAlign, fmt.channels, encoding, file);
      return { sampleRate: fmt.rate, channels: fmt.channels, encoding, extensible, samples };
    }
    at = body + size + (size & 1); // chunks are word-aligned
  }
  throw corrupt(
    fmt === undefined ? 'no fmt chunk' : 'no data chunk (truncated?)',
    fmt === undefined ? 'fmt' : 'data',
  );
}

function encodingOf(tag: number, bits: number, file: string): PcmEncoding {
  if (tag === FORMAT_PCM) {
    if (bits === 8) return 'u8';
    if (bits === 16) return 's16le';
    if (bits === 24) return 's24le';
    if (bits === 32) return 's32le';
  } else if (tag === FORMAT_FLOAT) {
    if (bits === 32) return 'f32le';
    if (bits === 64) return 'f64le';
  } else {
    const name = FORMAT_NAMES[tag] ?? `format tag 0x${tag.toString(16).padStart(4, '0')}`;
    throw new FrontendError(
      'E_AUDIO_FORMAT',
      `${file}: ${name} WAV is not supported (PCM integer or IEEE float only)`,
      { file, field: 'fmt.audioFormat' },
    );
  }
  throw new FrontendError(
    'E_AUDIO_FORMAT',
    `${file}: ${bits}-bit ${tag === FORMAT_FLOAT ? 'float' : 'PCM'} WAV is not supported`,
    { file, field: 'fmt.bitsPerSample' },
  );
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}
