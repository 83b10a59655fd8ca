/**
 * How a corpus file's frames were cut into chunks by the streaming host that made them: each
 * chunk's decoded columns and how far the audio advanced with it. `eou encode` records it in each
 * manifest line (`chunking`), so the gate decodes the cached frames in the stream's own chunks (the
 * `stop-chunk` EOU policy skips the rest of a chunk) and replays the end-of-utterance detector at the
 * stream's own times. A corpus without it gets the model's declared frame schedule when that is
 * derivable (the tiny model: 16 mel frames stacked by 8 = 2 columns per 160 ms chunk), else one
 * chunk per frame.
 */
import { featureFrameCount, featureHop, parseFeatureConfig, type FeatureConfig } from '@eou/frontend';
import type { ModelConfig } from '@eou/rnnt-decode';

/** A file's chunking. `runs` are [chunks, decoded frames per chunk, samples advanced per chunk]. */
export interface ChunkLayout {
  /** The schedule's name, or how the layout was derived. */
  readonly schedule: string;
  readonly sampleRate: number;
  /** Milliseconds per decoded frame (token and EOU timestamps). */
  readonly frameMs: number;
  readonly runs: readonly (readonly [number, number, number])[];
}

/** One chunk of a layout. */
export interface LayoutChunk {
  readonly frames: number;
  readonly advanceSamples: number;
}

/** Run-length encodes chunks into a layout. */
export function chunkLayoutOf(
  chunks: readonly LayoutChunk[],
  schedule: string,
  sampleRate: number,
  frameMs: number,
): ChunkLayout {
  const runs: [number, number, number][] = [];
  for (const c of chunks) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === c.frames && last[2] === c.advanceSamples) last[0] += 1;
    else runs.push([1, c.frames, c.advanceSamples]);
  }
  return { schedule, sampleRate, frameMs, runs };
}

/** The chunks of a layout, in order. */
export function expandLayout(layout: ChunkLayout): LayoutChunk[] {
  const out: LayoutChunk[] = [];
  for (const [count, frames, advanceSamples] of layout.runs)
    for (let i = 0; i < count; i++) out.push({ frames, advanceSamples });
  return out;
}

/** Decoded frames a layout covers. */
export function layoutFrames(layout: ChunkLayout): number {
  return layout.runs.reduce((a, [count, frames]) => a + count * frames, 0);
}

const isCount = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

/**
 * Reads a manifest line's `chunking` value.
 * @returns the layout, or a one-line reason it is not one
 */
export function parseChunkLayout(value: unknown): ChunkLayout | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `\`chunking\` must be an object, got ${JSON.stringify(value)}`;
  const o = value as Record<string, unknown>;
  if (typeof o['schedule'] !== 'string') return '`chunking.schedule` must be a string';
  if (!isCount(o['sampleRate'], 1)) return '`chunking.sampleRate` must be a positive integer';
  const frameMs = o['frameMs'];
  if (typeof frameMs !== 'number' || !(frameMs > 0)) return '`chunking.frameMs` must be a number > 0';
  const runs = o['runs'];
  if (!Array.isArray(runs) || runs.length === 0) return '`chunking.runs` must be a non-empty array';
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i] as unknown;
    if (!Array.isArray(r) || r.length !== 3 || !isCount(r[0], 1) || !isCount(r[1], 0) || !isCount(r[2], 0))
      return `\`chunking.runs[${i}]\` must be [chunks >= 1, frames >= 0, samples >= 0], got ${JSON.stringify(r)}`;
  }
  return {
    schedule: o['schedule'],
    sampleRate: o['sampleRate'],
    frameMs,
    runs: runs as [number, number, number][],
  };
}

/**
 * The chunking a corpus without one is replayed with: the model's first declared schedule when it is
 * a frames schedule without overlap whose window the encoder's subsampling divides (`window /
 * subsampling` columns per chunk, advancing `window x hop` samples; the last chunk holds what is left
 * and advances by the feature frames left, computed from the file's duration when known, as the
 * streaming host does), else one chunk per frame.
 * @param modelJson the parsed `model.json` (its `encoder` block is optional)
 * @param durationSec the file's audio duration (the manifest's `duration`), for the last chunk
 */
export function defaultChunkLayout(
  modelJson: Readonly<Record<string, unknown>>,
  config: Pick<ModelConfig, 'frameMs'>,
  frames: number,
  durationSec?: number,
): ChunkLayout {
  const enc = modelJson['encoder'] as
    | { subsampling?: unknown; features?: unknown; streaming?: { schedule?: unknown; schedules?: unknown } }
    | undefined;
  let features: FeatureConfig | undefined;
  try {
    features = enc?.features === undefined ? undefined : parseFeatureConfig(enc.features);
  } catch {
    features = undefined;
  }
  const rate = features?.sampleRate ?? 16000;
  const declared = enc?.streaming?.schedules ?? enc?.streaming?.schedule;
  const first = (Array.isArray(declared) ? declared[0] : declared) as Record<string, unknown> | undefined;
  const sub = enc?.subsampling;
  if (
    features !== undefined &&
    first !== undefined &&
    first['unit'] === 'frames' &&
    isCount(first['windowFrames'], 1) &&
    first['shiftFrames'] === first['windowFrames'] &&
    (first['decodeFrames'] ?? 'all') === 'all' &&
    isCount(sub, 1) &&
    first['windowFrames'] % sub === 0
  ) {
    const hop = featureHop(features);
    const window = first['windowFrames'];
    const perChunk = window / sub;
    const whole = Math.floor(frames / perChunk);
    const rest = frames - whole * perChunk;
    const chunks: LayoutChunk[] = Array.from({ length: whole }, () => ({
      frames: perChunk,
      advanceSamples: window * hop,
    }));
    if (rest > 0) {
      const featureFrames =
        durationSec === undefined
          ? rest * sub
          : featureFrameCount(features, Math.round(durationSec * rate)) - whole * window;
      chunks.push({ frames: rest, advanceSamples: Math.max(0, featureFrames) * hop });
    }
    const frameMs = typeof first['frameMs'] === 'number' ? first['frameMs'] : config.frameMs;
    return chunkLayoutOf(chunks, String(first['name']), rate, frameMs);
  }
  const per = Math.round((config.frameMs * rate) / 1000);
  return chunkLayoutOf(
    Array.from({ length: frames }, () => ({ frames: 1, advanceSamples: per })),
    'one chunk per frame',
    rate,
    config.frameMs,
  );
}
