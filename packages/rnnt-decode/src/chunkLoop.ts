/**
 * The greedy RNNT loop over one chunk of one utterance (sherpa-onnx's `DecodeOne` shape): for each
 * frame, up to `maxSymbolsPerFrame` steps; a blank moves to the next frame without touching the
 * state, a non-blank commits token, h and c. The state lives in a caller-owned {@link DecodeState};
 * this class only holds preallocated buffers. The sync and async paths are separate methods that
 * share every decision (`onToken`), so a synchronous model never meets a promise.
 */
import { checkConfigForVocab, type DecodeConfig } from './decodeConfig';
import { resetState, type DecodeState } from './decodeState';
import { emptyStats, type DecodeStats } from './decodeStats';
import { notSync, RnntDecodeError } from './rnntDecodeError';
import type { FusedStepModel, ProjectedStepModel, SplitStepModel, StepModel } from './stepModels';
import type { TraceStep } from './traceStep';

/** What `onToken` tells the frame loop. */
const BLANK = 0;
const EMIT = 1;
const STOP_CHUNK = 2;
const EOU_RESET = 3;

/** Mutable fused output: `h`/`c` are swapped with the committed state on emission. */
interface FusedBuffers {
  tokens: Int32Array;
  probs: Float32Array;
  h: Float32Array;
  c: Float32Array;
}

/** Decodes chunks of one utterance; reused across chunks, allocation-free per step. */
export class ChunkLoop {
  readonly state: DecodeState;
  private readonly split: SplitStepModel | null;
  private readonly fused: FusedStepModel | null;
  private readonly projected: ProjectedStepModel | null;
  private readonly blankId: number;
  private readonly eouId: number;
  private readonly maxSymbols: number;
  private readonly vocabSize: number;
  private readonly stopChunk: boolean;
  private readonly cache: boolean;
  private readonly encoderDim: number;
  /** Width of one joint input frame: E, or J for projected models. */
  private readonly frameWidth: number;
  /** Views of single frames of `viewsOf` (caller frames or projections), made once per buffer. */
  private views: Float32Array[] = [];
  private viewsOf: Float32Array | null = null;
  /** [T*J] projected encoder frames of the current chunk (projected models). */
  private encProjected: Float32Array;
  private readonly joint: { tokens: Int32Array; probs: Float32Array };
  private readonly fusedOut: FusedBuffers;

  // Emissions of the current chunk.
  tokens: Int32Array;
  tokenFrames: Int32Array;
  tokenProbs: Float32Array;
  tokenCount = 0;
  eouFrames: Int32Array;
  eouCount = 0;
  /** Set when a `stop-chunk` EOU ended the chunk. */
  stopped = false;

  stats: DecodeStats = emptyStats();
  trace: TraceStep[] | null = null;
  traceStates = false;
  /** Global index of the chunk's frame 0, for traces. */
  frameBase = 0;

  constructor(model: StepModel, config: DecodeConfig, state: DecodeState) {
    checkConfigForVocab(config, model.vocabSize);
    if (state.rows !== 1)
      throw new RangeError(`state.rows must be 1 for a single-utterance decoder, got ${state.rows}`);
    if (state.hiddenSize !== model.hiddenSize) {
      throw new RangeError(
        `state.hiddenSize must equal the model's hiddenSize ${model.hiddenSize}, got ${state.hiddenSize}`,
      );
    }
    this.state = state;
    this.split = model.kind === 'split' ? model : null;
    this.fused = model.kind === 'fused' ? model : null;
    this.projected = model.kind === 'projected' ? model : null;
    this.blankId = config.blankId;
    this.eouId = config.eouId;
    this.maxSymbols = config.maxSymbolsPerFrame;
    this.vocabSize = model.vocabSize;
    this.stopChunk = config.eouPolicy === 'stop-chunk';
    this.cache = config.predictionPolicy === 'cache';
    this.encoderDim = model.encoderDim;
    this.frameWidth = model.kind === 'projected' ? model.jointDim : model.encoderDim;
    this.encProjected = new Float32Array(0);
    this.joint = { tokens: new Int32Array(1), probs: new Float32Array(1) };
    this.fusedOut = {
      tokens: this.joint.tokens,
      probs: this.joint.probs,
      h: new Float32Array(model.hiddenSize),
      c: new Float32Array(model.hiddenSize),
    };
    this.tokens = new Int32Array(16);
    this.tokenFrames = new Int32Array(16);
    this.tokenProbs = new Float32Array(16);
    this.eouFrames = new Int32Array(8);
  }

