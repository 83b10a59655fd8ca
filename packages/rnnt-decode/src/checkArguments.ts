/**
 * The argument checks of every decode entry point (streaming, utterance, batch), written once: a
 * caller mistake is a `TypeError`/`RangeError` naming the argument, found before any model call so
 * the hot loop never re-checks anything.
 */
import { createDecodeConfig, type DecodeConfig, type DecodeConfigInput } from './decodeConfig';
import {
  contextSizeOf,
  predictionWidthOf,
  stateWidthOf,
  startContextFor,
  type DecodeState,
} from './decodeState';
import { describe } from './describeValue';
import { stepKinds, type AnyStepModel, type StepKind } from './stepModels';
import { defaultFrameMs } from './timestamps';

/** Methods each model kind must have. */
const methodsOf: Readonly<Record<StepKind, readonly string[]>> = {
  split: ['predict', 'joint'],
  fused: ['step'],
  projected: ['projectEncoder', 'predict', 'jointProjected'],
  stateless: ['predict', 'joint'],
};

/** Symbols-per-frame cap of each kind when the config omits it: 1 for the zipformer family, as sherpa-onnx. */
const maxSymbolsOf: Readonly<Record<StepKind, number | undefined>> = {
  split: undefined,
  fused: undefined,
  projected: undefined,
  stateless: 1,
};

/**
 * Checks the shape of a step model (a caller mistake when wrong).
 * @throws TypeError for a missing kind, flag or method; RangeError for a bad size
 */
export function checkModel(model: AnyStepModel): void {
  if (typeof model !== 'object' || model === null)
    throw new TypeError(`model must be a step model object, got ${describe(model)}`);
  if (!stepKinds.includes(model.kind)) {
    throw new TypeError(
      `model.kind must be 'split', 'fused', 'projected' or 'stateless', got ${describe((model as { kind: unknown }).kind)}`,
    );
  }
  for (const field of ['hiddenSize', 'encoderDim', 'vocabSize', 'maxBatch'] as const) {
    const value = model[field];
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`model.${field} must be a positive integer, got ${describe(value)}`);
  }
  if (model.kind === 'projected' && (!Number.isInteger(model.jointDim) || model.jointDim < 1)) {
    throw new RangeError(`model.jointDim must be a positive integer, got ${describe(model.jointDim)}`);
  }
  if (model.kind === 'stateless' && (!Number.isInteger(model.contextSize) || model.contextSize < 1)) {
    throw new RangeError(`model.contextSize must be a positive integer, got ${describe(model.contextSize)}`);
  }
  if (typeof model.isSync !== 'boolean')
    throw new TypeError(`model.isSync must be a boolean, got ${describe(model.isSync)}`);
  for (const name of methodsOf[model.kind]) {
    if (typeof (model as unknown as Record<string, unknown>)[name] !== 'function') {
      throw new TypeError(`model.${name} must be a function for a ${model.kind} model`);
    }
  }
}

/**
 * Checks the model, then validates the config against its vocabulary with the model family's
 * defaults (and the start context against its context size).
 */
export function checkModelAndConfig(model: AnyStepModel, config: DecodeConfigInput): DecodeConfig {
  checkModel(model);
  const maxSymbolsPerFrame = maxSymbolsOf[model.kind];
  const resolved = createDecodeConfig(
    config,
    model.vocabSize,
    maxSymbolsPerFrame === undefined ? {} : { maxSymbolsPerFrame },
  );
  startContextFor(model, resolved.blankId, resolved.startContext);
  return resolved;
}

/**
 * Checks encoder frames: a `Float32Array` of `frameCount*encoderDim` values.
 * @param path prefix of the argument names (`utterances[3].`), '' for a plain argument
 * @param showProduct spell the expected length out as `frameCount*encoderDim = 3*512 = 1536`
 */
export function checkFrames(
  frames: Float32Array,
  frameCount: number,
  encoderDim: number,
  path = '',
  showProduct = true,
): void {
  // Messages are built only on failure: this runs once per chunk.
  if (!(frames instanceof Float32Array))
    throw new TypeError(`${path}frames must be a Float32Array, got ${describe(frames)}`);
  if (!Number.isInteger(frameCount) || frameCount < 0) checkCount(`${path}frameCount`, frameCount);
  if (frames.length !== frameCount * encoderDim) {
    const expected = showProduct
      ? `${frameCount}*${encoderDim} = ${frameCount * encoderDim}`
      : `${frameCount * encoderDim}`;
    throw new RangeError(
      `${path}frames.length must be frameCount*encoderDim = ${expected}, got ${frames.length}`,
    );
  }
}

/** Checks a non-negative integer argument or option (`frameCount`, `options.validOutLen`). */
export function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${describe(value)}`);
}

/** Checks `options.chunkFrames` when given. */
export function checkChunkFrames(chunkFrames: number | undefined): void {
  if (chunkFrames !== undefined && (!Number.isInteger(chunkFrames) || chunkFrames < 1)) {
    throw new RangeError(`options.chunkFrames must be a positive integer, got ${describe(chunkFrames)}`);
  }
}

/** `options.frameMs`, else the model's, else 80; checked. */
export function resolveFrameMs(given: number | undefined, model: AnyStepModel): number {
  const frameMs = given ?? model.frameMs ?? defaultFrameMs;
  if (typeof frameMs !== 'number' || !(frameMs >= 0) || !Number.isFinite(frameMs)) {
    throw new RangeError(`options.frameMs must be a non-negative number, got ${describe(frameMs)}`);
  }
  return frameMs;
}

/**
 * Checks a caller-owned state for one utterance of `model` under `config`.
 * @throws RangeError naming the state field that does not fit
 */
export function checkState(state: DecodeState, model: AnyStepModel, config: DecodeConfig): void {
  if (state.rows !== 1)
    throw new RangeError(`state.rows must be 1 for a single-utterance decoder, got ${state.rows}`);
  if (state.hiddenSize !== stateWidthOf(model)) {
    throw new RangeError(
      `state.hiddenSize must equal the model's hiddenSize ${stateWidthOf(model)}, got ${state.hiddenSize}`,
    );
  }
  if (state.pred.decoder.length !== predictionWidthOf(model)) {
    throw new RangeError(
      `state.pred.decoder.length must equal the model's prediction width ${predictionWidthOf(model)}, got ${state.pred.decoder.length}`,
    );
  }
  const start = startContextFor(model, config.blankId, config.startContext);
  if (state.contextSize !== contextSizeOf(model) || state.startContext.join() !== start.join()) {
    throw new RangeError(
      `state.startContext [${Array.from(state.startContext).join(', ')}] must equal the config's [${Array.from(start).join(', ')}]; create the state with createDecodeState(model, config)`,
    );
  }
}
