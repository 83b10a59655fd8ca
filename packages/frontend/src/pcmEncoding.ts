/**
 * Interleaved PCM bytes -> mono float32 samples, shared by the WAV and raw-PCM readers. Integers
 * are scaled by their full range (`int16 / 32768`, `uint8 (v-128) / 128`), so they land in [-1, 1);
 * floats are taken as they are. Channels are averaged (the tiny-eou recipe's downmix).
 */
import { FrontendError } from './frontendError';

/** Sample encodings this package decodes. `le`/`be`: byte order; `s`/`u`: signed/unsigned integer; `f`: IEEE float. */
export type PcmEncoding =
  | 'u8'
  | 's8'
  | 's16le'
  | 's16be'
  | 's24le'
  | 's24be'
  | 's32le'
  | 's32be'
  | 'f32le'
  | 'f32be'
  | 'f64le'
  | 'f64be';

/** Every {@link PcmEncoding}, for validation and help texts. */
export const pcmEncodings: readonly PcmEncoding[] = [
  'u8',
  's8',
  's16le',
  's16be',
  's24le',
  's24be',
  's32le',
  's32be',
  'f32le',
  'f32be',
  'f64le',
  'f64be',
];

/** Bytes per sample of an encoding. */
export function bytesPerSample(encoding: PcmEncoding): number {
  switch (encoding) {
    case 'u8':
    case 's8':
      return 1;
    case 's16le':
    case 's16be':
      return 2;
    case 's24le':
    case 's24be':
      return 3;
    case 's32le':
    case 's32be':
    case 'f32le':
    case 'f32be':
      return 4;
    case 'f64le':
    case 'f64be':
      return 8;
  }
}

/**
 * Decodes `frames` interleaved frames of `channels` samples starting at `offset` and averages the
 * channels. Refuses NaN and infinities (float encodings) with `E_NON_FINITE` naming the file.
 */
export function decodePcm(
  bytes: Uint8Array,
  offset: number,
  frames: number,
  channels: number,
  encoding: PcmEncoding,
  file: string,
): Float32Array {
  const view = new DataView(
    bytes.buffer,
    bytes.byteOffset + offset,
    frames * channels * bytesPerSample(encoding),
  );
  const out = new Float32Array(frames);
  const read = reader(view, encoding);
  const width = bytesPerSample(encoding);
  const stride = width * channels;
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(f * stride + c * width);
    // Float64 sum, one rounding: a mono file decodes to exactly its scaled integers.
    const value = channels === 1 ? sum : sum / channels;
    if (!Number.isFinite(value)) {
      throw new FrontendError(
        'E_NON_FINITE',
        `${file}: sample ${f} is ${value} (NaN and infinite samples are refused)`,
        { file, field: `samples[${f}]` },
      );
    }
    out[f] = value;
  }
  return out;
}

function reader(view: DataView, encoding: PcmEncoding): (at: number) => number {
  switch (encoding) {
    case 'u8':
      return (at) => (view.getUint8(at) - 128) / 128;
    case 's8':
      return (at) => view.getInt8(at) / 128;
    case 's16le':
      return (at) => view.getInt16(at, true) / 32768;
    case 's16be':
      return (at) => view.getInt16(at, false) / 32768;
    case 's24le':
      return (at) =>
        (view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608;
    case 's24be':
      return (at) =>
        (view.getUint8(at + 2) | (view.getUint8(at + 1) << 8) | (view.getInt8(at) << 16)) / 8388608;
    case 's32le':
      return (at) => view.getInt32(at, true) / 2147483648;
    case 's32be':
      return (at) => view.getInt32(at, false) / 2147483648;
    case 'f32le':
      return (at) => view.getFloat32(at, true);
    case 'f32be':
      return (at) => view.getFloat32(at, false);
    case 'f64le':
      return (at) => view.getFloat64(at, true);
    case 'f64be':
      return (at) => view.getFloat64(at, false);
  }
}

/** Throws `E_NON_FINITE` naming the first NaN or infinite sample of `samples`. */
export function checkFinite(samples: Float32Array, what: string, file?: string): void {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    // v - v is NaN for NaN and ±Infinity, 0 otherwise: one comparison per sample.
    if (v - v !== 0) {
      throw new FrontendError(
        'E_NON_FINITE',
        `${file === undefined ? '' : `${file}: `}${what}[${i}] is ${v} (NaN and infinite samples are refused)`,
        { file, field: `${what}[${i}]` },
      );
    }
  }
}
