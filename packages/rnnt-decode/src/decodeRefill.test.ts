import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E, H, hashModel, ids, makeFrames, type HashParams, type Kind } from '../test/models';
import { hashSessions } from '../test/sessions';
import { decodeRefill, type RefillResult } from './decodeRefill';
import { totalCalls } from './decodeStats';
import { decodeUtterance } from './decodeUtterance';
import { fusedModelFromSession, projectedModelFromSessions, splitModelFromSessions } from './sessionAdapters';
import type { StepModel } from './stepModels';

const caseArb = fc.record({
  params: fc.record({
    textVocab: fc.integer({ min: 2, max: 30 }),
    blankRate: fc.integer({ min: 0, max: 1000 }),
    eouRate: fc.integer({ min: 0, max: 300 }),
    eobRate: fc.integer({ min: 0, max: 100 }),
    a: fc.integer({ min: 1, max: 60 }),
    b: fc.integer({ min: 1, max: 60 }),
  }),
  lengths: fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 9 }),
  seed: fc.nat(),
  rows: fc.integer({ min: 1, max: 4 }),
  maxSymbolsPerFrame: fc.integer({ min: 1, max: 3 }),
  eouPolicy: fc.constantFrom('stop-chunk' as const, 'reset' as const),
  predictionPolicy: fc.constantFrom('recompute' as const, 'cache' as const),
  kind: fc.constantFrom<Kind>('split', 'fused', 'projected'),
  sync: fc.boolean(),
  viaSessions: fc.boolean(),
});

function modelFor(p: HashParams, kind: Kind, sync: boolean, viaSessions: boolean): StepModel {
  if (!viaSessions) return hashModel(p, { kind, sync, maxBatch: 8 });
  const s = hashSessions(p, { sync, batched: true });
  const dims = { hiddenSize: H, encoderDim: E, vocabSize: ids(p).vocabSize };
  if (kind === 'split') return splitModelFromSessions(s.decoder, s.joint, dims);
  if (kind === 'fused') return fusedModelFromSession(s.fused, dims);
  return projectedModelFromSessions(s.projectedEncoder, s.projectedDecoder, s.projectedJoint, dims);
}

