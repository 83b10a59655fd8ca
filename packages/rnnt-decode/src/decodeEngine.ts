/**
 * The one greedy RNNT loop (sherpa-onnx's `DecodeOne` shape), for one row or several in lock
 * step: for each frame, up to `maxSymbolsPerFrame` steps; a blank moves the row to the next frame
 * without touching its state, a non-blank commits it, an EOU stops the row's chunk (`stop-chunk`)
 * or resets its state (`reset`). The decision rule is {@link DecodeEngine.decide}.
 *
 * The model-kind half of a step (which model calls it makes, how an emission commits h and c) is
 * a {@link KindSteps} table (a stateless class per kind, one file each under `steps/`), picked
 * once when the engine is built; its methods take the engine, which holds all the data. So the
 * loop never branches on the kind, every engine has the same shape whatever its kind (in a
 * process that decodes several kinds, a gate or a benchmark, the loop's property accesses stay
 * monomorphic), and V8 inlines the kind's step through the table's prototype. Measured on the
 * package benchmark, the alternatives cost: a strategy object holding the data 5-15 % per step,
 * a subclass per kind 7-9 % once kinds were mixed in one process, step functions stored in
 * fields 25 % (V8 never inlines a call whose target varies by instance).
 *
 * The sync and async loops are the same ten lines (one awaits the step), sharing the frame
 * setup and the rule, so a synchronous model never meets a promise and both decide alike. The
 * state lives in a caller-owned {@link DecodeState}; the engine holds only preallocated buffers,
 * and a step allocates nothing.
 */
import type { DecodeConfig } from './decodeConfig';
import {
  predictionWidthOf,
  resetState,
  shiftContext,
  type DecodeState,
  type PredictionBuffers,
} from './decodeState';
import { emptyStats, type DecodeStats } from './decodeStats';
import { notSync, RnntDecodeError } from './rnntDecodeError';
import { RowCopy } from './rowCopy';
import { RowEmissions } from './rowEmissions';
import type { AnyStepModel, FusedOutput, JointOutput, PredictionOutput } from './stepModels';
import { kindSteps, type KindSteps } from './steps';
import type { TraceStep } from './traceStep';

/** Options of a {@link DecodeEngine}. */
export interface DecodeEngineOptions {
  /** Name the batch row in token errors (`for batch row 2 at frame 7`). */
  readonly rowLabels?: boolean;
  /** Counters to add into (default: the engine's own). */
  readonly stats?: DecodeStats;
}

/**
 * Decodes runs of frames for `state.rows` rows; reused across runs, allocation-free per step.
 * One row: the model writes straight into the state's buffers, frames are views and a commit
 * swaps buffers. Several rows share each model call: frames and fresh predictions are copied in
 * and commits copy rows. The fields the step tables use are public (the class is internal to the
 * package).
 */
export class DecodeEngine {
  readonly rows: number;
  readonly state: DecodeState;
  readonly stats: DecodeStats;
  /** Per-row emissions, accumulated across runs until cleared. */
  readonly emissions: readonly RowEmissions[];
  /** Every step of the next runs, when not null (one-row engines). */
  trace: TraceStep[] | null = null;
  /** With `trace`: copy each step's candidate h and c. */
  traceStates = false;
  /** Global index of frame 0 of the rows' frames, for traces and errors. */
  frameBase = 0;

  // For the step tables.
  readonly model: AnyStepModel;
  /** [rows] the step's decision per row, written by the model. */
  readonly out: JointOutput;
  /** One row (see the class comment). */
  readonly single: boolean;
  /** The `cache` prediction policy: run the prediction net only when a row's context changed. */
  readonly cache: boolean;
  /** Width of one joint-input frame: E, or J for projected models. */
  readonly width: number;
  /** Width of one prediction output row: H, D, or J for projected models. */
  readonly predictionWidth: number;
  /** [rows] 1 for the rows taking part in the current step. */
  readonly active: Uint8Array;
  /** [rows] rows whose prediction the current step recomputes (several rows). */
  readonly need: Uint8Array;
  /** Where the prediction net writes: the state's own buffers for one row, scratch for several. */
  readonly target: PredictionBuffers;
  /** Fused kinds: the step's output, whose h and c hold the candidate state until a commit. */
  readonly fusedOut: FusedOutput & { h: Float32Array; c: Float32Array };
  /** Projected kinds: per row, the projected frames [T*J] (frame t at `t*J`). */
  readonly projections: Float32Array[];
  /** Several rows: fresh prediction rows from `target` into the state's cached prediction. */
  readonly takePrediction: RowCopy | null;
  /**
   * Where the step leaves the candidate h and c: the fused step's output, or the prediction
   * buffers (zero-width for a stateless net). One row commits by swapping them with the state's.
   */
  private readonly candidate: { h: Float32Array; c: Float32Array };
  /** Several rows: a commit copies the candidate rows. */
  private readonly commitRow: RowCopy | null;
  /** Tokens of context per row: above 1, a commit shifts the token into the context. */
  private readonly contextSize: number;

