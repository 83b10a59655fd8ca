/**
 * What each model kind gives the engine (one file per kind in this folder), and the parts the
 * kinds share. The engine picks its kind's table once, when it is built, so a step never looks
 * up or branches on its kind.
 *
 * A kind's phases (`prediction`, `decision`) each make one model call and return what the model
 * returned: the async loop awaits them one by one (no async function stands between the loop and
 * the model), and the several-rows sync step calls them and checks that neither returned a
 * promise. A one-row sync step (`stepSync`, the single-utterance path) makes the same model calls
 * written out again. Both on purpose, measured in the package benchmark with several kinds in one
 * process: a one-row sync step calling the phase methods cost 15 % per step, an async step
 * function 6 %.
 */
import type { DecodeEngine } from '../decodeEngine';
import { notSync } from '../rnntDecodeError';

/**
 * The model-kind half of a loop step. Implementations are stateless classes (one per kind); their
 * methods take the engine, where all the data lives. Reached through the class's prototype, a
 * method call is one V8 can inline even when several kinds share a process.
 */
export interface KindSteps {
  /** One whole step of a one-row engine with a synchronous model, checked with `notSync`. */
  stepSync(e: DecodeEngine, enc: Float32Array): void;
  /** The same for several rows (the prediction net for the rows that need it). */
  stepRowsSync(e: DecodeEngine, enc: Float32Array): void;
  /** True when this step must run the prediction net for some active row. */
  needsPrediction(e: DecodeEngine): boolean;
  /** Runs the prediction net for the rows into `e.target`; returns the model's result. */
  prediction(e: DecodeEngine): void | Promise<void>;
  /** After the prediction net ran: counts it and takes the fresh rows into the cached prediction. */
  afterPrediction(e: DecodeEngine): void;
  /** Runs the joint (or fused step) on `enc` ([rows*width]) into `e.out`; returns the model's result. */
  decision(e: DecodeEngine, enc: Float32Array): void | Promise<void>;
  /** After the decision ran: counts the call. */
  afterDecision(e: DecodeEngine): void;
  /** True when the joint reads a projection of the frames (`e.projections[row]`, frame t at `t*width`). */
  readonly projects: boolean;
  /**
   * Projects row `row`'s frames [start, end) of `frames` ([T*E]) into `e.projections[row]` (grown
   * to hold frames [0, end)); returns the model's result.
   */
  projection(
    e: DecodeEngine,
    row: number,
    frames: Float32Array,
    start: number,
    end: number,
  ): void | Promise<void>;
}

/**
 * The base of the kinds with a separate prediction net and no projection (split, stateless; the
 * projected kind overrides the projection): the `cache` / `recompute` bookkeeping.
 */
export abstract class PredictingSteps {
  readonly projects: boolean = false;

  needsPrediction(e: DecodeEngine): boolean {
    return e.single ? !e.cache || e.state.predValid[0] === 0 : neededRows(e);
  }

  afterPrediction(e: DecodeEngine): void {
    e.stats.predictCalls++;
    if (e.single) e.state.predValid[0] = 1;
    else tookRows(e);
  }

  afterDecision(e: DecodeEngine): void {
    e.stats.jointCalls++;
  }

  abstract prediction(e: DecodeEngine): void | Promise<void>;
  abstract decision(e: DecodeEngine, enc: Float32Array): void | Promise<void>;

  stepRowsSync(e: DecodeEngine, enc: Float32Array): void {
    if (neededRows(e)) {
      const predicted = this.prediction(e);
      if (predicted !== undefined) notSync('predict', predicted);
      this.afterPrediction(e);
    }
    const decided = this.decision(e, enc);
    if (decided !== undefined) notSync('joint', decided);
    this.afterDecision(e);
  }

  projection(
    _e: DecodeEngine,
    _row: number,
    _frames: Float32Array,
    _start: number,
    _end: number,
  ): void | Promise<void> {}
}

// The `cache` / `recompute` bookkeeping of several rows: functions a one-row engine never calls,
// so V8 inlines the whole one-row step into the loop without them.

/** Marks the active rows that need a fresh prediction (every one under `recompute`); true when any does. */
export function neededRows(e: DecodeEngine): boolean {
  const { state, active, cache, need } = e;
  let any = false;
  for (let r = 0; r < state.rows; r++) {
    const needs = active[r] === 1 && (!cache || state.predValid[r] === 0);
    need[r] = needs ? 1 : 0;
    any ||= needs;
  }
  return any;
}

/** After the prediction net ran for several rows: takes the marked rows into the state's cached prediction. */
export function tookRows(e: DecodeEngine): void {
  const { state, need } = e;
  for (let r = 0; r < state.rows; r++) {
    if (need[r] === 0) continue;
    e.takePrediction!.copy(r);
    state.predValid[r] = 1;
  }
}
