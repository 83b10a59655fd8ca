/**
 * Test fixture: steppers computed by the TypeScript reference math of a tiny pair (no runtime),
 * and a perturbing wrapper, so the comparison logic can be tested on known differences.
 */
import type { TinyPair } from '../variants/tinyPair.fixture';
import { referenceStep } from '../variants/tinyPair.fixture';
import type { StepResult, VariantStepper } from './variantStepper';

export function referenceStepper(p: TinyPair, name = 'ref-ts'): VariantStepper {
  return {
    name,
    hiddenSize: p.dims.H,
    encoderDim: p.dims.E,
    hasTopK: true,
    async step(token, h, c, enc) {
      const r = referenceStep(p, token, h, c, enc);
      const ids = Int32Array.from(r.topKIds);
      return {
        token: r.tokenId,
        prob: r.prob,
        h: r.h,
        c: r.c,
        topKIds: ids,
        topKLogits: Float32Array.from(ids, (id) => r.logits[id]!),
      };
    },
    async close() {},
  };
}

/** Wraps a stepper; `change(callIndex, result)` may alter any call's result. */
export function perturbed(
  inner: VariantStepper,
  name: string,
  change: (call: number, r: StepResult) => StepResult,
  hasTopK = inner.hasTopK,
): VariantStepper {
  let calls = 0;
  return {
    ...inner,
    name,
    hasTopK,
    async step(token, h, c, enc) {
      const r = await inner.step(token, h, c, enc);
      const out = change(calls++, r);
      if (hasTopK) return out;
      const { topKIds: _ids, topKLogits: _logits, ...rest } = out;
      return rest;
    },
  };
}

/** Deterministic frames [T*E]. */
export function frames(T: number, E: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from(
    { length: T * E },
    () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), (s / 2 ** 32 - 0.5) * 4),
  );
}
