/**
 * Lock-step decoding of many utterances with refill: `rows` utterances share each model call, and
 * a row whose utterance ends takes the next one at once, so rows stay busy however the lengths
 * differ (`decodeBatch` decodes fixed groups, whose short rows idle until the group's longest ends).
 *
 * Rows are staggered (`DecodeEngine.runStaggeredSync`): each sits at its own frame, and every
 * model call steps each busy row once, so a row that blanks does not wait for one that emits (in
 * frame-by-frame lock step about a third of the row-steps computed were such waits, measured on
 * the parakeet-shaped corpus at B = 8 to 32). A run lasts until some row's utterance ends. The
 * projected kind, which projects a row's frames when a run starts, goes frame by frame instead:
 * each run lasts until the first busy row's utterance ends, each row reading its own utterance
 * from its own position. Results equal decoding each utterance alone with `decodeUtterance`
 * (whole utterances, no chunking). Utterances come as an array or as an {@link UtteranceSource}, which
 * hands each over when a row takes it, so a caller reading frames from files holds only the rows'.
 */
import { checkFrames, checkModelAndConfig, resolveFrameMs } from './checkArguments';
import type { DecodeConfigInput } from './decodeConfig';
import type { BatchUtterance, BatchUtteranceResult } from './decodeBatch';
import { DecodeEngine } from './decodeEngine';
import { createDecodeState, resetState } from './decodeState';
import { emptyStats, type DecodeStats } from './decodeStats';
import { describe } from './describeValue';
import type { AnyStepModel } from './stepModels';

/** Options of {@link decodeRefill}. */
export interface DecodeRefillOptions {
  /** Rows decoded in lock step (default and at most `model.maxBatch`). */
  rows?: number;
  /** Milliseconds per frame for timestamps (default: the model's, else 80). */
  frameMs?: number;
  /** Called as each utterance finishes (in completion order), with its index in `utterances`. */
  onUtterance?: (index: number, result: RefillUtteranceResult) => void;
}

/**
 * Utterances handed over one at a time, as a row takes each: only the busy rows' frames need to be
 * held, so a caller can read them from files on demand instead of all before the first call.
 */
export interface UtteranceSource {
  /** How many utterances there are. */
  readonly count: number;
  /** The utterance at `index`: asked for once per index, in increasing order, when a row takes it. */
  take(index: number): BatchUtterance;
}

/** One utterance's result. */
export interface RefillUtteranceResult extends BatchUtteranceResult {
  /** Wall time of the runs it took part in, each run's time shared equally by its busy rows. */
  readonly decodeMs: number;
}

/** Result of {@link decodeRefill}. */
export interface RefillResult {
  /** Per-utterance results in input order. */
  readonly utterances: readonly RefillUtteranceResult[];
  /** Batched calls count once; `frames` and `steps` count rows. */
  readonly stats: DecodeStats;
  /** Rows that decoded in lock step. */
  readonly rows: number;
  /** Engine runs (one per refill point). */
  readonly runs: number;
}

/** A row's utterance in progress. */
interface Slot {
  index: number;
  /** Held while a row decodes it, dropped when it ends. */
  u: BatchUtterance;
  pos: number;
  ms: number;
  steps: number;
  tokens: number[];
  frames: number[];
  probs: number[];
  eouFrames: number[];
}

interface Plan {
  model: AnyStepModel;
  source: UtteranceSource;
  engine: DecodeEngine;
  stats: DecodeStats;
  stopChunk: boolean;
  frameMs: number;
  onUtterance: ((index: number, result: RefillUtteranceResult) => void) | undefined;
  /** Rows stagger (each at its own frame, see `DecodeEngine.runStaggeredSync`); else they go frame by frame. */
  staggered: boolean;
}

/** `utterances` as a source; an array is checked whole up front, a source's utterances as they are taken. */
function sourceOf(
  utterances: readonly BatchUtterance[] | UtteranceSource,
  encoderDim: number,
): UtteranceSource {
  const check = (u: BatchUtterance, i: number) =>
    checkFrames(u?.frames, u?.frameCount, encoderDim, `utterances[${i}].`, false);
  if (Array.isArray(utterances)) {
    utterances.forEach(check);
    return { count: utterances.length, take: (i) => utterances[i]! };
  }
  const source = utterances as UtteranceSource;
  if (
    typeof source !== 'object' ||
    source === null ||
    !Number.isSafeInteger(source.count) ||
    source.count < 0 ||
    typeof source.take !== 'function'
  )
    throw new TypeError(
      `utterances must be an array or a source ({ count, take(index) }), got ${describe(utterances)}`,
    );
  return {
    count: source.count,
    take: (i) => {
      const u = source.take(i);
      check(u, i);
      return u;
    },
  };
}

/**
 * Decodes `utterances` in lock step on `rows` rows, refilling a row as its utterance ends. Returns
 * directly for a synchronous model, a promise otherwise.
 * @param utterances an array, or a source that hands each utterance over when a row takes it
 * @throws TypeError/RangeError for bad arguments (naming `utterances[i]` or `options.rows`; a
 *   source's utterance when it is taken), RnntDecodeError for a model breaking its contract
 */
