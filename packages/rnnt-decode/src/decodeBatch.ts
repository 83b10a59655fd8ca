/**
 * Batched decoding: B utterances in lock-step through a batch-capable model, one model call per
 * step for all rows. Per-row masks track which rows take part in the current step (a row leaves
 * the frame on blank, on EOU, at the end of its utterance, or for the rest of a chunk after a
 * `stop-chunk` EOU); model outputs of inactive rows are ignored, so each utterance decodes exactly
 * as it would alone. Utterances beyond `model.maxBatch` are decoded in further groups.
 */
import { createDecodeConfig, type DecodeConfig, type DecodeConfigInput } from './decodeConfig';
import { createDecodeState, resetState, type DecodeState } from './decodeState';
import { emptyStats, type DecodeStats } from './decodeStats';
import type { UtteranceTokens } from './decodeUtterance';
import { describe } from './describeValue';
import { notSync, RnntDecodeError } from './rnntDecodeError';
import type { FusedStepModel, ProjectedStepModel, SplitStepModel, StepModel } from './stepModels';
import { checkModel } from './streamingDecoder';
import { defaultFrameMs } from './timestamps';

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

const BLANK = 0;
const EMIT = 1;
const DONE = 2;

/**
 * Decodes several utterances in lock-step batches. Returns directly for a synchronous model, a
 * promise otherwise. Results equal decoding each utterance alone with `decodeUtterance`.
 * @throws TypeError/RangeError for bad arguments (naming `utterances[i]`), RnntDecodeError for a
 *   model breaking its contract
 */
export function decodeBatch(
  model: StepModel,
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
  model: StepModel,
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
  model: StepModel;
  config: DecodeConfig;
  utterances: readonly BatchUtterance[];
  chunkFrames: number;
  frameMs: number;
}

function prepare(
  model: StepModel,
  utterances: readonly BatchUtterance[],
  config: DecodeConfigInput,
  options: DecodeBatchOptions,
): Plan {
  checkModel(model);
  const resolved = createDecodeConfig(config, model.vocabSize);
  if (!Array.isArray(utterances))
    throw new TypeError(`utterances must be an array, got ${describe(utterances)}`);
  utterances.forEach((u, i) => {
    if (!(u?.frames instanceof Float32Array)) {
      throw new TypeError(`utterances[${i}].frames must be a Float32Array, got ${describe(u?.frames)}`);
    }
    if (!Number.isInteger(u.frameCount) || u.frameCount < 0) {
      throw new RangeError(
        `utterances[${i}].frameCount must be a non-negative integer, got ${describe(u.frameCount)}`,
      );
    }
    if (u.frames.length !== u.frameCount * model.encoderDim) {
      throw new RangeError(
        `utterances[${i}].frames.length must be frameCount*encoderDim = ${u.frameCount * model.encoderDim}, got ${u.frames.length}`,
      );
    }
  });
  const chunkFrames = options.chunkFrames ?? 0;
  if (options.chunkFrames !== undefined && (!Number.isInteger(chunkFrames) || chunkFrames < 1)) {
    throw new RangeError(
      `options.chunkFrames must be a positive integer, got ${describe(options.chunkFrames)}`,
    );
  }
  const frameMs = options.frameMs ?? model.frameMs ?? defaultFrameMs;
  if (typeof frameMs !== 'number' || !(frameMs >= 0) || !Number.isFinite(frameMs)) {
    throw new RangeError(`options.frameMs must be a non-negative number, got ${describe(frameMs)}`);
  }
  return { model, config: resolved, utterances, chunkFrames, frameMs };
}

function groupsOf(plan: Plan): BatchUtterance[][] {
  const size = plan.model.maxBatch;
  const groups: BatchUtterance[][] = [];
  for (let i = 0; i < plan.utterances.length; i += size) groups.push(plan.utterances.slice(i, i + size));
  return groups;
}

function runSync(plan: Plan): BatchResult {
  const stats = emptyStats();
  const results: BatchUtteranceResult[] = [];
  const groups = groupsOf(plan);
  for (const group of groups) {
    const loop = new BatchLoop(plan, group, stats);
    loop.runSync();
    results.push(...loop.results());
  }
  return { utterances: results, stats, groups: groups.length };
}

async function runAsync(plan: Plan): Promise<BatchResult> {
  const stats = emptyStats();
  const results: BatchUtteranceResult[] = [];
  const groups = groupsOf(plan);
  for (const group of groups) {
    const loop = new BatchLoop(plan, group, stats);
    await loop.runAsync();
    results.push(...loop.results());
  }
  return { utterances: results, stats, groups: groups.length };
}

/** Growable per-row emission lists (grow by doubling: amortised, not per step). */
class RowEmissions {
  tokens = new Int32Array(16);
  frames = new Int32Array(16);
  probs = new Float32Array(16);
  count = 0;
  eouFrames = new Int32Array(4);
  eouCount = 0;
  steps = 0;

