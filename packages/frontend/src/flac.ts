/**
 * FLAC decoding through `@wasm-audio-decoders/flac` (libFLAC compiled to WebAssembly, embedded in
 * the package: nothing is downloaded). The decoder reports neither a cut-off stream nor garbage
 * frames as an error, so the STREAMINFO block is read here and the decoded length checked against
 * its sample count.
 */
import { FrontendError } from './frontendError';
import { checkFinite } from './pcmEncoding';

/** STREAMINFO fields this package uses. */
export interface FlacStreamInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** Samples per channel; 0 when the encoder did not know it. */
  readonly totalSamples: number;
}

/** What {@link decodeFlac} returns. */
export interface FlacContents extends FlacStreamInfo {
  readonly samples: Float32Array;
}

/** True when `bytes` starts with the FLAC stream marker. */
export function isFlac(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x66 && bytes[1] === 0x4c && bytes[2] === 0x61 && bytes[3] === 0x43
  );
}

/**
 * Reads the STREAMINFO block (always the first metadata block).
 * @throws FrontendError `E_AUDIO_CORRUPT` when the marker or the block is missing or inconsistent
 */
export function readFlacStreamInfo(bytes: Uint8Array, file: string): FlacStreamInfo {
  const corrupt = (message: string): FrontendError =>
    new FrontendError('E_AUDIO_CORRUPT', `${file}: ${message}`, { file, field: 'STREAMINFO' });
  if (!isFlac(bytes)) throw corrupt('not a FLAC file (no "fLaC" marker)');
  if (bytes.length < 42)
    throw corrupt(`truncated: ${bytes.length} bytes, the STREAMINFO block ends at byte 42`);
  const type = bytes[4]! & 0x7f;
  const length = (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!;
  if (type !== 0 || length !== 34)
    throw corrupt(
      `the first metadata block is type ${type} of ${length} bytes, expected STREAMINFO (type 0, 34 bytes)`,
    );
  const b = (i: number): number => bytes[8 + i]!;
  const sampleRate = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4);
  const channels = ((b(12) >> 1) & 7) + 1;
  const bitsPerSample = (((b(12) & 1) << 4) | (b(13) >> 4)) + 1;
  const total = (b(13) & 0x0f) * 2 ** 32 + (((b(14) << 24) | (b(15) << 16) | (b(16) << 8) | b(17)) >>> 0);
  if (sampleRate === 0) throw corrupt('STREAMINFO declares a sample rate of 0');
  return { sampleRate, channels, bitsPerSample, totalSamples: total };
}

/**
 * Decodes a FLAC file to mono float32 (channels averaged).
 * @throws FrontendError `E_AUDIO_CORRUPT` for a corrupt or truncated stream, `E_NON_FINITE`
 */
export async function decodeFlac(bytes: Uint8Array, file: string): Promise<FlacContents> {
  const info = readFlacStreamInfo(bytes, file);
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const decoder = new FLACDecoder();
  let decoded;
  try {
    await decoder.ready;
    decoded = await decoder.decodeFile(bytes);
  } catch (cause) {
    throw new FrontendError('E_AUDIO_CORRUPT', `${file}: FLAC decoder failed (${oneLine(cause)})`, {
      file,
      cause,
    });
  } finally {
    decoder.free();
  }
  if (decoded.errors.length > 0) {
    const first = decoded.errors[0]!;
    throw new FrontendError(
      'E_AUDIO_CORRUPT',
      `${file}: corrupt FLAC stream (${decoded.errors.length} bad frame(s); first: ${first.message})`,
      { file },
    );
  }
  const channels = decoded.channelData;
  const n = channels[0]?.length ?? 0;
  if (channels.length !== info.channels && n > 0)
    throw new FrontendError(
      'E_AUDIO_CORRUPT',
      `${file}: decoded ${channels.length} channels, STREAMINFO declares ${info.channels}`,
      { file },
    );
  if (info.totalSamples > 0 ? n !== info.totalSamples : n === 0) {
    throw new FrontendError(
      'E_AUDIO_CORRUPT',
      `${file}: corrupt or truncated FLAC: decoded ${n} of the ${info.totalSamples} samples STREAMINFO declares`,
      { file },
    );
  }
  // The decoder scales by 1 / (2^(bits-1) - 1); the WAV and raw readers (and NeMo, torchaudio,
  // sherpa-onnx) scale by 1 / 2^(bits-1). Recover the integers so a FLAC and its WAV twin give
  // the same samples.
  const up = 2 ** (info.bitsPerSample - 1) - 1;
  const down = 2 ** (info.bitsPerSample - 1);
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const ch of channels) sum += Math.round(ch[i]! * up) / down;
    samples[i] = channels.length === 1 ? sum : sum / channels.length;
  }
  checkFinite(samples, 'samples', file);
  return { ...info, samples };
}

function oneLine(cause: unknown): string {
  return (cause instanceof Error ? cause.message : String(cause)).replace(/\s+/g, ' ').trim();
}
