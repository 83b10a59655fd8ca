/**
 * Batched decoding: B utterances in lock-step through a batch-capable model, one model call per
 * step for all rows: each group of at most `model.maxBatch` utterances is one run of a B-row
 * {@link DecodeEngine}, whose per-row masks keep a row out of a step after its blank, its EOU, the
 * end of its utterance or (for the rest of a chunk) a `stop-chunk` EOU. Model outputs of inactive
 * rows are ignored, so each utterance decodes exactly as it would alone.
 */
import { checkChunkFrames, checkFrames, checkModelAndConfig, resolveFrameMs } from './checkArguments';
import type { DecodeConfig, DecodeConfigInput } from './decodeConfig';
import { DecodeEngine } from './decodeEngine';
import { createDecodeState } from './decodeState';
import { emptyStats, type DecodeStats } from './decodeStats';
import type { UtteranceTokens } from './decodeUtterance';
import { describe } from './describeValue';
import type { AnyStepModel } from './stepModels';

/** One utterance of cached encoder frames. */
export interface BatchUtterance {
  /** [frameCount*E] row-major frames. */
  readonly frames: Float32Array;
  readonly frameCount: number;
}

/** Options of {@link decodeBatch}. */
export interface DecodeBatchOptions {
  /** Chunk size in frames for the `stop-chunk` EOU policy (as in `decodeUtterance`); default whole utterances. */
  chunkFrames?: number;
  /** Milliseconds per frame for timestamps (default: the model's, else 80). */
  frameMs?: number;
}

/** One utterance's result in a batch. */
export interface BatchUtteranceResult extends UtteranceTokens {
  readonly timestampsMs: Float64Array;
  /** Loop steps this utterance took part in. */
  readonly steps: number;
}

/** Result of {@link decodeBatch}: per-utterance results in input order and the batch's model calls. */
export interface BatchResult {
  readonly utterances: readonly BatchUtteranceResult[];
  /** Batched calls count once; `frames` and `steps` count rows. */
  readonly stats: DecodeStats;
  /** Number of lock-step groups (ceil(N / maxBatch)). */
  readonly groups: number;
}

/**
 * Decodes several utterances in lock-step batches. Returns directly for a synchronous model, a
 * promise otherwise. Results equal decoding each utterance alone with `decodeUtterance`.
 * @throws TypeError/RangeError for bad arguments (naming `utterances[i]`), RnntDecodeError for a
 *   model breaking its contract
 */
export function decodeBatch(
  model: AnyStepModel,
  utterances: readonly BatchUtterance[],
  config: DecodeConfigInput,
  options: DecodeBatchOptions = {},
): BatchResult | Promise<BatchResult> {
  const plan = prepare(model, utterances, config, options);
  if (model.isSync) return runSync(plan);
  return runAsync(plan);
}

/** {@link decodeBatch} for a synchronous model; throws a TypeError for an asynchronous one. */
export function decodeBatchSync(
  model: AnyStepModel,
  utterances: readonly BatchUtterance[],
  config: DecodeConfigInput,
  options: DecodeBatchOptions = {},
): BatchResult {
  const plan = prepare(model, utterances, config, options);
  if (!model.isSync)
    throw new TypeError('decodeBatchSync needs a synchronous model (model.isSync is false); use decodeBatch');
  return runSync(plan);
}

interface Plan {
  model: AnyStepModel;
  config: DecodeConfig;
  utterances: readonly BatchUtterance[];
  chunkFrames: number;
  frameMs: number;
}

function prepare(
  model: AnyStepModel,
  utterances: readonly BatchUtterance[],
  config: DecodeConfigInput,
  options: DecodeBatchOptions,
): Plan {
  const resolved = checkModelAndConfig(model, config);
  if (!Array.isArray(utterances))
    throw new TypeError(`utterances must be an array, got ${describe(utterances)}`);
  utterances.forEach((u, i) =>
    checkFrames(u?.frames, u?.frameCount, model.encoderDim, `utterances[${i}].`, false),
  );
  checkChunkFrames(options.chunkFrames);
  const frameMs = resolveFrameMs(options.frameMs, model);
  return { model, config: resolved, utterances, chunkFrames: options.chunkFrames ?? 0, frameMs };
}

/** Lock-step groups of at most `maxBatch` utterances, each with an engine over a fresh state. */
function* groupsOf(plan: Plan, stats: DecodeStats): Generator<DecodeEngine> {
  const size = plan.model.maxBatch;
  for (let i = 0; i < plan.utterances.length; i += size) {
    const group = plan.utterances.slice(i, i + size);
    const state = createDecodeState(plan.model, plan.config, group.length);
    const engine = new DecodeEngine(plan.model, plan.config, state, { rowLabels: true, stats });
    group.forEach((u, r) => engine.setRow(r, u.frames, 0, u.frameCount));
    yield engine;
  }
}

function runSync(plan: Plan): BatchResult {
  const stats = emptyStats();
  const results: BatchUtteranceResult[] = [];
  let groups = 0;
  for (const engine of groupsOf(plan, stats)) {
    engine.runSync(plan.chunkFrames);
    results.push(...resultsOf(engine, plan.frameMs));
    groups++;
  }
  return { utterances: results, stats, groups };
}

async function runAsync(plan: Plan): Promise<BatchResult> {
  const stats = emptyStats();
  const results: BatchUtteranceResult[] = [];
  let groups = 0;
  for (const engine of groupsOf(plan, stats)) {
    await engine.runAsync(plan.chunkFrames);
    results.push(...resultsOf(engine, plan.frameMs));
    groups++;
  }
  return { utterances: results, stats, groups };
}

function resultsOf(engine: DecodeEngine, frameMs: number): BatchUtteranceResult[] {
  return engine.emissions.map((em) => {
    const frames = em.frames.slice(0, em.count);
    return {
      tokens: em.tokens.slice(0, em.count),
      frames,
      probs: em.probs.slice(0, em.count),
      timestampsMs: Float64Array.from(frames, (f) => f * frameMs),
      eouFrames: em.eouFrames.slice(0, em.eouCount),
      steps: em.steps,
    };
  });
}
