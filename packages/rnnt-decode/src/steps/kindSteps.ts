/**
 * What each model kind gives the engine (one file per kind in this folder), and the parts the
 * kinds share. The engine picks its kind's table once, when it is built, so a step never looks
 * up or branches on its kind.
 */
import type { DecodeEngine } from '../decodeEngine';

/**
 * The model-kind half of a loop step. Implementations are stateless classes (one per kind); their
 * methods take the engine, where all the data lives. Reached through the class's prototype, a
 * method call is one V8 can inline even when several kinds share a process.
 */
export interface KindSteps {
  /** Runs the model for the active rows on `enc` ([rows*width]); fills `e.out`. */
  stepSync(e: DecodeEngine, enc: Float32Array): void;
  stepAsync(e: DecodeEngine, enc: Float32Array): Promise<void>;
  /**
   * Commits row `row`'s emission of `token` beyond `lastToken` (which the rule sets): the
   * candidate h and c, or the context shift of a stateless net.
   */
  commit(e: DecodeEngine, row: number, token: number): void;
  /** The step's candidate h and c (for traces), or null when the model has none. */
  candidate(e: DecodeEngine): { readonly h: Float32Array; readonly c: Float32Array } | null;
  /** True when the joint reads a projection of the frames, made by `projectSync`/`projectAsync`. */
  readonly projects: boolean;
  /**
   * Projects row `row`'s frames [start, end) of `frames` ([T*E]) and returns the buffer the joint
   * reads instead (frame t at `t*width`).
   */
  projectSync(e: DecodeEngine, row: number, frames: Float32Array, start: number, end: number): Float32Array;
  projectAsync(
    e: DecodeEngine,
    row: number,
    frames: Float32Array,
    start: number,
    end: number,
  ): Promise<Float32Array>;
}

/** The base of the kinds without a projection: the joint reads the caller's frames. */
export abstract class NoProjection {
  readonly projects: boolean = false;

  projectSync(_e: DecodeEngine, _row: number, frames: Float32Array): Float32Array {
    return frames;
  }

  projectAsync(_e: DecodeEngine, _row: number, frames: Float32Array): Promise<Float32Array> {
    return Promise.resolve(frames);
  }
}

/**
 * Commits row `row`'s candidate h and c (in `from`) to the state: a swap of whole buffers for one
 * row (no copy, no allocation), a row copy for several.
 */
export function commitCandidate(
  e: DecodeEngine,
  from: { h: Float32Array; c: Float32Array },
  row: number,
): void {
  if (!e.single) {
    e.commitRow!.copy(row); // several rows: the buffers keep their identity, rows are copied
    return;
  }
  const state = e.state;
  const h = state.h;
  const c = state.c;
  state.h = from.h;
  state.c = from.c;
  from.h = h;
  from.c = c;
}

// The `cache` / `recompute` bookkeeping of several rows. One row's is written inline in each
// kind's step (`single ? ... : ...`); these are functions a one-row engine never calls, so V8
// inlines the whole one-row step into the loop without them.

/** Marks the active rows that need a fresh prediction (every one under `recompute`); true when any does. */
export function neededRows(engine: DecodeEngine): boolean {
  const { state, active, cache, need } = engine;
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