  /** Prepares the emission buffers for a chunk of `frameCount` decoded frames (grows them per chunk, never per step). */
  begin(frameCount: number, frameBase: number, trace: boolean, traceStates: boolean): void {
    const cap = frameCount * this.maxSymbols;
    if (this.tokens.length < cap) {
      this.tokens = new Int32Array(cap);
      this.tokenFrames = new Int32Array(cap);
      this.tokenProbs = new Float32Array(cap);
    }
    if (this.eouFrames.length < frameCount) this.eouFrames = new Int32Array(frameCount);
    this.tokenCount = 0;
    this.eouCount = 0;
    this.stopped = false;
    this.stats = emptyStats();
    this.trace = trace ? [] : null;
    this.traceStates = traceStates;
    this.frameBase = frameBase;
  }

  /** Decodes frames [startT, maxT) of `frames` ([T*E], row-major) with a synchronous model. */
  runSync(frames: Float32Array, startT: number, maxT: number): void {
    const maxSymbols = this.maxSymbols;
    if (this.projected !== null) this.projectSync(frames, startT, maxT);
    for (let t = startT; t < maxT; t++) {
      this.stats.frames++;
      const enc = this.frameView(frames, t, startT);
      for (let s = 0; s < maxSymbols;) {
        this.stepSync(enc);
        const action = this.onToken(t, s);
        if (action === EMIT) {
          s++;
          continue;
        }
        if (action === STOP_CHUNK) return;
        break; // blank, or EOU under `reset`: next frame
      }
    }
  }

  /** Same as {@link runSync}, awaiting each model call. */
  async runAsync(frames: Float32Array, startT: number, maxT: number): Promise<void> {
    const maxSymbols = this.maxSymbols;
    if (this.projected !== null) await this.projectAsync(frames, startT, maxT);
    for (let t = startT; t < maxT; t++) {
      this.stats.frames++;
      const enc = this.frameView(frames, t, startT);
      for (let s = 0; s < maxSymbols;) {
        await this.stepAsync(enc);
        const action = this.onToken(t, s);
        if (action === EMIT) {
          s++;
          continue;
        }
        if (action === STOP_CHUNK) return;
        break;
      }
    }
  }

  private projectSync(frames: Float32Array, startT: number, maxT: number): void {
    const out = this.projectionBuffer(maxT - startT);
    if (maxT <= startT) return;
    const pending = this.projected!.projectEncoder(
      frames.subarray(startT * this.encoderDim, maxT * this.encoderDim),
      maxT - startT,
      out,
    );
    if (pending !== undefined) notSync('projectEncoder', pending);
    this.stats.projectCalls++;
  }

  private async projectAsync(frames: Float32Array, startT: number, maxT: number): Promise<void> {
    const out = this.projectionBuffer(maxT - startT);
    if (maxT <= startT) return;
    await this.projected!.projectEncoder(
      frames.subarray(startT * this.encoderDim, maxT * this.encoderDim),
      maxT - startT,
      out,
    );
    this.stats.projectCalls++;
  }

  private projectionBuffer(count: number): Float32Array {
    const size = count * this.frameWidth;
    if (this.encProjected.length < size) this.encProjected = new Float32Array(size);
    return this.encProjected.subarray(0, size);
  }

  /**
   * The joint's input for frame t: a view of the caller's frame (or of its projection). Views are
   * cached per source buffer, so a streaming caller that reuses one buffer allocates nothing, and
   * no frame is copied (a copy of 512 floats per frame would cost more than the step itself).
   */
  private frameView(frames: Float32Array, t: number, startT: number): Float32Array {
    const source = this.projected === null ? frames : this.encProjected;
    const index = this.projected === null ? t : t - startT;
    if (source !== this.viewsOf) {
      this.views = [];
      this.viewsOf = source;
    }
    let view = this.views[index];
    if (view === undefined) {
      view = source.subarray(index * this.frameWidth, (index + 1) * this.frameWidth);
      this.views[index] = view;
    }
    return view;
  }

