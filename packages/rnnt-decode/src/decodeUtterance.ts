/**
 * Whole-utterance convenience over the streaming decoder: decode cached encoder frames [N,E] in
 * one go (one chunk), or in fixed-size chunks to reproduce a streaming schedule's EOU behaviour.
 */
import { checkChunkFrames, checkFrames } from './checkArguments';
import type { DecodeConfigInput } from './decodeConfig';
import { addStats, emptyStats, type DecodeStats } from './decodeStats';
import type { AnyStepModel } from './stepModels';
import { createStreamingDecoder, type ChunkResult, type StreamingDecoder } from './streamingDecoder';
import type { TraceStep } from './traceStep';

/** Options of {@link decodeUtterance}. */
export interface DecodeUtteranceOptions {
  /**
   * Split the frames into chunks of this many frames (state carried across them). Matters for the
   * `stop-chunk` EOU policy, which skips the rest of a chunk. Default: one chunk for all frames.
   */
  chunkFrames?: number;
  /** Milliseconds per frame for timestamps (default: the model's, else 80). */
  frameMs?: number;
  trace?: boolean;
  traceStates?: boolean;
}

/** Tokens and events of one utterance (global frame indices). */
export interface UtteranceTokens {
  /** Emitted token ids (under `reset`, EOU ids too). */
  readonly tokens: Int32Array;
  /** Frame index of each token. */
  readonly frames: Int32Array;
  /** Softmax probability of each token. */
  readonly probs: Float32Array;
  /** Frame index of each EOU the joint emitted. */
  readonly eouFrames: Int32Array;
}

/** Result of {@link decodeUtterance}. */
export interface UtteranceResult extends UtteranceTokens {
  /** Timestamp of each token in ms. */
  readonly timestampsMs: Float64Array;
  readonly stats: DecodeStats;
  readonly trace: readonly TraceStep[] | undefined;
}

/**
 * Decodes one utterance of cached encoder frames from the start state. Returns the result directly
 * for a synchronous model, a promise otherwise.
 * @param frames [frameCount*E] row-major encoder frames
 * @throws RangeError/TypeError for bad arguments, RnntDecodeError for a model breaking its contract
 */
export function decodeUtterance(
  model: AnyStepModel,
  frames: Float32Array,
  frameCount: number,
  config: DecodeConfigInput,
  options: DecodeUtteranceOptions = {},
): UtteranceResult | Promise<UtteranceResult> {
  if (model?.isSync === true) return decodeUtteranceSync(model, frames, frameCount, config, options);
  const { decoder, chunkFrames } = setup(model, frames, frameCount, config, options);
  const chunkOptions = { trace: options.trace === true, traceStates: options.traceStates === true };
  return (async () => {
    const results: ChunkResult[] = [];
    for (let start = 0; start < frameCount || start === 0; start += chunkFrames) {
      const count = Math.min(chunkFrames, frameCount - start);
      const r = decoder.decodeChunk(
        frames.subarray(start * model.encoderDim, (start + count) * model.encoderDim),
        count,
        chunkOptions,
      );
      results.push(await r);
      if (count === 0) break;
    }
    return concat(results);
  })();
}

/** {@link decodeUtterance} for a synchronous model; throws a TypeError for an asynchronous one. */
export function decodeUtteranceSync(
  model: AnyStepModel,
  frames: Float32Array,
  frameCount: number,
  config: DecodeConfigInput,
  options: DecodeUtteranceOptions = {},
): UtteranceResult {
  const { decoder, chunkFrames } = setup(model, frames, frameCount, config, options);
  const chunkOptions = { trace: options.trace === true, traceStates: options.traceStates === true };
  const results: ChunkResult[] = [];
  for (let start = 0; start < frameCount || start === 0; start += chunkFrames) {
    const count = Math.min(chunkFrames, frameCount - start);
    results.push(
      decoder.decodeChunkSync(
        frames.subarray(start * model.encoderDim, (start + count) * model.encoderDim),
        count,
        chunkOptions,
      ),
    );
    if (count === 0) break;
  }
  return concat(results);
}

function setup(
  model: AnyStepModel,
  frames: Float32Array,
  frameCount: number,
  config: DecodeConfigInput,
  options: DecodeUtteranceOptions,
): { decoder: StreamingDecoder; chunkFrames: number } {
  const decoder = createStreamingDecoder(
    model,
    config,
    options.frameMs === undefined ? {} : { frameMs: options.frameMs },
  );
  checkFrames(frames, frameCount, model.encoderDim);
  checkChunkFrames(options.chunkFrames);
  const chunkFrames = options.chunkFrames ?? Math.max(frameCount, 1);
  return { decoder, chunkFrames };
}

function concat(results: readonly ChunkResult[]): UtteranceResult {
  let tokens = 0;
  let eous = 0;
  for (const r of results) {
    tokens += r.tokens.length;
    eous += r.eouFrames.length;
  }
  const out = {
    tokens: new Int32Array(tokens),
    frames: new Int32Array(tokens),
    probs: new Float32Array(tokens),
    timestampsMs: new Float64Array(tokens),
    eouFrames: new Int32Array(eous),
  };
  const stats = emptyStats();
  const trace: TraceStep[] = [];
  let at = 0;
  let eouAt = 0;
  for (const r of results) {
    out.tokens.set(r.tokens, at);
    out.frames.set(r.globalFrames, at);
    out.probs.set(r.probs, at);
    out.timestampsMs.set(r.timestampsMs, at);
    at += r.tokens.length;
    out.eouFrames.set(r.eouGlobalFrames, eouAt);
    eouAt += r.eouFrames.length;
    addStats(stats, r.stats);
    if (r.trace !== undefined) for (const step of r.trace) trace.push(step);
  }
  return { ...out, stats, trace: results[0]?.trace === undefined ? undefined : trace };
}
