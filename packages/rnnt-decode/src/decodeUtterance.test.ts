import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashModel, ids, makeFrames, type HashParams } from '../test/models';
import { decodeUtterance, decodeUtteranceSync } from './decodeUtterance';

const p: HashParams = { textVocab: 7, blankRate: 420, eouRate: 80, eobRate: 20, a: 9, b: 4 };
const { blankId, eouId, eobId } = ids(p);

describe(decodeUtterance, () => {
  it('gives the same result for a sync and an async model, traces included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 15 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        fc.constantFrom('stop-chunk' as const, 'reset' as const),
        fc.nat(),
        async (n, chunkFrames, eouPolicy, seed) => {
          const frames = makeFrames(n, seed);
          const config = { blankId, eouId, eobId, eouPolicy };
          const options = { trace: true, ...(chunkFrames === undefined ? {} : { chunkFrames }) };
          const sync = decodeUtteranceSync(
            hashModel(p, { kind: 'fused', sync: true }),
            frames,
            n,
            config,
            options,
          );
          const pending = decodeUtterance(
            hashModel(p, { kind: 'fused', sync: false }),
            frames,
            n,
            config,
            options,
          );
          expect(pending).toBeInstanceOf(Promise);
          const async = await pending;
          expect(async).toEqual(sync);
          expect(sync.trace!.length).toBe(sync.stats.steps);
          expect(
            sync.trace!.filter((s) => s.token !== blankId && s.token !== eouId).map((s) => s.frame),
          ).toEqual(Array.from(sync.frames).filter((_, i) => sync.tokens[i] !== eouId));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('returns a plain value for a synchronous model', () => {
    const result = decodeUtterance(hashModel(p, { kind: 'split', sync: true }), makeFrames(3, 1), 3, {
      blankId,
      eouId,
    });
    expect(result).not.toBeInstanceOf(Promise);
  });

  it('stamps tokens with frame * frameMs', () => {
    const result = decodeUtteranceSync(
      hashModel(p, { kind: 'split', sync: true }),
      makeFrames(12, 3),
      12,
      { blankId, eouId },
      { frameMs: 40 },
    );
    expect(Array.from(result.timestampsMs)).toEqual(Array.from(result.frames, (f) => f * 40));
  });

  it('BAD CALL - rejects a non-positive chunk size and wrong-sized frames', () => {
    const model = hashModel(p, { kind: 'split', sync: true });
    expect(() =>
      decodeUtteranceSync(model, makeFrames(3, 1), 3, { blankId, eouId }, { chunkFrames: 0 }),
    ).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'options.chunkFrames must be a positive integer, got 0',
      }),
    );
    expect(() => decodeUtterance(model, makeFrames(3, 1), 4, { blankId, eouId })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'frames.length must be frameCount*encoderDim = 4*2 = 8, got 6',
      }),
    );
  });
});
