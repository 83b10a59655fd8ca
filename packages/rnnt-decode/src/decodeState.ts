/**
 * The decoder state, owned by the caller (as in sherpa-onnx, where the stream owns it and the loop
 * keeps nothing): for each of `rows` utterances the prediction net's context (the last K emitted
 * tokens; K = 1 for an LSTM net, whose context is its last token), the committed LSTM state (h, c;
 * none for a stateless net) and the cached prediction-net output. Everything is a typed array
 * allocated once; commits shift or swap, resets refill.
 */
import type { DecodeConfig } from './decodeConfig';
import type { AnyStepModel } from './stepModels';

/** Prediction-net buffers ([rows*width] decoder output, [rows*H] h and c); fields are swapped, never reallocated. */
export interface PredictionBuffers {
  decoder: Float32Array;
  h: Float32Array;
  c: Float32Array;
}

/** Mutable decode state for `rows` utterances. */
export interface DecodeState {
  readonly rows: number;
  /** Width H of h and c per row; 0 for a stateless prediction net (no recurrent state). */
  readonly hiddenSize: number;
  readonly blankId: number;
  /** Tokens of context K per row: 1 for an LSTM net, the model's `contextSize` for a stateless one. */
  readonly contextSize: number;
  /** [K] the context a start or reset restores (oldest first; -1 pads). */
  readonly startContext: Int32Array;
  /**
   * [rows*K] each row's last K tokens, oldest first (row r at `r*K`): what a stateless net is fed.
   * With K = 1 this is the same array as {@link lastToken}.
   */
  readonly context: Int32Array;
  /** [rows] last emitted token per row (the newest context token); fed to an LSTM net as `targets`. */
  readonly lastToken: Int32Array;
  /** [rows*H] committed hidden state (changes only on a non-blank emission). */
  h: Float32Array;
  /** [rows*H] committed cell state. */
  c: Float32Array;
  /**
   * Candidate buffers: the prediction net's (or fused step's) output for the committed state.
   * Under the `cache` policy `pred.decoder` stays valid until the next emission or reset.
   */
  readonly pred: PredictionBuffers;
  /** [rows] 1 when `pred` holds the prediction for the committed state of that row. */
  readonly predValid: Uint8Array;
}

/** Tokens of prediction-net context a model reads: its `contextSize` if stateless, else 1. */
export function contextSizeOf(model: AnyStepModel): number {
  return model.kind === 'stateless' ? model.contextSize : 1;
}

/** Width of h and c per row: H for an LSTM net, 0 for a stateless one. */
export function stateWidthOf(model: AnyStepModel): number {
  return model.kind === 'stateless' ? 0 : model.hiddenSize;
}

/** Width of one prediction output row: J for projected models, else H (or D). */
export function predictionWidthOf(model: AnyStepModel): number {
  return model.kind === 'projected' ? model.jointDim : model.hiddenSize;
}

/**
 * The start context of `model`: `given` when set (checked against the model's context size),
 * else `[blankId]` for an LSTM net and `[-1, ..., -1, blankId]` for a stateless one, as
 * sherpa-onnx's `GetEmptyResult` and icefall's greedy search start.
 * @throws RangeError when `given` has the wrong length
 */
export function startContextFor(model: AnyStepModel, blankId: number, given?: readonly number[]): Int32Array {
  const K = contextSizeOf(model);
  if (given !== undefined) {
    if (given.length !== K) {
      throw new RangeError(
        `config.startContext must hold the model's contextSize ${K} ids, got ${given.length} ([${given.join(', ')}])`,
      );
    }
    return Int32Array.from(given);
  }
  const start = new Int32Array(K).fill(-1);
  start[K - 1] = blankId;
  return start;
}

/**
 * Allocates a start state (h = c = 0, context = the start context) for `rows` utterances of
 * `model`.
 * @param model the step model (its hidden size, context size and, for projected models, joint size)
 * @param config the decode config (its blank id and `startContext`), or just the blank id
 * @param rows number of utterances decoded together (default 1)
 * @throws RangeError for a bad `rows` or a start context of the wrong length
 */
export function createDecodeState(
  model: AnyStepModel,
  config: number | Pick<DecodeConfig, 'blankId' | 'startContext'>,
  rows = 1,
): DecodeState {
  if (!Number.isInteger(rows) || rows < 1)
    throw new RangeError(`rows must be a positive integer, got ${rows}`);
  const blankId = typeof config === 'number' ? config : config.blankId;
  const startContext = startContextFor(
    model,
    blankId,
    typeof config === 'number' ? undefined : config.startContext,
  );
  const K = startContext.length;
  const hidden = stateWidthOf(model);
  const width = predictionWidthOf(model);
  const lastToken = new Int32Array(rows);
  const state: DecodeState = {
    rows,
    hiddenSize: hidden,
    blankId,
    contextSize: K,
    startContext,
    context: K === 1 ? lastToken : new Int32Array(rows * K),
    lastToken,
    h: new Float32Array(rows * hidden),
    c: new Float32Array(rows * hidden),
    pred: {
      decoder: new Float32Array(rows * width),
      h: new Float32Array(rows * hidden),
      c: new Float32Array(rows * hidden),
    },
    predValid: new Uint8Array(rows),
  };
  resetState(state);
  return state;
}

/**
 * Resets one row (or all rows) to the start state: zero h and c, the start context (last token =
 * its newest id, blank by default), no cached prediction. Refills in place; the buffers keep their
 * identity.
 */
export function resetState(state: DecodeState, row?: number): void {
  const K = state.contextSize;
  const start = state.startContext;
  if (row === undefined) {
    state.h.fill(0);
    state.c.fill(0);
    // With K = 1 the context is `lastToken` itself.
    if (K > 1) for (let r = 0; r < state.rows; r++) state.context.set(start, r * K);
    state.lastToken.fill(start[K - 1]!);
    state.predValid.fill(0);
    return;
  }
  const hidden = state.hiddenSize;
  state.h.fill(0, row * hidden, (row + 1) * hidden);
  state.c.fill(0, row * hidden, (row + 1) * hidden);
  if (K > 1) state.context.set(start, row * K);
  state.lastToken[row] = start[K - 1]!;
  state.predValid[row] = 0;
}

/**
 * Shifts an emitted token into row `row`'s context (K > 1) as its newest token. The engine also
 * sets `lastToken` and marks the cached prediction stale; h and c are the step strategy's.
 */
export function shiftContext(state: DecodeState, row: number, token: number): void {
  const K = state.contextSize;
  const ctx = state.context;
  const at = row * K;
  ctx.copyWithin(at, at + 1, at + K);
  ctx[at + K - 1] = token;
}