export function decodeRefill(
  model: AnyStepModel,
  utterances: readonly BatchUtterance[] | UtteranceSource,
  config: DecodeConfigInput,
  options: DecodeRefillOptions = {},
): RefillResult | Promise<RefillResult> {
  const resolved = checkModelAndConfig(model, config);
  const source = sourceOf(utterances, model.encoderDim);
  const asked = options.rows ?? model.maxBatch;
  if (!Number.isSafeInteger(asked) || asked < 1)
    throw new RangeError(`options.rows must be a positive integer, got ${describe(options.rows)}`);
  const rows = Math.max(1, Math.min(asked, model.maxBatch, source.count));
  const stats = emptyStats();
  const state = createDecodeState(model, resolved, rows);
  const plan: Plan = {
    model,
    source,
    engine: new DecodeEngine(model, resolved, state, { rowLabels: rows > 1, stats }),
    stats,
    stopChunk: resolved.eouPolicy === 'stop-chunk',
    frameMs: resolveFrameMs(options.frameMs, model),
    onUtterance: options.onUtterance,
    // The projected kind projects each row's frames at the start of a run, so it goes frame by frame.
    staggered: rows > 1 && model.kind !== 'projected',
  };
  if (model.isSync) return runSync(plan, rows);
  return runAsync(plan, rows);
}

const none = new Float32Array(0);

/** The loop around the engine, shared by the sync and async paths. */
class Refill {
  readonly slots: (Slot | null)[];
  readonly results: RefillUtteranceResult[] = [];
  runs = 0;
  private next = 0;
  private busy = 0;
  private run = 0;
  private started = 0;

  constructor(
    private readonly plan: Plan,
    rows: number,
  ) {
    this.slots = Array.from({ length: rows }, () => null);
    for (let r = 0; r < rows; r++) this.assign(r);
  }

  /** Sets every row up for the next run, which lasts until the first busy row's utterance ends; false when all are done. */
  prepare(): boolean {
    const { engine, model } = this.plan;
    if (this.plan.staggered) {
      this.busy = this.slots.reduce((n, slot) => (slot === null ? n : n + 1), 0);
      this.started = performance.now();
      return this.busy > 0;
    }
    let run = Infinity;
    for (const slot of this.slots) if (slot !== null) run = Math.min(run, slot.u.frameCount - slot.pos);
    if (run === Infinity) return false;
    const E = model.encoderDim;
    this.run = run;
    this.busy = 0;
    this.slots.forEach((slot, r) => {
      if (slot === null) return engine.setRow(r, none, 0, 0);
      engine.setRow(r, slot.u.frames.subarray(slot.pos * E), 0, run);
      this.busy++;
    });
    this.started = performance.now();
    return true;
  }

  /** Moves the run's emissions out of the engine and refills the rows whose utterance ended. */
  finishRun(): void {
    const { engine } = this.plan;
    const share = (performance.now() - this.started) / this.busy;
    this.runs++;
    for (let r = 0; r < this.slots.length; r++) {
      const slot = this.slots[r];
      if (slot === null || slot === undefined) continue;
      const em = engine.emissions[r]!;
      for (let i = 0; i < em.count; i++) {
        slot.tokens.push(em.tokens[i]!);
        slot.frames.push(slot.pos + em.frames[i]!);
        slot.probs.push(em.probs[i]!);
      }
      for (let i = 0; i < em.eouCount; i++) slot.eouFrames.push(slot.pos + em.eouFrames[i]!);
      // A `stop-chunk` EOU stops a whole-utterance decode for good.
      const stopped = this.plan.stopChunk && em.eouCount > 0;
      slot.steps += em.steps;
      slot.ms += share;
      em.clear();
      // Staggered rows keep their position in the engine (their frames count from 0, so pos stays 0).
      if (this.plan.staggered) {
        if (engine.rowEnded(r)) this.finish(r);
        continue;
      }
      slot.pos += this.run;
      if (stopped || slot.pos >= slot.u.frameCount) this.finish(r);
    }
  }

  private finish(r: number): void {
    const slot = this.slots[r]!;
    const frames = Int32Array.from(slot.frames);
    const result: RefillUtteranceResult = {
      tokens: Int32Array.from(slot.tokens),
      frames,
      probs: Float32Array.from(slot.probs),
      timestampsMs: Float64Array.from(frames, (f) => f * this.plan.frameMs),
      eouFrames: Int32Array.from(slot.eouFrames),
      steps: slot.steps,
      decodeMs: slot.ms,
    };
    this.results[slot.index] = result;
    this.plan.onUtterance?.(slot.index, result);
    this.slots[r] = null;
    resetState(this.plan.engine.state, r);
    this.assign(r);
  }

  /** Gives row r the next utterance; an empty one finishes at once (and the row takes the next). */
  private assign(r: number): void {
    const { source, engine, staggered } = this.plan;
    if (this.next >= source.count) {
      if (staggered) engine.setRow(r, none, 0, 0);
      return;
    }
    const index = this.next++;
    const u = source.take(index);
    this.slots[r] = { index, u, pos: 0, ms: 0, steps: 0, tokens: [], frames: [], probs: [], eouFrames: [] };
    if (staggered) engine.setRow(r, u.frames, 0, u.frameCount);
    if (u.frameCount === 0) this.finish(r);
  }

  result(): RefillResult {
    return { utterances: this.results, stats: this.plan.stats, rows: this.slots.length, runs: this.runs };
  }
}

function runSync(plan: Plan, rows: number): RefillResult {
  const loop = new Refill(plan, rows);
  while (loop.prepare()) {
    if (plan.staggered) plan.engine.runStaggeredSync();
    else plan.engine.runSync(0);
    loop.finishRun();
  }
  return loop.result();
}

async function runAsync(plan: Plan, rows: number): Promise<RefillResult> {
  const loop = new Refill(plan, rows);
  while (loop.prepare()) {
    if (plan.staggered) await plan.engine.runStaggeredAsync();
    else await plan.engine.runAsync(0);
    loop.finishRun();
  }
  return loop.result();
}