  push(token: number, frame: number, prob: number): void {
    if (this.count === this.tokens.length) {
      this.tokens = grow(this.tokens, new Int32Array(this.count * 2));
      this.frames = grow(this.frames, new Int32Array(this.count * 2));
      this.probs = grow(this.probs, new Float32Array(this.count * 2));
    }
    this.tokens[this.count] = token;
    this.frames[this.count] = frame;
    this.probs[this.count] = prob;
    this.count++;
  }

  pushEou(frame: number): void {
    if (this.eouCount === this.eouFrames.length)
      this.eouFrames = grow(this.eouFrames, new Int32Array(this.eouCount * 2));
    this.eouFrames[this.eouCount++] = frame;
  }
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Lock-step loop over one group of at most maxBatch rows. */
class BatchLoop {
  private readonly rows: number;
  private readonly split: SplitStepModel | null;
  private readonly fused: FusedStepModel | null;
  private readonly projected: ProjectedStepModel | null;
  private readonly config: DecodeConfig;
  private readonly stopChunk: boolean;
  private readonly cache: boolean;
  private readonly hidden: number;
  /** Width of one joint input row: E, or J for projected models. */
  private readonly width: number;
  /** Width of one prediction output row: H, or J for projected models. */
  private readonly predWidth: number;
  private readonly state: DecodeState;
  private readonly scratch: { decoder: Float32Array; h: Float32Array; c: Float32Array };
  private readonly fusedOut: { tokens: Int32Array; probs: Float32Array; h: Float32Array; c: Float32Array };
  private readonly jointOut: { tokens: Int32Array; probs: Float32Array };
  private readonly enc: Float32Array;
  /** Per-row projected frames [frameCount*J] (projected models). */
  private readonly projectedFrames: Float32Array[] = [];
  private readonly active: Uint8Array;
  private readonly stopped: Uint8Array;
  private readonly need: Uint8Array;
  private readonly emissions: RowEmissions[];
  private readonly maxFrames: number;

  constructor(
    private readonly plan: Plan,
    private readonly group: readonly BatchUtterance[],
    private readonly stats: DecodeStats,
  ) {
    const model = plan.model;
    const B = group.length;
    this.rows = B;
    this.split = model.kind === 'split' ? model : null;
    this.fused = model.kind === 'fused' ? model : null;
    this.projected = model.kind === 'projected' ? model : null;
    this.config = plan.config;
    this.stopChunk = plan.config.eouPolicy === 'stop-chunk';
    this.cache = plan.config.predictionPolicy === 'cache';
    this.hidden = model.hiddenSize;
    this.width = model.kind === 'projected' ? model.jointDim : model.encoderDim;
    this.predWidth = model.kind === 'projected' ? model.jointDim : model.hiddenSize;
    this.state = createDecodeState(model, plan.config.blankId, B);
    this.scratch = {
      decoder: new Float32Array(B * this.predWidth),
      h: new Float32Array(B * this.hidden),
      c: new Float32Array(B * this.hidden),
    };
    this.jointOut = { tokens: new Int32Array(B), probs: new Float32Array(B) };
    this.fusedOut = { ...this.jointOut, h: this.scratch.h, c: this.scratch.c };
    this.enc = new Float32Array(B * this.width);
    this.active = new Uint8Array(B);
    this.stopped = new Uint8Array(B);
    this.need = new Uint8Array(B);
    this.emissions = group.map(() => new RowEmissions());
    this.maxFrames = group.reduce((m, u) => Math.max(m, u.frameCount), 0);
  }

  runSync(): void {
    const projected = this.projected;
    if (projected !== null) {
      for (const u of this.group) {
        const out = new Float32Array(u.frameCount * this.width);
        if (u.frameCount > 0) {
          const projectEncoderReturned = projected.projectEncoder(u.frames, u.frameCount, out);
          if (projectEncoderReturned !== undefined) notSync('projectEncoder', projectEncoderReturned);
          this.stats.projectCalls++;
        }
        this.projectedFrames.push(out);
      }
    }
    const maxSymbols = this.config.maxSymbolsPerFrame;
    for (let t = 0; t < this.maxFrames; t++) {
      if (!this.beginFrame(t)) continue;
      for (let s = 0; s < maxSymbols; s++) {
        this.stepSync();
        if (!this.afterStep(t)) break;
      }
    }
  }

  async runAsync(): Promise<void> {
    const projected = this.projected;
    if (projected !== null) {
      for (const u of this.group) {
        const out = new Float32Array(u.frameCount * this.width);
        if (u.frameCount > 0) {
          await projected.projectEncoder(u.frames, u.frameCount, out);
          this.stats.projectCalls++;
        }
        this.projectedFrames.push(out);
      }
    }
    const maxSymbols = this.config.maxSymbolsPerFrame;
    for (let t = 0; t < this.maxFrames; t++) {
      if (!this.beginFrame(t)) continue;
      for (let s = 0; s < maxSymbols; s++) {
        await this.stepAsync();
        if (!this.afterStep(t)) break;
      }
    }
  }

