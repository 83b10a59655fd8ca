/**
 * Chunk schedules: how a stream is cut for the encoder, named in every result because the cut
 * changes transcripts (seed-system §2.4: 35.6 % WER under the harness's raw windows, 8.4 % under
 * production overlap on the same model). Two units:
 * - `samples`: windows of audio, each featurised on its own (centre padding per window, the
 *   preemphasis seeded with the sample before the window), as the Parakeet EOU host does;
 * - `frames`: one continuous feature stream (equal to whole-utterance features) cut into windows
 *   of feature frames, as icefall / sherpa-onnx encoders and the tiny model's step graph take them.
 */
import type { EouPolicy } from '@eou/rnnt-decode';
import { describeValue, FrontendError } from './frontendError';

/** Audio windows, featurised one by one. */
export interface SampleSchedule {
  readonly name: string;
  readonly unit: 'samples';
  readonly chunkSamples: number;
  readonly shiftSamples: number;
  /** Encoder columns decoded per chunk: all of them, or the first N (`validOutLen`). */
  readonly decodeFrames: 'all' | number;
  /** The audio after the last whole window: dropped, or zero-padded into one last window. */
  readonly tail: 'drop' | 'pad';
  /** EOU policy this schedule is defined with (the harness resets, production stops the chunk). */
  readonly eouPolicy?: EouPolicy;
  /** Milliseconds per decoded frame for timestamps; default `shift / decoded frames per chunk`. */
  readonly frameMs?: number;
}

/** Windows of a continuous feature stream. */
export interface FrameSchedule {
  readonly name: string;
  readonly unit: 'frames';
  readonly windowFrames: number;
  readonly shiftFrames: number;
  readonly decodeFrames: 'all' | number;
  /** Frames after the last whole window: dropped, or encoded as one shorter window (`partial`, for encoders that take any length). */
  readonly tail: 'drop' | 'partial';
  /** Zeros appended to the audio at the end of the stream, in ms (sherpa-onnx pads 800). */
  readonly tailPaddingMs?: number;
  readonly eouPolicy?: EouPolicy;
  readonly frameMs?: number;
}

/** Either unit. */
export type ChunkSchedule = SampleSchedule | FrameSchedule;

const sampleSchedule = (s: Omit<SampleSchedule, 'unit'>): SampleSchedule =>
  Object.freeze({ unit: 'samples', ...s });

/**
 * The seed's schedules (seed-system §1.9, §2.4), at 16 kHz:
 * - `harness`: raw 2560-sample windows, no overlap, every encoder column decoded, the trailing
 *   partial window dropped, EOU `reset` (the mobius research harness);
 * - `production` (= `production-160ms`): 2560-sample windows shifted by 1280, the first 2 columns
 *   decoded, the tail zero-padded into one last window, EOU `stop-chunk` (FluidAudio);
 * - `production-320ms`: 10080 / 5120, 4 columns; `production-1280ms`: 20480 / 20480, 16 columns.
 */
export const seedSchedules: Readonly<Record<string, SampleSchedule>> = Object.freeze({
  harness: sampleSchedule({
    name: 'harness',
    chunkSamples: 2560,
    shiftSamples: 2560,
    decodeFrames: 'all',
    tail: 'drop',
    eouPolicy: 'reset',
  }),
  production: sampleSchedule({
    name: 'production',
    chunkSamples: 2560,
    shiftSamples: 1280,
    decodeFrames: 2,
    tail: 'pad',
    eouPolicy: 'stop-chunk',
  }),
  'production-160ms': sampleSchedule({
    name: 'production-160ms',
    chunkSamples: 2560,
    shiftSamples: 1280,
    decodeFrames: 2,
    tail: 'pad',
    eouPolicy: 'stop-chunk',
  }),
  'production-320ms': sampleSchedule({
    name: 'production-320ms',
    chunkSamples: 10080,
    shiftSamples: 5120,
    decodeFrames: 4,
    tail: 'pad',
    eouPolicy: 'stop-chunk',
  }),
  'production-1280ms': sampleSchedule({
    name: 'production-1280ms',
    chunkSamples: 20480,
    shiftSamples: 20480,
    decodeFrames: 16,
    tail: 'pad',
    eouPolicy: 'stop-chunk',
  }),
});

/**
 * Reads a schedule declared in `model.json` (e.g. `encoder.streaming.schedule`).
 * @throws FrontendError `E_MODEL_CONFIG` naming the field
 */
