/**
 * A streaming session over one utterance: feed encoder chunks as they arrive, the decoder state
 * carries across chunks, `reset()` starts a new utterance. Chunk results give token ids, their
 * chunk-local and global frame indices, timestamps by the seed's formula and EOU events.
 */
import { ChunkLoop } from './chunkLoop';
import { createDecodeConfig, type DecodeConfig, type DecodeConfigInput } from './decodeConfig';
import { createDecodeState, resetState, type DecodeState } from './decodeState';
import { addStats, emptyStats, type DecodeStats } from './decodeStats';
import { describe } from './describeValue';
import { RnntDecodeError } from './rnntDecodeError';
import type { StepModel } from './stepModels';
import { defaultFrameMs } from './timestamps';
import type { TraceStep } from './traceStep';

/** Options of {@link createStreamingDecoder}. */
export interface StreamingDecoderOptions {
  /**
   * Milliseconds per global frame index, for timestamps. Default: the model's `frameMs`, else 80
   * (one Parakeet encoder frame). For the production 160 ms schedule use
   * `frameMsFor(1280, 2)` = 40 (see README "A note on timestamps").
   */
  frameMs?: number;
  /** A caller-owned state to decode into (rows 1); default a fresh one. */
  state?: DecodeState;
}

/** Options of one {@link StreamingDecoder.decodeChunk} call. */
export interface DecodeChunkOptions {
  /** Decode only the first `validOutLen` frames (production: 2 at 160 ms); also the chunk's stride in global frames. */
  validOutLen?: number;
  /** Skip this many leading frames of the chunk (they still count in frame indices). */
  skipFrames?: number;
  /** Record every step (blanks included) in `trace`. */
  trace?: boolean;
  /** With `trace`: copy each step's candidate h and c too (for parity tools). */
  traceStates?: boolean;
}

/** What one chunk produced. Arrays are fresh copies the caller may keep. */
export interface ChunkResult {
  /** 0-based index of this chunk since the last reset. */
  readonly chunkIndex: number;
  /** Global frame index of the chunk's frame 0. */
  readonly frameOffset: number;
  /** Emitted token ids (under `reset`, EOU ids too; never blanks). */
  readonly tokens: Int32Array;
  /** Chunk-local frame index of each token. */
  readonly frames: Int32Array;
  /** Global frame index of each token (`frameOffset + frames[i]`). */
  readonly globalFrames: Int32Array;
  /** Softmax probability of each token. */
  readonly probs: Float32Array;
  /** Timestamp of each token in ms: `globalFrames[i] * frameMs`. */
  readonly timestampsMs: Float64Array;
  /** Chunk-local frame index of each EOU the joint emitted (under either policy). */
  readonly eouFrames: Int32Array;
  /** Global frame index of each EOU. */
  readonly eouGlobalFrames: Int32Array;
  /** True when an EOU fired in this chunk. */
  readonly eouDetected: boolean;
  readonly stats: DecodeStats;
  /** Every step, when requested. */
  readonly trace: readonly TraceStep[] | undefined;
}

/** A streaming decode session; see {@link createStreamingDecoder}. */
export interface StreamingDecoder {
  readonly model: StepModel;
  readonly config: DecodeConfig;
  /** The decoder state (last token, h, c, cached prediction); carried across chunks. */
  readonly state: DecodeState;
  readonly frameMs: number;
  /** Chunks decoded since the last reset. */
  readonly chunkIndex: number;
  /** Global frame index the next chunk starts at. */
  readonly frameOffset: number;
  /** Stats summed since the last reset. */
  readonly totals: DecodeStats;
  /**
   * Decodes one chunk. Returns the result directly when the model is synchronous, a promise
   * otherwise (`await` works for both).
   * @param frames [frameCount*E] encoder frames, row-major (frame t at `t*E`)
   * @throws RangeError when `frames.length !== frameCount*E` or an option is out of range
   * @throws RnntDecodeError `E_TOKEN_RANGE` when the model returns a token outside the vocabulary
   */
  decodeChunk(
    frames: Float32Array,
    frameCount: number,
    options?: DecodeChunkOptions,
  ): ChunkResult | Promise<ChunkResult>;
  /** {@link decodeChunk} for a synchronous model; throws a TypeError for an asynchronous one. */
  decodeChunkSync(frames: Float32Array, frameCount: number, options?: DecodeChunkOptions): ChunkResult;
  /** Starts a new utterance: zero state, last token = blank, chunk and frame counters at 0. */
  reset(): void;
}

/**
 * Creates a streaming decoder for one utterance at a time.
 * @param model a split, fused or projected step model
 * @param config token ids and policies (validated against the model's vocabulary)
 * @throws TypeError/RangeError naming the field for a bad model, config or option
 */
export function createStreamingDecoder(
  model: StepModel,
  config: DecodeConfigInput,
  options: StreamingDecoderOptions = {},
): StreamingDecoder {
  checkModel(model);
  const resolved = createDecodeConfig(config, model.vocabSize);
  const frameMs = options.frameMs ?? model.frameMs ?? defaultFrameMs;
  if (typeof frameMs !== 'number' || !(frameMs >= 0) || !Number.isFinite(frameMs)) {
    throw new RangeError(`options.frameMs must be a non-negative number, got ${describe(frameMs)}`);
  }
  const state = options.state ?? createDecodeState(model, resolved.blankId, 1);
  return new StreamingDecoderImpl(model, resolved, state, frameMs);
}