  private readonly steps: KindSteps;
  private readonly blankId: number;
  /** -1 when the model has no EOU token (never equal to a checked token). */
  private readonly eouId: number;
  /** An id decoded as blank (sherpa-onnx's `<unk>`); -1 when none. */
  private readonly unkId: number;
  private readonly maxSymbols: number;
  private readonly vocabSize: number;
  private readonly stopChunk: boolean;
  private readonly rowLabels: boolean;

  // The rows of the current run.
  private readonly frames: Float32Array[];
  /** What the joint reads per row: the caller's frames, or their projection. */
  private readonly sources: Float32Array[];
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly stopped: Uint8Array;
  /** [rows*width] the current frame of every row (several rows). */
  private readonly batchFrames: Float32Array;
  /** Staggered runs: each row's current frame and symbol within it. */
  private readonly pos: Int32Array;
  private readonly sym: Int32Array;
  /** Several rows of the split kind: the prediction net runs on the rows that need it, packed. */
  private readonly pack: PredictionPack | null;
  /** Views of single frames of `viewsOf` (one row). */
  private views: Float32Array[] = [];
  private viewsOf: Float32Array | null = null;

  // The run.
  /** End of the run (exclusive). */
  private tEnd = 0;
  private chunkFrames = 0;
  private stoppedRows = 0;

  /** @param model a checked model; @param config a config checked against it */
  constructor(
    model: AnyStepModel,
    config: DecodeConfig,
    state: DecodeState,
    options: DecodeEngineOptions = {},
  ) {
    const rows = state.rows;
    const steps = kindSteps[model.kind];
    this.rows = rows;
    this.state = state;
    this.stats = options.stats ?? emptyStats();
    this.model = model;
    this.single = rows === 1;
    this.cache = config.predictionPolicy === 'cache';
    this.width = model.kind === 'projected' ? model.jointDim : model.encoderDim;
    this.predictionWidth = predictionWidthOf(model);
    this.out = { tokens: new Int32Array(rows), probs: new Float32Array(rows) };
    this.active = new Uint8Array(rows);
    this.need = new Uint8Array(rows);
    this.target = this.single
      ? state.pred
      : {
          decoder: new Float32Array(state.pred.decoder.length),
          h: new Float32Array(state.pred.h.length),
          c: new Float32Array(state.pred.c.length),
        };
    const fused = model.kind === 'fused';
    this.fusedOut = {
      tokens: this.out.tokens,
      probs: this.out.probs,
      h: new Float32Array(fused ? state.h.length : 0),
      c: new Float32Array(fused ? state.c.length : 0),
    };
    this.projections = Array.from({ length: rows }, () => new Float32Array(0));
    this.candidate = fused ? this.fusedOut : state.pred;
    this.contextSize = state.contextSize;
    if (this.single) {
      this.takePrediction = null;
      this.commitRow = null;
    } else {
      const H = state.hiddenSize;
      this.takePrediction = new RowCopy(
        [
          [this.target.decoder, state.pred.decoder, this.predictionWidth],
          [this.target.h, state.pred.h, H],
          [this.target.c, state.pred.c, H],
        ],
        rows,
      );
      this.commitRow = new RowCopy(
        [
          [this.candidate.h, state.h, H],
          [this.candidate.c, state.c, H],
        ],
        rows,
      );
    }
    this.steps = steps;
    this.blankId = config.blankId;
    this.eouId = config.eouId ?? -1;
    this.unkId = config.unkId ?? -1;
    this.maxSymbols = config.maxSymbolsPerFrame;
    this.vocabSize = model.vocabSize;
    this.stopChunk = config.eouPolicy === 'stop-chunk';
    this.rowLabels = options.rowLabels === true;
    this.emissions = Array.from({ length: rows }, () => new RowEmissions());
    const none = new Float32Array(0);
    this.frames = Array.from({ length: rows }, () => none);
    this.sources = Array.from({ length: rows }, () => none);
    this.starts = new Int32Array(rows);
    this.ends = new Int32Array(rows);
    this.stopped = new Uint8Array(rows);
    this.batchFrames = new Float32Array(this.single ? 0 : rows * this.width);
    this.pos = new Int32Array(rows);
    this.sym = new Int32Array(rows);
    this.pack =
      this.single || model.kind !== 'split'
        ? null
        : new PredictionPack(state, this.target, this.predictionWidth, rows);
  }

