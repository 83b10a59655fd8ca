/**
 * Free-running traces from the real decode loop of `@eou/rnnt-decode`: the stepper is wrapped as
 * a fused step model and the loop's own per-step trace (with states) is returned. The loop
 * function is passed in, so this package keeps the loop out of its runtime dependencies.
 */
import type {
  DecodeConfigInput,
  DecodeUtteranceOptions,
  FusedStepModel,
  StepModel,
  UtteranceResult,
} from '@eou/rnnt-decode';
import type { FreeRunner } from './freeRunning';
import type { VariantStepper } from './variantStepper';

/** `decodeUtterance` of `@eou/rnnt-decode`. */
export type DecodeUtteranceFn = (
  model: StepModel,
  frames: Float32Array,
  frameCount: number,
  config: DecodeConfigInput,
  options?: DecodeUtteranceOptions,
) => UtteranceResult | Promise<UtteranceResult>;

/** A one-row fused step model over a stepper (asynchronous). */
export function stepperAsFusedModel(stepper: VariantStepper, vocabSize: number): FusedStepModel {
  return {
    kind: 'fused',
    isSync: false,
    hiddenSize: stepper.hiddenSize,
    encoderDim: stepper.encoderDim,
    vocabSize,
    maxBatch: 1,
    async step(tokens, h, c, encoderFrames, out) {
      const r = await stepper.step(tokens[0]!, h.slice(), c.slice(), encoderFrames.slice());
      out.tokens[0] = r.token;
      out.probs[0] = r.prob;
      out.h.set(r.h);
      out.c.set(r.c);
    },
  };
}

/** A variant's own step model for the loop (e.g. from `loadModelDirectory`), with its policy. */
export interface LoopModel {
  readonly model: StepModel;
  readonly predictionPolicy: 'recompute' | 'cache';
}

/**
 * A {@link FreeRunner} that decodes with `decodeUtterance` (the config's EOU policy, one chunk
 * per file) and returns the loop's own trace. A stepper whose name is in `models` is decoded
 * with that step model and policy (so `cached` really caches and `projected` really hoists);
 * any other stepper is wrapped as a fused model with policy `recompute`.
 */
export function loopRunner(
  decodeUtterance: DecodeUtteranceFn,
  models: Readonly<Record<string, LoopModel>> = {},
): FreeRunner {
  return async (stepper, frames, frameCount, config) => {
    const own = Object.hasOwn(models, stepper.name) ? models[stepper.name] : undefined;
    const model = own?.model ?? stepperAsFusedModel(stepper, config.vocabSize);
    const result = await decodeUtterance(
      model,
      frames,
      frameCount,
      {
        blankId: config.blankId,
        eouId: config.eouId,
        maxSymbolsPerFrame: config.maxSymbolsPerFrame,
        eouPolicy: config.eouPolicy,
        predictionPolicy: own?.predictionPolicy ?? 'recompute',
      },
      { trace: true, traceStates: true },
    );
    const steps = (result.trace ?? []).map((s) => ({
      t: s.frame,
      s: s.symbol,
      token: s.token,
      prob: s.prob,
      ...(s.h ? { h: s.h } : {}),
      ...(s.c ? { c: s.c } : {}),
    }));
    return { steps, tokens: Array.from(result.tokens) };
  };
}
