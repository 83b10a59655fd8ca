import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scriptedEncoder } from '../test/scripted';
import {
  createChunkedEncoder,
  createStreamingEncoder,
  featureFrameCount,
  harnessOf,
  nemoLogMelDefaults,
  parseChunkSchedule,
  parseStreamingEncoderSpec,
  resolveSchedule,
  seedSchedules,
  type ChunkSchedule,
  type ScheduledChunk,
} from '../src/index';

const spec = parseStreamingEncoderSpec({ input: 'features', output: 'encoded' });
const signal = (n: number) =>
  Float32Array.from({ length: n }, (_, i) => 0.1 * Math.sin(i / 5) + 0.01 * Math.cos(i / 3));
const frameSchedule = parseChunkSchedule({
  name: 'w16',
  unit: 'frames',
  windowFrames: 16,
  shiftFrames: 16,
  tail: 'partial',
  frameMs: 80,
});

function chunker(schedule: ChunkSchedule, frames: number | 'T' = 'T') {
  const encoder = createStreamingEncoder(
    scriptedEncoder(128, frames, 'T_out', (k, _f, dims) =>
      Array.from({ length: Math.ceil(dims[2]! / 8) }, (_, i) => k * 10 + i),
    ),
    spec,
  );
  return createChunkedEncoder({ features: nemoLogMelDefaults, encoder, schedule });
}

async function run(
  schedule: ChunkSchedule,
  x: Float32Array,
  pushes: readonly number[],
): Promise<ScheduledChunk[]> {
  const c = chunker(schedule, schedule.unit === 'samples' ? 17 : 'T');
  const out: ScheduledChunk[] = [];
  let at = 0;
  for (const n of pushes) {
    out.push(...(await c.push(x.subarray(at, Math.min(x.length, at + n)))));
    at += n;
  }
  if (at < x.length) out.push(...(await c.push(x.subarray(at))));
  out.push(...(await c.finish()));
  return out;
}

const summary = (chunks: readonly ScheduledChunk[]) =>
  chunks.map((c) => [Array.from(c.encoded.frames), c.decodeCount, c.validOutLen, c.advanceSamples]);

describe(createChunkedEncoder, () => {
  it('production: 2560-sample windows shifted by 1280, 2 columns decoded, the tail padded; the advances add up to the audio', async () => {
    const x = signal(2560 + 1280 * 4 + 500);
    const chunks = await run(seedSchedules['production']!, x, [x.length]);
    expect(chunks.map((c) => [c.decodeCount, c.validOutLen, c.advanceSamples])).toEqual(
      Array.from({ length: 6 }, () => [2, 2, 1280]),
    );
    expect(chunks[0]!.encoded.count).toBe(3); // 17 mel frames stacked by 8
  });

  it('harness: raw windows, every column decoded, the trailing partial window dropped', async () => {
    const x = signal(2560 * 3 + 1000);
    const chunks = await run(seedSchedules['harness']!, x, [x.length]);
    expect(chunks.map((c) => [c.decodeCount, c.validOutLen, c.advanceSamples])).toEqual([
      [3, undefined, 2560],
      [3, undefined, 2560],
      [3, undefined, 2560],
    ]);
  });

  it('a frames schedule: windows of the continuous feature stream, the last one partial, advancing by its frames', async () => {
    const x = signal(16000);
    const chunks = await run(frameSchedule, x, [x.length]);
    const mel = featureFrameCount(nemoLogMelDefaults, x.length);
    expect(mel).toBe(101);
    expect(chunks.map((c) => c.advanceSamples)).toEqual([2560, 2560, 2560, 2560, 2560, 2560, 5 * 160]);
    expect(chunks.reduce((a, c) => a + c.decodeCount, 0)).toBe(Math.ceil(96 / 8) + 1);
  });

  it('property: the chunks do not depend on how the audio is pushed (any push sizes, any schedule)', async () => {
    const x = signal(9000);
    for (const schedule of [seedSchedules['production']!, seedSchedules['harness']!, frameSchedule]) {
      const whole = summary(await run(schedule, x, [x.length]));
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 12 }),
          async (pushes) => {
            expect(summary(await run(schedule, x, pushes))).toEqual(whole);
          },
        ),
        { numRuns: 25 },
      );
    }
  });

  it("gives a schedule the harness's semantics: no overlap, every column, the tail dropped, EOU reset", () => {
    expect(harnessOf(seedSchedules['production']!)).toEqual({
      unit: 'samples',
      name: 'production+harness',
      chunkSamples: 2560,
      shiftSamples: 2560,
      decodeFrames: 'all',
      tail: 'drop',
      eouPolicy: 'reset',
    });
    const h = resolveSchedule('w16+harness', [frameSchedule]);
    expect(h).toMatchObject({
      unit: 'frames',
      windowFrames: 16,
      shiftFrames: 16,
      tail: 'drop',
      eouPolicy: 'reset',
      frameMs: 80,
    });
    expect(() => resolveSchedule('nope+harness')).toThrow(RangeError);
  });
});