  /** Sets row `row`'s frames for the next run: frames [start, end) of `frames` ([T*E], row-major). */
  setRow(row: number, frames: Float32Array, start: number, end: number): void {
    this.frames[row] = frames;
    this.starts[row] = start;
    this.ends[row] = Math.max(start, end);
    this.pos[row] = start;
    this.sym[row] = 0;
    this.stopped[row] = 0;
  }

  /**
   * Several rows, staggered: each row sits at its own frame and every model call steps each busy
   * row once, wherever it is (a row that emits stays on its frame, one that blanks moves on), so no
   * row idles while another emits, as rows do in the frame-by-frame lock step of {@link runSync}.
   * Each row's calls see exactly the inputs of decoding it alone. Rows keep their position across
   * runs (set by {@link setRow}); a run returns as soon as some row's frames end or a `stop-chunk`
   * EOU stops it for good ({@link rowEnded}), so the caller can give the row its next utterance.
   */
  runStaggeredSync(): void {
    this.reserveStaggered();
    const steps = this.steps;
    while (this.stageRows()) {
      steps.stepRowsSync(this, this.batchFrames);
      if (this.advanceRows()) return;
    }
  }

  /** Same as {@link runStaggeredSync}, awaiting each model call. */
  async runStaggeredAsync(): Promise<void> {
    this.reserveStaggered();
    const steps = this.steps;
    while (this.stageRows()) {
      if (steps.needsPrediction(this)) {
        await steps.prediction(this);
        steps.afterPrediction(this);
      }
      await steps.decision(this, this.batchFrames);
      steps.afterDecision(this);
      if (this.advanceRows()) return;
    }
  }

  /** Staggered runs: row `row` has no frames left, or a `stop-chunk` EOU stopped it. */
  rowEnded(row: number): boolean {
    return this.pos[row]! >= this.ends[row]! || this.stopped[row] !== 0;
  }

  /** Several rows of the split kind: packs the rows that need a prediction (see {@link PredictionPack}). */
  packPrediction(): PackedPrediction {
    return this.pack!.gather(this.need);
  }

  /** After a packed prediction: its rows go to the rows of `target` they came from. */
  unpackPrediction(): void {
    this.pack!.scatter();
  }

  private reserveStaggered(): void {
    for (let r = 0; r < this.rows; r++) {
      const left = Math.max(0, this.ends[r]! - this.pos[r]!);
      this.emissions[r]!.reserve(left * this.maxSymbols, left);
    }
  }

  /** Marks the busy rows and copies in the frame of each row that has moved to a new one; false when none is busy. */
  private stageRows(): boolean {
    let any = false;
    const width = this.width;
    for (let r = 0; r < this.rows; r++) {
      const on = this.pos[r]! < this.ends[r]! && this.stopped[r] === 0;
      this.active[r] = on ? 1 : 0;
      if (!on) continue;
      any = true;
      if (this.sym[r] !== 0) continue; // same frame as the last call: its copy is in place
      this.stats.frames++;
      const source = this.frames[r]!;
      const from = this.pos[r]! * width;
      const to = r * width;
      for (let i = 0; i < width; i++) this.batchFrames[to + i] = source[from + i]!;
    }
    return any;
  }