export function parseChunkSchedule(
  input: unknown,
  file = 'model.json',
  path = 'encoder.streaming.schedule',
): ChunkSchedule {
  const fail = (field: string, message: string): never => {
    throw new FrontendError('E_MODEL_CONFIG', `${file}: ${path}${field ? `.${field}` : ''} ${message}`, {
      file,
      field: field ? `${path}.${field}` : path,
    });
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('', `must be an object, got ${describeValue(input)}`);
  const o = input as Record<string, unknown>;
  const int = (field: string, min = 1): number => {
    const v = o[field];
    if (!Number.isInteger(v) || (v as number) < min)
      fail(field, `must be an integer >= ${min}, got ${describeValue(v)}`);
    return v as number;
  };
  const name = o['name'];
  if (typeof name !== 'string' || name === '')
    fail('name', `must be a non-empty string, got ${describeValue(name)}`);
  const decodeFrames = o['decodeFrames'] ?? 'all';
  if (decodeFrames !== 'all' && !(Number.isInteger(decodeFrames) && (decodeFrames as number) > 0))
    fail('decodeFrames', `must be "all" or a positive integer, got ${describeValue(decodeFrames)}`);
  const eouPolicy = o['eouPolicy'];
  if (eouPolicy !== undefined && eouPolicy !== 'stop-chunk' && eouPolicy !== 'reset')
    fail('eouPolicy', `must be "stop-chunk" or "reset", got ${describeValue(eouPolicy)}`);
  const frameMs = o['frameMs'];
  if (frameMs !== undefined && !(typeof frameMs === 'number' && frameMs > 0))
    fail('frameMs', `must be a positive number, got ${describeValue(frameMs)}`);
  const common = {
    name: name as string,
    decodeFrames: decodeFrames as 'all' | number,
    ...(eouPolicy ? { eouPolicy: eouPolicy as EouPolicy } : {}),
    ...(frameMs ? { frameMs: frameMs as number } : {}),
  };
  if (o['unit'] === 'samples') {
    const tail = o['tail'] ?? 'pad';
    if (tail !== 'drop' && tail !== 'pad')
      fail('tail', `must be "drop" or "pad", got ${describeValue(tail)}`);
    const chunkSamples = int('chunkSamples');
    const shiftSamples = int('shiftSamples');
    if (shiftSamples > chunkSamples)
      fail('shiftSamples', `must be <= chunkSamples (${chunkSamples}), got ${shiftSamples}`);
    return Object.freeze({
      unit: 'samples',
      chunkSamples,
      shiftSamples,
      tail: tail as 'drop' | 'pad',
      ...common,
    });
  }
  if (o['unit'] === 'frames') {
    const tail = o['tail'] ?? 'drop';
    if (tail !== 'drop' && tail !== 'partial')
      fail('tail', `must be "drop" or "partial", got ${describeValue(tail)}`);
    const windowFrames = int('windowFrames');
    const shiftFrames = int('shiftFrames');
    if (shiftFrames > windowFrames)
      fail('shiftFrames', `must be <= windowFrames (${windowFrames}), got ${shiftFrames}`);
    const pad = o['tailPaddingMs'];
    if (pad !== undefined && !(typeof pad === 'number' && pad >= 0))
      fail('tailPaddingMs', `must be a number >= 0, got ${describeValue(pad)}`);
    return Object.freeze({
      unit: 'frames',
      windowFrames,
      shiftFrames,
      tail: tail as 'drop' | 'partial',
      ...(pad !== undefined ? { tailPaddingMs: pad as number } : {}),
      ...common,
    });
  }
  return fail('unit', `must be "samples" or "frames", got ${describeValue(o['unit'])}`);
}

/** The suffix that gives a schedule the research harness's semantics: `tiny-160ms+harness`. */
export const HARNESS_SUFFIX = '+harness';

/**
 * The research harness's semantics (seed-system §2.3, §2.4) on another schedule's windows: no
 * overlap (shift = window), every encoder column decoded, the trailing partial window dropped
 * (no tail padding), EOU `reset`. Named `<name>+harness`. The seed's `harness` is this applied
 * to `production`'s 2560-sample windows; for a model that declares windows of its own (the tiny
 * model's 16 mel frames, which its encoder stacks by 8), this is the harness it can run.
 */
export function harnessOf(schedule: ChunkSchedule): ChunkSchedule {
  const common = {
    name: `${schedule.name}${HARNESS_SUFFIX}`,
    decodeFrames: 'all' as const,
    tail: 'drop' as const,
    eouPolicy: 'reset' as const,
    ...(schedule.frameMs === undefined ? {} : { frameMs: schedule.frameMs }),
  };
  if (schedule.unit === 'samples')
    return Object.freeze({
      unit: 'samples',
      chunkSamples: schedule.chunkSamples,
      shiftSamples: schedule.chunkSamples,
      ...common,
    });
  return Object.freeze({
    unit: 'frames',
    windowFrames: schedule.windowFrames,
    shiftFrames: schedule.windowFrames,
    ...common,
  });
}

/**
 * A schedule by name: the seed's (`harness`, `production`, `production-160ms`, `-320ms`,
 * `-1280ms`), one the model declares, or either with {@link HARNESS_SUFFIX} ({@link harnessOf}).
 * @throws RangeError naming the known schedules
 */
export function resolveSchedule(name: string, declared: readonly ChunkSchedule[] = []): ChunkSchedule {
  const found = declared.find((s) => s.name === name) ?? seedSchedules[name];
  if (found !== undefined) return found;
  if (typeof name === 'string' && name.endsWith(HARNESS_SUFFIX)) {
    const base = name.slice(0, -HARNESS_SUFFIX.length);
    const source = declared.find((s) => s.name === base) ?? seedSchedules[base];
    if (source !== undefined) return harnessOf(source);
  }
  const names = [...declared.map((s) => s.name), ...Object.keys(seedSchedules)];
  throw new RangeError(
    `schedule must be one of ${names.join(', ')} (or any of them with "${HARNESS_SUFFIX}"), got ${describeValue(name)}`,
  );
}
