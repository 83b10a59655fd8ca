/**
 * A streaming session over one utterance: feed encoder chunks as they arrive, the decoder state
 * carries across chunks, `reset()` starts a new utterance. Chunk results give token ids, their
 * chunk-local and global frame indices, timestamps by the seed's formula and EOU events. Each
 * chunk is one run of a one-row {@link DecodeEngine}.
 */
import { checkCount, checkFrames, checkModelAndConfig, checkState, resolveFrameMs } from './checkArguments';
import type { DecodeConfig, DecodeConfigInput } from './decodeConfig';
import { DecodeEngine } from './decodeEngine';
import { createDecodeState, resetState, type DecodeState } from './decodeState';
import { addStats, clearStats, copyStats, emptyStats, type DecodeStats } from './decodeStats';
import { RnntDecodeError } from './rnntDecodeError';
import type { AnyStepModel } from './stepModels';
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
  readonly model: AnyStepModel;
  readonly config: DecodeConfig;
  /** The decoder state (context, h, c, cached prediction); carried across chunks. */
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
  /** Starts a new utterance: zero state, the start context (last token = blank), chunk and frame counters at 0. */
  reset(): void;
}

/**
 * Creates a streaming decoder for one utterance at a time.
 * @param model a split, fused, projected or stateless step model
 * @param config token ids and policies (validated against the model's vocabulary)
 * @throws TypeError/RangeError naming the field for a bad model, config or option
 */
export function createStreamingDecoder(
  model: AnyStepModel,
  config: DecodeConfigInput,
  options: StreamingDecoderOptions = {},
): StreamingDecoder {
  const resolved = checkModelAndConfig(model, config);
  const frameMs = resolveFrameMs(options.frameMs, model);
  const state = options.state ?? createDecodeState(model, resolved, 1);
  checkState(state, model, resolved);
  return new StreamingDecoderImpl(model, resolved, state, frameMs);
}

class StreamingDecoderImpl implements StreamingDecoder {
  chunkIndex = 0;
  frameOffset = 0;
  totals: DecodeStats = emptyStats();
  private readonly engine: DecodeEngine;
  private busy = false;

  constructor(
    readonly model: AnyStepModel,
    readonly config: DecodeConfig,
    readonly state: DecodeState,
    readonly frameMs: number,
  ) {
    this.engine = new DecodeEngine(model, config, state);
  }

  decodeChunk(
    frames: Float32Array,
    frameCount: number,
    options: DecodeChunkOptions = {},
  ): ChunkResult | Promise<ChunkResult> {
    if (this.model.isSync) return this.decodeChunkSync(frames, frameCount, options);
    this.prepare(frames, frameCount, options);
    this.busy = true;
    return this.engine.runAsync().then(
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
    this.prepare(frames, frameCount, options);
    this.engine.runSync();
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

  /** Checks the chunk and sets the engine's one row to frames [skipFrames, validOutLen). */
  private prepare(frames: Float32Array, frameCount: number, options: DecodeChunkOptions): void {
    this.checkIdle();
    checkFrames(frames, frameCount, this.model.encoderDim);
    const validOutLen = options.validOutLen ?? frameCount;
    checkCount('options.validOutLen', validOutLen);
    const skipFrames = options.skipFrames ?? 0;
    checkCount('options.skipFrames', skipFrames);
    const maxT = Math.min(validOutLen, frameCount);
    const startT = Math.min(skipFrames, maxT);
    const engine = this.engine;
    engine.setRow(0, frames, startT, maxT);
    engine.emissions[0]!.clear();
    clearStats(engine.stats);
    engine.trace = options.trace === true ? [] : null;
    engine.traceStates = options.traceStates === true;
    engine.frameBase = this.frameOffset;
  }

  private finish(frameCount: number, options: DecodeChunkOptions): ChunkResult {
    const engine = this.engine;
    const em = engine.emissions[0]!;
    const offset = this.frameOffset;
    const n = em.count;
    const frames = em.frames.slice(0, n);
    const globalFrames = new Int32Array(n);
    const timestampsMs = new Float64Array(n);
    const frameMs = this.frameMs;
    for (let i = 0; i < n; i++) {
      const frame = offset + frames[i]!;
      globalFrames[i] = frame;
      timestampsMs[i] = frame * frameMs;
    }
    const eouFrames = em.eouFrames.slice(0, em.eouCount);
    const eouGlobalFrames = new Int32Array(eouFrames.length);
    for (let i = 0; i < eouFrames.length; i++) eouGlobalFrames[i] = offset + eouFrames[i]!;
    const stats = copyStats(engine.stats);
    const result: ChunkResult = {
      chunkIndex: this.chunkIndex,
      frameOffset: offset,
      tokens: em.tokens.slice(0, n),
      frames,
      globalFrames,
      probs: em.probs.slice(0, n),
      timestampsMs,
      eouFrames,
      eouGlobalFrames,
      eouDetected: em.eouCount > 0,
      stats,
      trace: engine.trace ?? undefined,
    };
    addStats(this.totals, stats);
    this.chunkIndex++;
    // The seed's formula is (chunkIdx*validOut + t): a chunk's stride is validOutLen when given.
    this.frameOffset += options.validOutLen ?? frameCount;
    return result;
  }
}