  /** Applies the call's decision to every busy row and moves it on; true when some row ended. */
  private advanceRows(): boolean {
    let ended = false;
    for (let r = 0; r < this.rows; r++) {
      if (this.active[r] === 0) continue;
      this.emissions[r]!.steps++;
      const t = this.pos[r]!;
      const s = this.sym[r]!;
      if (this.decide(r, t, s) && s + 1 < this.maxSymbols) this.sym[r] = s + 1;
      else {
        this.pos[r] = t + 1;
        this.sym[r] = 0;
      }
      if (this.pos[r]! >= this.ends[r]! || this.stopped[r] !== 0) ended = true;
    }
    return ended;
  }

  /**
   * Decodes the rows' frames with a synchronous model.
   * @param chunkFrames a `stop-chunk` EOU stops its row until the next multiple of this frame
   *   index (0: until the end of the run)
   */
  runSync(chunkFrames = 0): void {
    const first = this.begin(chunkFrames);
    const steps = this.steps;
    if (steps.projects) {
      for (let r = 0; r < this.rows; r++) {
        const start = this.starts[r]!;
        const end = this.ends[r]!;
        if (end > start) {
          const projected = steps.projection(this, r, this.frames[r]!, start, end);
          if (projected !== undefined) notSync('projectEncoder', projected);
          this.stats.projectCalls++;
        }
        this.sources[r] = this.projections[r]!;
      }
    }
    if (this.single) this.viewsFor(this.sources[0]!);
    const maxSymbols = this.maxSymbols;
    const single = this.single;
    const chunk = this.chunkFrames;
    const stepsBefore = this.stats.steps;
    const end = this.tEnd;
    for (let t = first; t < end; t++) {
      if (chunk > 0 && t % chunk === 0) this.newChunk();
      const enc = single ? this.singleFrame(t) : this.batchFrame(t);
      if (enc === null) {
        if (chunk === 0 && this.stoppedRows === this.rows) break; // every row stopped for good
        continue;
      }
      for (let s = 0; s < maxSymbols; s++) {
        if (single) steps.stepSync(this, enc);
        else steps.stepRowsSync(this, enc);
        if (!(single ? this.decide(0, t, s) : this.decideRows(t, s))) break;
      }
    }
    if (single) this.emissions[0]!.steps += this.stats.steps - stepsBefore;
  }

  /** Same as {@link runSync}, awaiting each model call. */
  async runAsync(chunkFrames = 0): Promise<void> {
    const first = this.begin(chunkFrames);
    const steps = this.steps;
    if (steps.projects) {
      for (let r = 0; r < this.rows; r++) {
        const start = this.starts[r]!;
        const end = this.ends[r]!;
        if (end > start) {
          await steps.projection(this, r, this.frames[r]!, start, end);
          this.stats.projectCalls++;
        }
        this.sources[r] = this.projections[r]!;
      }
    }
    if (this.single) this.viewsFor(this.sources[0]!);
    const maxSymbols = this.maxSymbols;
    const single = this.single;
    const chunk = this.chunkFrames;
    const stepsBefore = this.stats.steps;
    const end = this.tEnd;
    for (let t = first; t < end; t++) {
      if (chunk > 0 && t % chunk === 0) this.newChunk();
      const enc = single ? this.singleFrame(t) : this.batchFrame(t);
      if (enc === null) {
        if (chunk === 0 && this.stoppedRows === this.rows) break; // every row stopped for good
        continue;
      }
      for (let s = 0; s < maxSymbols; s++) {
        if (steps.needsPrediction(this)) {
          await steps.prediction(this);
          steps.afterPrediction(this);
        }
        await steps.decision(this, enc);
        steps.afterDecision(this);
        if (!(single ? this.decide(0, t, s) : this.decideRows(t, s))) break;
      }
    }
    if (single) this.emissions[0]!.steps += this.stats.steps - stepsBefore;
  }

  /**
   * Makes room for the most the run can emit (per run, never per step) and returns the run's
   * first frame.
   */
  private begin(chunkFrames: number): number {
    this.chunkFrames = chunkFrames;
    this.stoppedRows = 0;
    let first = -1;
    let last = 0;
    for (let r = 0; r < this.rows; r++) {
      this.stopped[r] = 0;
      this.sources[r] = this.frames[r]!;
      const start = this.starts[r]!;
      const end = this.ends[r]!;
      this.emissions[r]!.reserve((end - start) * this.maxSymbols, end - start);
      if (end === start) continue;
      if (first < 0 || start < first) first = start;
      if (end > last) last = end;
    }
    this.tEnd = last;
    return first < 0 ? 0 : first;
  }