  /** One model step from the committed state: fills `joint.tokens[0]`/`joint.probs[0]`. */
  private stepSync(enc: Float32Array): void {
    const state = this.state;
    if (this.fused !== null) {
      const stepReturned = this.fused.step(state.lastToken, state.h, state.c, enc, this.fusedOut);
      if (stepReturned !== undefined) notSync('step', stepReturned);
      this.stats.stepCalls++;
      return;
    }
    const model = (this.split ?? this.projected)!;
    if (!this.cache || state.predValid[0] === 0) {
      const predictReturned = model.predict(state.lastToken, state.h, state.c, state.pred);
      if (predictReturned !== undefined) notSync('predict', predictReturned);
      this.stats.predictCalls++;
      state.predValid[0] = 1;
    }
    const pending =
      this.split !== null
        ? this.split.joint(enc, state.pred.decoder, this.joint)
        : this.projected!.jointProjected(enc, state.pred.decoder, this.joint);
    if (pending !== undefined) notSync('joint', pending);
    this.stats.jointCalls++;
  }

  private async stepAsync(enc: Float32Array): Promise<void> {
    const state = this.state;
    if (this.fused !== null) {
      await this.fused.step(state.lastToken, state.h, state.c, enc, this.fusedOut);
      this.stats.stepCalls++;
      return;
    }
    const model = (this.split ?? this.projected)!;
    if (!this.cache || state.predValid[0] === 0) {
      await model.predict(state.lastToken, state.h, state.c, state.pred);
      this.stats.predictCalls++;
      state.predValid[0] = 1;
    }
    if (this.split !== null) await this.split.joint(enc, state.pred.decoder, this.joint);
    else await this.projected!.jointProjected(enc, state.pred.decoder, this.joint);
    this.stats.jointCalls++;
  }

  /** Applies the step's token to the state and the emissions; shared by both paths. */
  private onToken(t: number, symbol: number): number {
    const token = this.joint.tokens[0]!;
    this.stats.steps++;
    if (token >>> 0 >= this.vocabSize) {
      throw new RnntDecodeError(
        'E_TOKEN_RANGE',
        `model returned token_id ${token} at frame ${this.frameBase + t}, expected 0..${this.vocabSize - 1} (vocabSize ${this.vocabSize})`,
        { field: 'token_id' },
      );
    }
    if (this.trace !== null) this.record(t, symbol, token);
    if (token === this.blankId) return BLANK;
    const state = this.state;
    if (token === this.eouId) {
      this.eouFrames[this.eouCount++] = t;
      if (this.stopChunk) {
        this.stopped = true;
        return STOP_CHUNK;
      }
      this.push(token, t);
      resetState(state);
      return EOU_RESET;
    }
    this.push(token, t);
    state.lastToken[0] = token;
    // Commit by swapping the candidate buffers in: no copy, no allocation.
    const h = state.h;
    const c = state.c;
    if (this.fused !== null) {
      state.h = this.fusedOut.h;
      state.c = this.fusedOut.c;
      this.fusedOut.h = h;
      this.fusedOut.c = c;
    } else {
      state.h = state.pred.h;
      state.c = state.pred.c;
      state.pred.h = h;
      state.pred.c = c;
      state.predValid[0] = 0;
    }
    return EMIT;
  }

  private push(token: number, t: number): void {
    const i = this.tokenCount++;
    this.tokens[i] = token;
    this.tokenFrames[i] = t;
    this.tokenProbs[i] = this.joint.probs[0]!;
  }

  private record(t: number, symbol: number, token: number): void {
    const step: { -readonly [K in keyof TraceStep]: TraceStep[K] } = {
      t,
      frame: this.frameBase + t,
      symbol,
      token,
      prob: this.joint.probs[0]!,
    };
    if (this.traceStates) {
      const source = this.fused !== null ? this.fusedOut : this.state.pred;
      step.h = source.h.slice();
      step.c = source.c.slice();
    }
    this.trace!.push(step);
  }
}
