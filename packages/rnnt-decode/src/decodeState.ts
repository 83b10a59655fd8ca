/**
 * The decoder state, owned by the caller (as in sherpa-onnx, where the stream owns it and the loop
 * keeps nothing): for each of `rows` utterances the last emitted token, the committed LSTM state
 * (h, c) and the cached prediction-net output. Everything is a typed array allocated once.
 */
import type { StepModel } from './stepModels';

/** Prediction-net buffers ([rows*width] decoder output, [rows*H] h and c); fields are swapped, never reallocated. */
export interface PredictionBuffers {
  decoder: Float32Array;
  h: Float32Array;
  c: Float32Array;
}

/** Mutable decode state for `rows` utterances. */
export interface DecodeState {
  readonly rows: number;
  readonly hiddenSize: number;
  readonly blankId: number;
  /** [rows] last emitted token per row; blank after a reset. Fed to the model as `targets`. */
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

/**
 * Allocates a zero state (h = c = 0, last token = blank) for `rows` utterances of `model`.
 * @param model the step model (its hidden size and, for projected models, joint size)
 * @param blankId the blank id from the decode config
 * @param rows number of utterances decoded together (default 1)
 */
export function createDecodeState(model: StepModel, blankId: number, rows = 1): DecodeState {
  if (!Number.isInteger(rows) || rows < 1)
    throw new RangeError(`rows must be a positive integer, got ${rows}`);
  const hidden = model.hiddenSize;
  const width = model.kind === 'projected' ? model.jointDim : hidden;
  const state: DecodeState = {
    rows,
    hiddenSize: hidden,
    blankId,
    lastToken: new Int32Array(rows),
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
 * Resets one row (or all rows) to the start state: zero h and c, last token = blank, no cached
 * prediction. Zeroes in place; the buffers keep their identity.
 */
export function resetState(state: DecodeState, row?: number): void {
  if (row === undefined) {
    state.h.fill(0);
    state.c.fill(0);
    state.lastToken.fill(state.blankId);
    state.predValid.fill(0);
    return;
  }
  const hidden = state.hiddenSize;
  state.h.fill(0, row * hidden, (row + 1) * hidden);
  state.c.fill(0, row * hidden, (row + 1) * hidden);
  state.lastToken[row] = state.blankId;
  state.predValid[row] = 0;
}