describe(decodeRefill, () => {
  it('gives every utterance the same result as decoding it alone, whatever the rows and lengths', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const model = modelFor(c.params, c.kind, c.sync, c.viaSessions);
        const { blankId, eouId, eobId } = ids(c.params);
        const { maxSymbolsPerFrame, eouPolicy, predictionPolicy } = c;
        const config = { blankId, eouId, eobId, maxSymbolsPerFrame, eouPolicy, predictionPolicy };
        const utterances = c.lengths.map((n, i) => ({ frames: makeFrames(n, c.seed + i), frameCount: n }));
        const order: number[] = [];
        const got = await decodeRefill(model, utterances, config, {
          rows: c.rows,
          onUtterance: (i) => order.push(i),
        });
        expect(got.utterances).toHaveLength(utterances.length);
        expect([...order].sort((a, b) => a - b)).toEqual(utterances.map((_, i) => i));
        for (const [i, u] of utterances.entries()) {
          const single = await decodeUtterance(model, u.frames, u.frameCount, config);
          const r = got.utterances[i]!;
          expect(Array.from(r.tokens)).toEqual(Array.from(single.tokens));
          expect(Array.from(r.frames)).toEqual(Array.from(single.frames));
          expect(Array.from(r.probs)).toEqual(Array.from(single.probs));
          expect(Array.from(r.eouFrames)).toEqual(Array.from(single.eouFrames));
          expect(Array.from(r.timestampsMs)).toEqual(Array.from(single.timestampsMs));
          expect(r.steps).toBe(single.stats.steps);
          expect(r.decodeMs).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps rows busy: one model call serves several utterances of different lengths', () => {
    const p = { textVocab: 9, blankRate: 700, eouRate: 0, eobRate: 0, a: 7, b: 11 };
    const model = hashModel(p, { kind: 'fused', sync: true, maxBatch: 8 });
    const { blankId, eouId, eobId } = ids(p);
    const config = { blankId, eouId, eobId, predictionPolicy: 'recompute' as const };
    const lengths = [3, 9, 1, 7, 5, 2, 8, 4];
    const utterances = lengths.map((n, i) => ({ frames: makeFrames(n, i), frameCount: n }));
    const one = decodeRefill(model, utterances, config, { rows: 1 }) as RefillResult;
    const four = decodeRefill(model, utterances, config, { rows: 4 }) as RefillResult;
    expect(four.rows).toBe(4);
    expect(totalCalls(four.stats)).toBeLessThan(totalCalls(one.stats) / 2);
  });

  it('steps every busy row in every call: rows stagger instead of waiting for the rows that emit', () => {
    const p = { textVocab: 9, blankRate: 600, eouRate: 0, eobRate: 0, a: 5, b: 3 };
    const { blankId, eouId, eobId } = ids(p);
    const config = { blankId, eouId, eobId, predictionPolicy: 'cache' as const };
    const utterances = Array.from({ length: 40 }, (_, i) => ({ frames: makeFrames(12, i), frameCount: 12 }));
    for (const kind of ['split', 'fused'] as const) {
      const model = hashModel(p, { kind, sync: true, maxBatch: 8 });
      const { stats } = decodeRefill(model, utterances, config, { rows: 4 }) as RefillResult;
      const calls = kind === 'split' ? stats.jointCalls : stats.stepCalls;
      // Frame by frame a call waits on the rows that emit: 0.77 of the row-steps computed were used here.
      expect(stats.steps / (calls * 4)).toBeGreaterThan(0.9);
    }
  });

  it('takes utterances from a source one at a time, holding only the busy rows', () => {
    const p = { textVocab: 9, blankRate: 600, eouRate: 40, eobRate: 0, a: 5, b: 3 };
    const { blankId, eouId, eobId } = ids(p);
    const config = { blankId, eouId, eobId, predictionPolicy: 'cache' as const };
    const lengths = [5, 0, 12, 3, 9, 1, 7, 0, 4, 11, 2, 6];
    const utterances = lengths.map((n, i) => ({ frames: makeFrames(n, i), frameCount: n }));
    for (const kind of ['split', 'fused', 'projected'] as const) {
      const model = hashModel(p, { kind, sync: true, maxBatch: 8 });
      const fromArray = decodeRefill(model, utterances, config, { rows: 3 }) as RefillResult;
      const taken: number[] = [];
      let finished = 0;
      let mostHeld = 0;
      const fromSource = decodeRefill(
        model,
        {
          count: utterances.length,
          take: (i) => {
            taken.push(i);
            mostHeld = Math.max(mostHeld, taken.length - finished);
            return utterances[i]!;
          },
        },
        config,
        { rows: 3, onUtterance: () => (finished += 1) },
      ) as RefillResult;
      expect(taken).toEqual(utterances.map((_, i) => i));
      // A row takes its next utterance as its last one finishes: at most rows + 1 are taken and unfinished.
      expect(mostHeld).toBeLessThanOrEqual(4);
      expect(fromSource.utterances.map((r) => Array.from(r.tokens))).toEqual(
        fromArray.utterances.map((r) => Array.from(r.tokens)),
      );
      expect(fromSource.utterances.map((r) => Array.from(r.frames))).toEqual(
        fromArray.utterances.map((r) => Array.from(r.frames)),
      );
    }
  });

  it("BAD CALL - refuses a source's utterance of the wrong size when it is taken, naming it", () => {
    const p = { textVocab: 3, blankRate: 500, eouRate: 0, eobRate: 0, a: 1, b: 1 };
    const model = hashModel(p, { kind: 'fused', sync: true, maxBatch: 2 });
    const { blankId } = ids(p);
    const source = {
      count: 2,
      take: (i: number) => ({ frames: makeFrames(2, i), frameCount: i === 0 ? 2 : 3 }),
    };
    expect(() => decodeRefill(model, source, { blankId }, { rows: 1 })).toThrow(
      /^utterances\[1\]\.frames\.length must be frameCount\*encoderDim/,
    );
    expect(() => decodeRefill(model, { count: -1, take: source.take }, { blankId })).toThrow(TypeError);
  });

  it('refuses a bad row count, naming the option', () => {
    const p = { textVocab: 3, blankRate: 500, eouRate: 0, eobRate: 0, a: 1, b: 1 };
    const model = hashModel(p, { kind: 'fused', sync: true, maxBatch: 2 });
    const { blankId } = ids(p);
    expect(() => decodeRefill(model, [], { blankId }, { rows: 0 })).toThrow(/options\.rows/);
  });
});