  /** A new `stop-chunk` window: stopped rows take part again. */
  private newChunk(): void {
    if (this.stoppedRows === 0) return;
    this.stopped.fill(0);
    this.stoppedRows = 0;
  }

  /** The one row's frame t, or null when the row is stopped (the run's end is the row's end). */
  private singleFrame(t: number): Float32Array | null {
    if (this.stoppedRows !== 0) return null; // the one row is stopped (a plain field, read per frame)
    this.stats.frames++;
    let view = this.views[t];
    if (view === undefined) {
      view = this.sources[0]!.subarray(t * this.width, (t + 1) * this.width);
      this.views[t] = view;
    }
    return view;
  }

  /** Marks the rows taking part in frame t and copies their frames in; null when none does. */
  private batchFrame(t: number): Float32Array | null {
    let any = false;
    const width = this.width;
    for (let r = 0; r < this.rows; r++) {
      const on = t >= this.starts[r]! && t < this.ends[r]! && this.stopped[r] === 0;
      this.active[r] = on ? 1 : 0;
      if (!on) continue;
      any = true;
      this.stats.frames++;
      const source = this.sources[r]!;
      const from = t * width;
      const to = r * width;
      for (let i = 0; i < width; i++) this.batchFrames[to + i] = source[from + i]!;
    }
    return any ? this.batchFrames : null;
  }

  /**
   * The one row reads its frames as views of its source, made once per source buffer: a
   * streaming caller that reuses one buffer allocates nothing, and no frame is copied (a copy of
   * 512 floats per frame would cost more than the loop's whole step).
   */
  private viewsFor(source: Float32Array): void {
    if (source === this.viewsOf) return;
    this.views = [];
    this.viewsOf = source;
  }

  /** Applies the step's decision to every active row; true while some row goes on in frame t. */
  private decideRows(t: number, s: number): boolean {
    let any = false;
    for (let r = 0; r < this.rows; r++) {
      if (this.active[r] === 0) continue;
      this.emissions[r]!.steps++;
      if (this.decide(r, t, s)) any = true;
      else this.active[r] = 0;
    }
    return any;
  }

  /**
   * The decision rule, for row r at frame t, symbol s: blank (or `unkId`) moves to the next frame; an EOU is
   * recorded and stops the row's chunk (`stop-chunk`: not appended, state kept) or is appended and
   * resets the row (`reset`); any other token is appended and commits the row's state. True when
   * the row takes another step in this frame. (Kept short, the rare cases out of line, so that V8
   * inlines the rule and the step into the loop.)
   */
  private decide(r: number, t: number, s: number): boolean {
    const token = this.out.tokens[r]!;
    this.stats.steps++;
    if (token >>> 0 >= this.vocabSize || this.trace !== null) this.checkAndRecord(r, t, s, token);
    if (token === this.blankId || token === this.unkId) return false;
    if (token === this.eouId) return this.onEou(r, t, token);
    this.emissions[r]!.push(token, t, this.out.probs, r);
    this.commit(r, token);
    return true;
  }

  /**
   * Commits row r's emission of `token`: the candidate h and c become the state (a swap of whole
   * buffers for one row, a row copy for several; nothing to do for a stateless net, whose h and c
   * have zero width), the token becomes the newest context token, and the cached prediction is
   * stale (the prediction net is a function of that state).
   */
  private commit(r: number, token: number): void {
    const state = this.state;
    if (this.single) {
      const from = this.candidate;
      const h = state.h;
      const c = state.c;
      state.h = from.h;
      state.c = from.c;
      from.h = h;
      from.c = c;
    } else {
      this.commitRow!.copy(r);
    }
    state.lastToken[r] = token;
    if (this.contextSize > 1) shiftContext(state, r, token);
    state.predValid[r] = 0;
  }

  private onEou(r: number, t: number, token: number): false {
    const em = this.emissions[r]!;
    em.pushEou(t);
    if (this.stopChunk) {
      this.stopped[r] = 1;
      this.stoppedRows++;
      return false;
    }
    em.push(token, t, this.out.probs, r);
    resetState(this.state, r);
    return false;
  }

