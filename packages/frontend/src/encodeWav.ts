/**
 * Writes mono samples as a canonical 44-byte-header WAV: 16-bit PCM (clipped to [-1, 1) and
 * rounded, the inverse of the reader's `/ 2^15` scaling) or 32-bit IEEE float (exact). For test
 * corpora, joined streams and resampled copies; the reader decodes what this writes back to the
 * same samples (float exactly, 16-bit within half an LSB).
 */
import { describeValue } from './frontendError';

/** Sample encodings {@link encodeWav} writes. */
export type WavWriteEncoding = 's16le' | 'f32le';

/**
 * Encodes `samples` (mono) at `sampleRate`.
 * @throws RangeError for a bad rate or encoding; TypeError for samples that are not a Float32Array
 */
export function encodeWav(
  samples: Float32Array,
  sampleRate: number,
  encoding: WavWriteEncoding = 's16le',
): Uint8Array {
  if (!(samples instanceof Float32Array))
    throw new TypeError(`samples must be a Float32Array, got ${describeValue(samples)}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1)
    throw new RangeError(`sampleRate must be a positive integer, got ${describeValue(sampleRate)}`);
  if (encoding !== 's16le' && encoding !== 'f32le')
    throw new RangeError(`encoding must be "s16le" or "f32le", got ${describeValue(encoding)}`);
  const width = encoding === 's16le' ? 2 : 4;
  const dataBytes = samples.length * width;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, encoding === 's16le' ? 1 : 3, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * width, true);
  v.setUint16(32, width, true);
  v.setUint16(34, width * 8, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  if (encoding === 'f32le')
    for (let i = 0; i < samples.length; i++) v.setFloat32(44 + 4 * i, samples[i]!, true);
  else
    for (let i = 0; i < samples.length; i++) {
      const s = Math.round(samples[i]! * 32768);
      v.setInt16(44 + 2 * i, s > 32767 ? 32767 : s < -32768 ? -32768 : s, true);
    }
  return out;
}
