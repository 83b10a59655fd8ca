/**
 * Voice activity from the Silero VAD (v6, the "unified" graph FluidAudio ships as CoreML, which
 * `@eou/coreml-format` converts to ONNX): 16 kHz audio in frames of 512 samples (32 ms), each fed
 * with the 64 samples before it as context and the LSTM state of the previous frame, gives one
 * speech probability per frame. Speech segments follow the hysteresis Silero's own
 * `get_speech_timestamps` describes: speech starts at a frame >= `threshold`, ends once the
 * probability has stayed below `negThreshold` for `minSilenceMs`, and segments shorter than
 * `minSpeechMs` are dropped. The gate uses the end of the last segment as the end of speech of a
 * file that does not carry one.
 */
import type { Session, Tensor, TensorMap } from '@eou/rnnt-decode';
import { describeValue, FrontendError } from './frontendError';
import { checkFinite } from './pcmEncoding';

/** The tensor names and sizes of the Silero VAD graph. */
export const sileroVadContract = Object.freeze({
  sampleRate: 16000,
  frameSamples: 512,
  contextSamples: 64,
  stateSize: 128,
  audioInput: 'audio_input',
  hiddenInput: 'hidden_state',
  cellInput: 'cell_state',
  probabilityOutput: 'vad_output',
  hiddenOutput: 'new_hidden_state',
  cellOutput: 'new_cell_state',
});

/** Segmentation settings; defaults are Silero's, except `speechPadMs` (0: the end is where speech ends). */
export interface SpeechSegmentOptions {
  /** Probability at which speech starts (default 0.5). */
  readonly threshold?: number;
  /** Probability below which speech may end (default `threshold - 0.15`). */
  readonly negThreshold?: number;
  /** Shorter segments are dropped (default 250 ms). */
  readonly minSpeechMs?: number;
  /** Silence must last this long to end a segment (default 100 ms). */
  readonly minSilenceMs?: number;
  /** Widen each segment by this much on both sides, within the audio (default 0). */
  readonly speechPadMs?: number;
}

/** One stretch of speech, in ms of audio. */
export interface SpeechSegment {
  readonly startMs: number;
  readonly endMs: number;
}

/** What {@link detectSpeech} found. */
export interface VoiceActivity {
  /** Speech probability of each 32 ms frame. */
  readonly probabilities: Float32Array;
  readonly frameMs: number;
  readonly segments: readonly SpeechSegment[];
  /** End of the last segment (ms), or null when there is no speech. */
  readonly speechEndMs: number | null;
  readonly audioMs: number;
}

/** A Silero VAD over one session; see {@link createSileroVad}. */
export interface SileroVad {
  readonly session: Session;
  /** Speech probabilities of `samples` (16 kHz mono), one per 512 samples; the last frame zero-padded. */
  probabilities(samples: Float32Array): Promise<Float32Array>;
}

function checkNumber(value: unknown, name: string, min: number, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= min && value <= max))
    throw new RangeError(`${name} must be a number in [${min}, ${max}], got ${describeValue(value)}`);
  return value;
}

/**
 * Checks a session against the Silero VAD contract and wraps it.
 * @throws FrontendError `E_ENCODER_CONTRACT` naming the file and tensor when an input or output is
 *   missing or has another shape
 */
export function createSileroVad(session: Session): SileroVad {
  if (typeof session !== 'object' || session === null || typeof session.run !== 'function')
    throw new TypeError(`session must be a contract Session, got ${describeValue(session)}`);
  const c = sileroVadContract;
  const file = session.path;
  const expect = (list: Session['inputs'], name: string, size: number, role: 'input' | 'output'): void => {
    const info = list.find((i) => i.name === name);
    if (info === undefined)
      throw new FrontendError(
        'E_ENCODER_CONTRACT',
        `${file}: not a Silero VAD graph: no ${role} \`${name}\` (${role}s: ${list.map((i) => i.name).join(', ')})`,
        { file, field: name },
      );
    const n = info.shape.reduce<number>((a, d) => a * (typeof d === 'number' && d > 0 ? d : 1), 1);
    if (info.dtype !== 'float32' || n !== size)
      throw new FrontendError(
        'E_ENCODER_CONTRACT',
        `${file}: ${role} \`${name}\` must be float32 with ${size} values, got ${info.dtype} [${info.shape.join(',')}]`,
        { file, field: name },
      );
  };
  expect(session.inputs, c.audioInput, c.frameSamples + c.contextSamples, 'input');
  expect(session.inputs, c.hiddenInput, c.stateSize, 'input');
  expect(session.inputs, c.cellInput, c.stateSize, 'input');
  expect(session.outputs, c.probabilityOutput, 1, 'output');
  expect(session.outputs, c.hiddenOutput, c.stateSize, 'output');
  expect(session.outputs, c.cellOutput, c.stateSize, 'output');
  const dimsOf = (name: string) =>
    session.inputs.find((i) => i.name === name)!.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const audioDims = dimsOf(c.audioInput);
  const stateDims = dimsOf(c.hiddenInput);
  return {
    session,
    async probabilities(samples) {
      if (!(samples instanceof Float32Array))
        throw new TypeError(`samples must be a Float32Array, got ${describeValue(samples)}`);
      checkFinite(samples, 'samples');
      const frames = Math.ceil(samples.length / c.frameSamples);
      const out = new Float32Array(frames);
      let h: Tensor = { dtype: 'float32', dims: stateDims, data: new Float32Array(c.stateSize) };
      let cell: Tensor = { dtype: 'float32', dims: stateDims, data: new Float32Array(c.stateSize) };
      const window = new Float32Array(c.contextSamples + c.frameSamples);
      for (let k = 0; k < frames; k++) {
        const at = k * c.frameSamples;
        // The context is the 64 samples before the frame (zeros before the start).
        window.fill(0);
        const from = Math.max(0, at - c.contextSamples);
        window.set(samples.subarray(from, at), c.contextSamples - (at - from));
        window.set(samples.subarray(at, Math.min(samples.length, at + c.frameSamples)), c.contextSamples);
        const feeds: TensorMap = {
          [c.audioInput]: { dtype: 'float32', dims: audioDims, data: window.slice() },
          [c.hiddenInput]: h,
          [c.cellInput]: cell,
        };
        const r = await session.run(feeds);
        const missing = [c.probabilityOutput, c.hiddenOutput, c.cellOutput].find((n) => r[n] === undefined);
        if (missing !== undefined)
          throw new FrontendError('E_ENCODER_CONTRACT', `${file}: run returned no \`${missing}\``, {
            file,
            field: missing,
          });
        out[k] = (r[c.probabilityOutput]!.data as Float32Array)[0]!;
        h = r[c.hiddenOutput]!;
        cell = r[c.cellOutput]!;
      }
      return out;
    },
  };
}