  /** Sets the row masks for frame t and loads the frames; false when no row takes part. */
  private beginFrame(t: number): boolean {
    const chunk = this.plan.chunkFrames;
    if (chunk > 0 && t % chunk === 0) this.stopped.fill(0);
    let any = false;
    const width = this.width;
    for (let r = 0; r < this.rows; r++) {
      const u = this.group[r]!;
      const on = t < u.frameCount && this.stopped[r] === 0;
      this.active[r] = on ? 1 : 0;
      if (!on) continue;
      any = true;
      this.stats.frames++;
      const source = this.projected === null ? u.frames : this.projectedFrames[r]!;
      const from = t * width;
      const to = r * width;
      for (let i = 0; i < width; i++) this.enc[to + i] = source[from + i]!;
    }
    return any;
  }

  private stepSync(): void {
    const st = this.state;
    if (this.fused !== null) {
      const stepReturned = this.fused.step(st.lastToken, st.h, st.c, this.enc, this.fusedOut);
      if (stepReturned !== undefined) notSync('step', stepReturned);
      this.stats.stepCalls++;
      return;
    }
    if (this.markNeeded()) {
      const predictReturned = (this.split ?? this.projected)!.predict(st.lastToken, st.h, st.c, this.scratch);
      if (predictReturned !== undefined) notSync('predict', predictReturned);
      this.stats.predictCalls++;
      this.takePredictions();
    }
    const pending =
      this.split !== null
        ? this.split.joint(this.enc, st.pred.decoder, this.jointOut)
        : this.projected!.jointProjected(this.enc, st.pred.decoder, this.jointOut);
    if (pending !== undefined) notSync('joint', pending);
    this.stats.jointCalls++;
  }

  private async stepAsync(): Promise<void> {
    const st = this.state;
    if (this.fused !== null) {
      await this.fused.step(st.lastToken, st.h, st.c, this.enc, this.fusedOut);
      this.stats.stepCalls++;
      return;
    }
    if (this.markNeeded()) {
      await (this.split ?? this.projected)!.predict(st.lastToken, st.h, st.c, this.scratch);
      this.stats.predictCalls++;
      this.takePredictions();
    }
    if (this.split !== null) await this.split.joint(this.enc, st.pred.decoder, this.jointOut);
    else await this.projected!.jointProjected(this.enc, st.pred.decoder, this.jointOut);
    this.stats.jointCalls++;
  }

  /** Marks active rows whose prediction must be (re)computed; true when any is. */
  private markNeeded(): boolean {
    let any = false;
    for (let r = 0; r < this.rows; r++) {
      const need = this.active[r] === 1 && (!this.cache || this.state.predValid[r] === 0);
      this.need[r] = need ? 1 : 0;
      any ||= need;
    }
    return any;
  }

  /** Copies the fresh prediction rows of marked rows into the state's cached prediction. */
  private takePredictions(): void {
    const st = this.state;
    const H = this.hidden;
    const W = this.predWidth;
    for (let r = 0; r < this.rows; r++) {
      if (this.need[r] === 0) continue;
      copyRow(this.scratch.decoder, st.pred.decoder, r, W);
      copyRow(this.scratch.h, st.pred.h, r, H);
      copyRow(this.scratch.c, st.pred.c, r, H);
      st.predValid[r] = 1;
    }
  }

  /** Applies each active row's token; true while some row continues in this frame. */
  private afterStep(t: number): boolean {
    let any = false;
    for (let r = 0; r < this.rows; r++) {
      if (this.active[r] === 0) continue;
      const action = this.onToken(r, t);
      if (action === EMIT) any = true;
      else this.active[r] = 0;
    }
    return any;
  }

  private onToken(r: number, t: number): number {
    const token = this.jointOut.tokens[r]!;
    const vocabSize = this.plan.model.vocabSize;
    const em = this.emissions[r]!;
    em.steps++;
    this.stats.steps++;
    if (token >>> 0 >= vocabSize) {
      throw new RnntDecodeError(
        'E_TOKEN_RANGE',
        `model returned token_id ${token} for batch row ${r} at frame ${t}, expected 0..${vocabSize - 1} (vocabSize ${vocabSize})`,
        { field: 'token_id' },
      );
    }
    if (token === this.config.blankId) return BLANK;
    const st = this.state;
    const prob = this.jointOut.probs[r]!;
    if (token === this.config.eouId) {
      em.pushEou(t);
      if (this.stopChunk) {
        this.stopped[r] = 1;
        return DONE;
      }
      em.push(token, t, prob);
      resetState(st, r);
      return DONE;
    }
    em.push(token, t, prob);
    st.lastToken[r] = token;
    const source = this.fused !== null ? this.fusedOut : st.pred;
    copyRow(source.h, st.h, r, this.hidden);
    copyRow(source.c, st.c, r, this.hidden);
    st.predValid[r] = 0;
    return EMIT;
  }

  results(): BatchUtteranceResult[] {
    const frameMs = this.plan.frameMs;
    return this.emissions.map((em) => {
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
}

function copyRow(from: Float32Array, to: Float32Array, r: number, width: number): void {
  const at = r * width;
  for (let i = 0; i < width; i++) to[at + i] = from[at + i]!;
}