  /** Throws for a token outside the vocabulary; records the step when tracing. */
  private checkAndRecord(r: number, t: number, s: number, token: number): void {
    if (token >>> 0 >= this.vocabSize) throw this.tokenRangeError(token, r, t);
    this.record(r, t, s, token);
  }

  private tokenRangeError(token: number, r: number, t: number): RnntDecodeError {
    const V = this.vocabSize;
    const where = this.rowLabels ? `for batch row ${r} at frame ${t}` : `at frame ${this.frameBase + t}`;
    return new RnntDecodeError(
      'E_TOKEN_RANGE',
      `model returned token_id ${token} ${where}, expected 0..${V - 1} (vocabSize ${V})`,
      { field: 'token_id' },
    );
  }

  private record(r: number, t: number, symbol: number, token: number): void {
    const step: { -readonly [K in keyof TraceStep]: TraceStep[K] } = {
      t,
      frame: this.frameBase + t,
      symbol,
      token,
      prob: this.out.probs[r]!,
    };
    const candidate = this.traceStates && this.state.hiddenSize > 0 ? this.candidate : null;
    if (candidate !== null) {
      const H = this.state.hiddenSize;
      step.h = candidate.h.slice(r * H, (r + 1) * H);
      step.c = candidate.c.slice(r * H, (r + 1) * H);
    }
    this.trace!.push(step);
  }
}

/** The inputs and outputs of a packed prediction call: views of the first m rows of the pack. */
export interface PackedPrediction {
  readonly tokens: Int32Array;
  readonly h: Float32Array;
  readonly c: Float32Array;
  readonly out: PredictionOutput;
}

/**
 * The prediction net of several rows run on only the rows that need it, packed into the first m
 * rows of its own buffers (a row's result depends only on its own inputs, so this changes no
 * value): under the `cache` policy a step predicts for the rows that just emitted, about a
 * quarter of them, not all. Views for every m are made once, so a call allocates nothing.
 */
class PredictionPack {
  private readonly rowsOf: Int32Array;
  private count = 0;
  private readonly views: PackedPrediction[];
  private readonly copyIn: RowCopy;
  private readonly copyOut: RowCopy;
  private readonly tokens: Int32Array;

  constructor(
    private readonly state: DecodeState,
    target: PredictionBuffers,
    width: number,
    rows: number,
  ) {
    const H = state.hiddenSize;
    this.rowsOf = new Int32Array(rows);
    this.tokens = new Int32Array(rows);
    const h = new Float32Array(rows * H);
    const c = new Float32Array(rows * H);
    const decoder = new Float32Array(rows * width);
    const hOut = new Float32Array(rows * H);
    const cOut = new Float32Array(rows * H);
    this.views = Array.from({ length: rows + 1 }, (_, m) => ({
      tokens: this.tokens.subarray(0, m),
      h: h.subarray(0, m * H),
      c: c.subarray(0, m * H),
      out: {
        decoder: decoder.subarray(0, m * width),
        h: hOut.subarray(0, m * H),
        c: cOut.subarray(0, m * H),
      },
    }));
    // Packed row k <- state row r (in), target row r <- packed row k (out), through row views.
    this.copyIn = new RowCopy(
      [
        [state.h, h, H],
        [state.c, c, H],
      ],
      rows,
    );
    this.copyOut = new RowCopy(
      [
        [decoder, target.decoder, width],
        [hOut, target.h, H],
        [cOut, target.c, H],
      ],
      rows,
    );
  }

  /** Packs the rows marked in `need`; returns the views of the packed rows. */
  gather(need: Uint8Array): PackedPrediction {
    let m = 0;
    for (let r = 0; r < need.length; r++) {
      if (need[r] === 0) continue;
      this.rowsOf[m] = r;
      this.tokens[m] = this.state.lastToken[r]!;
      this.copyIn.copyBetween(r, m);
      m++;
    }
    this.count = m;
    return this.views[m]!;
  }

  /** Copies each packed row's prediction to the row it was packed from. */
  scatter(): void {
    for (let k = 0; k < this.count; k++) this.copyOut.copyBetween(k, this.rowsOf[k]!);
  }
}