class StreamingDecoderImpl implements StreamingDecoder {
  chunkIndex = 0;
  frameOffset = 0;
  totals: DecodeStats = emptyStats();
  private readonly loop: ChunkLoop;
  private busy = false;

  constructor(
    readonly model: StepModel,
    readonly config: DecodeConfig,
    readonly state: DecodeState,
    readonly frameMs: number,
  ) {
    this.loop = new ChunkLoop(model, config, state);
  }

  decodeChunk(
    frames: Float32Array,
    frameCount: number,
    options: DecodeChunkOptions = {},
  ): ChunkResult | Promise<ChunkResult> {
    if (this.model.isSync) return this.decodeChunkSync(frames, frameCount, options);
    const [startT, maxT] = this.prepare(frames, frameCount, options);
    this.busy = true;
    return this.loop.runAsync(frames, startT, maxT).then(
      () => {
        this.busy = false;
        return this.finish(frameCount, options);
      },
      (error: unknown) => {
        this.busy = false;
        throw error;
      },
    );
  }

  decodeChunkSync(frames: Float32Array, frameCount: number, options: DecodeChunkOptions = {}): ChunkResult {
    if (!this.model.isSync) {
      throw new TypeError(
        'decodeChunkSync needs a synchronous model (model.isSync is false); use decodeChunk',
      );
    }
    const [startT, maxT] = this.prepare(frames, frameCount, options);
    this.loop.runSync(frames, startT, maxT);
    return this.finish(frameCount, options);
  }

  reset(): void {
    this.checkIdle();
    resetState(this.state);
    this.chunkIndex = 0;
    this.frameOffset = 0;
    this.totals = emptyStats();
  }

  private checkIdle(): void {
    if (this.busy) {
      throw new RnntDecodeError(
        'E_BUSY',
        'the previous decodeChunk has not finished; await it before calling again',
      );
    }
  }

  private prepare(frames: Float32Array, frameCount: number, options: DecodeChunkOptions): [number, number] {
    this.checkIdle();
    if (!(frames instanceof Float32Array))
      throw new TypeError(`frames must be a Float32Array, got ${describe(frames)}`);
    if (!Number.isInteger(frameCount) || frameCount < 0) {
      throw new RangeError(`frameCount must be a non-negative integer, got ${describe(frameCount)}`);
    }
    const width = this.model.encoderDim;
    if (frames.length !== frameCount * width) {
      throw new RangeError(
        `frames.length must be frameCount*encoderDim = ${frameCount}*${width} = ${frameCount * width}, got ${frames.length}`,
      );
    }
    const validOutLen = options.validOutLen ?? frameCount;
    if (!Number.isInteger(validOutLen) || validOutLen < 0) {
      throw new RangeError(
        `options.validOutLen must be a non-negative integer, got ${describe(options.validOutLen)}`,
      );
    }
    const skipFrames = options.skipFrames ?? 0;
    if (!Number.isInteger(skipFrames) || skipFrames < 0) {
      throw new RangeError(
        `options.skipFrames must be a non-negative integer, got ${describe(options.skipFrames)}`,
      );
    }
    const maxT = Math.min(validOutLen, frameCount);
    const startT = Math.min(skipFrames, maxT);
    this.loop.begin(maxT - startT, this.frameOffset, options.trace === true, options.traceStates === true);
    return [startT, maxT];
  }

  private finish(frameCount: number, options: DecodeChunkOptions): ChunkResult {
    const loop = this.loop;
    const offset = this.frameOffset;
    const n = loop.tokenCount;
    const frames = loop.tokenFrames.slice(0, n);
    const globalFrames = new Int32Array(n);
    const timestampsMs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      globalFrames[i] = offset + frames[i]!;
      timestampsMs[i] = globalFrames[i]! * this.frameMs;
    }
    const eouFrames = loop.eouFrames.slice(0, loop.eouCount);
    const eouGlobalFrames = eouFrames.map((t) => offset + t);
    const result: ChunkResult = {
      chunkIndex: this.chunkIndex,
      frameOffset: offset,
      tokens: loop.tokens.slice(0, n),
      frames,
      globalFrames,
      probs: loop.tokenProbs.slice(0, n),
      timestampsMs,
      eouFrames,
      eouGlobalFrames,
      eouDetected: loop.eouCount > 0,
      stats: loop.stats,
      trace: loop.trace ?? undefined,
    };
    addStats(this.totals, loop.stats);
    this.chunkIndex++;
    // The seed's formula is (chunkIdx*validOut + t): a chunk's stride is validOutLen when given.
    this.frameOffset += options.validOutLen ?? frameCount;
    return result;
  }
}

/** Checks the shape of a step model (a caller mistake when wrong). */
export function checkModel(model: StepModel): void {
  if (typeof model !== 'object' || model === null)
    throw new TypeError(`model must be a step model object, got ${describe(model)}`);
  if (model.kind !== 'split' && model.kind !== 'fused' && model.kind !== 'projected') {
    throw new TypeError(
      `model.kind must be 'split', 'fused' or 'projected', got ${describe((model as { kind: unknown }).kind)}`,
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
  if (typeof model.isSync !== 'boolean')
    throw new TypeError(`model.isSync must be a boolean, got ${describe(model.isSync)}`);
  const methods =
    model.kind === 'split'
      ? ['predict', 'joint']
      : model.kind === 'fused'
        ? ['step']
        : ['projectEncoder', 'predict', 'jointProjected'];
  for (const name of methods) {
    if (typeof (model as unknown as Record<string, unknown>)[name] !== 'function') {
      throw new TypeError(`model.${name} must be a function for a ${model.kind} model`);
    }
  }
}