/**
 * Speech segments from per-frame probabilities (pure; see the module comment for the rule).
 * @param frameMs duration of one probability's frame (32 for Silero at 16 kHz)
 * @param audioMs length of the audio, to close a segment still open at the end and clamp padding
 * @throws RangeError for a bad option
 */
export function speechSegments(
  probabilities: ArrayLike<number>,
  frameMs: number,
  audioMs: number,
  options: SpeechSegmentOptions = {},
): SpeechSegment[] {
  if (!(frameMs > 0)) throw new RangeError(`frameMs must be > 0, got ${describeValue(frameMs)}`);
  if (!(audioMs >= 0)) throw new RangeError(`audioMs must be >= 0, got ${describeValue(audioMs)}`);
  const threshold = checkNumber(options.threshold, 'options.threshold', 0, 1) ?? 0.5;
  const negThreshold =
    checkNumber(options.negThreshold, 'options.negThreshold', 0, 1) ?? Math.max(0, threshold - 0.15);
  const minSpeechMs = checkNumber(options.minSpeechMs, 'options.minSpeechMs', 0) ?? 250;
  const minSilenceMs = checkNumber(options.minSilenceMs, 'options.minSilenceMs', 0) ?? 100;
  const padMs = checkNumber(options.speechPadMs, 'options.speechPadMs', 0) ?? 0;
  const raw: SpeechSegment[] = [];
  let start: number | null = null;
  // Start of the current run of frames below negThreshold inside a segment.
  let silenceFrom: number | null = null;
  for (let k = 0; k < probabilities.length; k++) {
    const p = probabilities[k]!;
    const t = k * frameMs;
    if (p >= threshold) {
      silenceFrom = null;
      if (start === null) start = t;
    } else if (start !== null && p < negThreshold) {
      silenceFrom ??= t;
      if (t + frameMs - silenceFrom >= minSilenceMs) {
        if (silenceFrom - start >= minSpeechMs) raw.push({ startMs: start, endMs: silenceFrom });
        start = null;
        silenceFrom = null;
      }
    }
  }
  if (start !== null) {
    const end = Math.min(audioMs, silenceFrom ?? audioMs);
    if (end - start >= minSpeechMs) raw.push({ startMs: start, endMs: end });
  }
  if (padMs === 0) return raw;
  // Padding never makes segments overlap: a gap shorter than twice the pad is split in the middle.
  return raw.map((s, i) => {
    const prev = raw[i - 1];
    const next = raw[i + 1];
    const lo = prev === undefined ? 0 : (prev.endMs + s.startMs) / 2;
    const hi = next === undefined ? audioMs : (s.endMs + next.startMs) / 2;
    return { startMs: Math.max(lo, s.startMs - padMs), endMs: Math.min(hi, s.endMs + padMs) };
  });
}

/**
 * Runs the VAD over a whole signal and segments it.
 * @param sampleRate must be 16000 (the graph's rate); resample first
 * @throws RangeError for another rate; FrontendError `E_NON_FINITE` for NaN samples
 */
export async function detectSpeech(
  vad: SileroVad,
  samples: Float32Array,
  sampleRate: number,
  options: SpeechSegmentOptions = {},
): Promise<VoiceActivity> {
  if (sampleRate !== sileroVadContract.sampleRate)
    throw new RangeError(
      `sampleRate must be ${sileroVadContract.sampleRate} (the Silero VAD's rate), got ${describeValue(sampleRate)}`,
    );
  const probabilities = await vad.probabilities(samples);
  const frameMs = (sileroVadContract.frameSamples * 1000) / sampleRate;
  const audioMs = (samples.length * 1000) / sampleRate;
  const segments = speechSegments(probabilities, frameMs, audioMs, options);
  return {
    probabilities,
    frameMs,
    segments,
    speechEndMs: segments.length === 0 ? null : segments[segments.length - 1]!.endMs,
    audioMs,
  };
}
