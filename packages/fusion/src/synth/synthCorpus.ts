/**
 * The corpus generator matching a synthetic model: for each utterance it picks a text of vocab
 * words and an alignment (one token every 2-4 frames, EOU after the last word), then builds every
 * encoder frame so the model's greedy decode follows that alignment, tracking the decoder state
 * with the model's own math. Low-margin frames put a token and its confusable partner within
 * about one fp16 step of each other, so rounding decides them.
 */
import { fwht } from './hadamard';
import { Random } from './random';
import type { SynthModel } from './synthModel';
import { BLANK_BIAS, KAPPA } from './synthModel';
import type { TrackedState } from './synthTracker';
import { SynthTracker } from './synthTracker';
import { initialPieceCount } from './synthVocab';

/** Options of {@link synthUtterance}. */
export interface SynthCorpusOptions {
  /** Corpus seed (default 1); each file derives its own stream from it and its index. */
  readonly seed?: number;
  /** Target frames per file (default 92, about 7.4 s at 80 ms). */
  readonly framesPerFile?: number;
  /** Share of text-token frames made low-margin (default 0). */
  readonly lowMarginShare?: number;
}

/** One generated utterance. */
export interface SynthUtterance {
  readonly id: string;
  /** Reference text: the words the frames encode. */
  readonly text: string;
  /** [frameCount * E] float32 frames, row-major. */
  readonly frames: Float32Array;
  readonly frameCount: number;
  /** Intended token ids (text tokens, then EOU) and the frame of each. */
  readonly tokens: Int32Array;
  readonly tokenFrames: Int32Array;
  readonly eouFrame: number;
  /** Frames deliberately built with a near-zero margin. */
  readonly lowMarginFrames: number;
  /** Frames whose intended decision the reference math did not reproduce (ties and flips on low-margin frames, else 0). */
  readonly referenceMismatches: number;
  /** Smallest first-step margin (fp16 logits) over ordinary emission frames. */
  readonly minMargin: number;
}

type Plan = { kind: 'blank' } | { kind: 'emit'; token: number; low: boolean } | { kind: 'eou' };

/** A per-file seed independent of generation order (so files can be generated in any order). */
export function fileSeed(seed: number, index: number): number {
  let x = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
}

/** Generates utterances of one model; create once and call {@link SynthCorpusGenerator.utterance} per file. */
export class SynthCorpusGenerator {
  readonly model: SynthModel;
  readonly #tracker: SynthTracker;
  readonly #options: Required<SynthCorpusOptions>;
  readonly #zipf: Float64Array;
  readonly #q: Float64Array;
  readonly #zA: Float64Array;
  readonly #logits: Float64Array;
  /** Tokens whose code contains each evidence unit. */
  readonly #byUnit: number[][];
  readonly #hits: Int32Array;

  constructor(model: SynthModel, options: SynthCorpusOptions = {}) {
    const framesPerFile = options.framesPerFile ?? 92;
    const lowMarginShare = options.lowMarginShare ?? 0;
    const seed = options.seed ?? 1;
    if (!Number.isInteger(framesPerFile) || framesPerFile < 12)
      throw new RangeError(`framesPerFile must be an integer >= 12, got ${framesPerFile}`);
    if (!(lowMarginShare >= 0 && lowMarginShare <= 1))
      throw new RangeError(`lowMarginShare must be in [0, 1], got ${lowMarginShare}`);
    if (!Number.isInteger(seed) || seed < 0)
      throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    this.model = model;
    this.#tracker = new SynthTracker(model);
    this.#options = { seed, framesPerFile, lowMarginShare };
    this.#q = new Float64Array(model.joint.encoderDim);
    this.#zA = new Float64Array(model.joint.encoderDim);
    this.#logits = new Float64Array(model.design.vocabSize);
    this.#byUnit = Array.from({ length: model.joint.encoderDim }, () => []);
    model.design.codes.forEach((code, v) => code.forEach((j) => this.#byUnit[j]!.push(v)));
    this.#hits = new Int32Array(model.design.vocabSize);
    // Zipf-like word-initial piece frequencies.
    const n = initialPieceCount(model.design.shape.textVocab);
    this.#zipf = new Float64Array(n);
    let acc = 0;
    for (let k = 0; k < n; k++) this.#zipf[k] = acc += 1 / (k + 4);
    for (let k = 0; k < n; k++) this.#zipf[k]! /= acc;
  }

  #pickInitial(r: Random): number {
    const u = r.next();
    let lo = 0;
    let hi = this.#zipf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#zipf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Tokens of one word, not repeating or following the partner of `prev` (the loop state cannot tell them apart). */
  #word(r: Random, prev: number): number[] {
    const { textVocab } = this.model.design.shape;
    const initial = initialPieceCount(textVocab);
    const { partner } = this.model.design;
    const ok = (a: number, b: number): boolean =>
      b !== a && (a < 0 || (partner[a] !== b && this.#distinctAfter(a, b)));
    for (;;) {
      const tokens = [this.#pickInitial(r)];
      const u = r.next();
      const extra = u < 0.55 ? 0 : u < 0.9 ? 1 : 2;
      for (let i = 0; i < extra; i++) tokens.push(initial + r.int(textVocab - initial));
      let fine = ok(prev, tokens[0]!);
      for (let i = 1; i < tokens.length; i++) fine &&= ok(tokens[i - 1]!, tokens[i]!);
      if (fine) return tokens;
    }
  }

  /**
   * Whether `t` right after `prev` is still recognisable: the units of `t` that `prev` does not
   * share (the ones that carry its evidence then) must not be covered by another token's code,
   * except by the partner, which misses the exclusive unit.
   */
  #distinctAfter(prev: number, t: number): boolean {
    const { codes, partner } = this.model.design;
    const prevCode = codes[prev]!;
    const strong = Array.from(codes[t]!).filter((j) => !prevCode.includes(j));
    if (strong.length < 2) return false;
    const hits = this.#hits;
    const touched: number[] = [];
    let fine = true;
    for (const j of strong) {
      for (const v of this.#byUnit[j]!) {
        if (v === t || v === partner[t]) continue;
        if (hits[v] === 0) touched.push(v);
        if (++hits[v]! > strong.length - 2) fine = false;
      }
    }
    for (const v of touched) hits[v] = 0;
    return fine;
  }

  /** The `index`-th utterance of the corpus (deterministic). */
  utterance(index: number, id = `synth-${String(index).padStart(5, '0')}`): SynthUtterance {
    const { design } = this.model;
    const r = new Random(fileSeed(this.#options.seed, index));
    // --- text and alignment -----------------------------------------------------------------
    const words: number[][] = [];
    const plan: Plan[] = [];
    const lead = 1 + r.int(4);
    for (let i = 0; i < lead; i++) plan.push({ kind: 'blank' });
    let prev = -1;
    const target = this.#options.framesPerFile;
    while (plan.length + 4 < target || words.length === 0) {
      const w = this.#word(r, prev);
      words.push(w);
      for (const t of w) {
        const low = design.partner[t]! >= 0 && r.next() < this.#options.lowMarginShare;
        plan.push({ kind: 'emit', token: t, low });
        const gap = 1 + r.int(3);
        for (let g = 0; g < gap; g++) plan.push({ kind: 'blank' });
      }
      prev = w[w.length - 1]!;
    }
    plan.push({ kind: 'eou' });
    const tail = r.int(3);
    for (let i = 0; i < tail; i++) plan.push({ kind: 'blank' });
    const text = words
      .map((w) =>
        w
          .map((t) => design.pieces[t]!)
          .join('')
          .replace(/\u2581/g, ''),
      )
      .join(' ');

    // --- frames -----------------------------------------------------------------------------
    const E = this.model.joint.encoderDim;
    const frames = new Float32Array(plan.length * E);
    const tokens: number[] = [];
    const tokenFrames: number[] = [];
    let state = this.#tracker.initial();
    let eouFrame = -1;
    let lowMarginFrames = 0;
    let mismatches = 0;
    let minMargin = Infinity;
    const pStar = new Float64Array(E);
    for (let f = 0; f < plan.length; f++) {
      const step = plan[f]!;
      if (step.kind === 'blank') {
        this.#blankEvidence(r, pStar);
        this.#encode(pStar, state, frames, f);
        if (this.#decide(pStar, state, state).token !== design.blankId) mismatches++;
        continue;
      }
      const token = step.kind === 'eou' ? design.eouId : step.token;
      const after = this.#tracker.emit(state, token);
      const low = this.#emissionEvidence(r, pStar, state, token, step.kind === 'emit' && step.low);
      if (low) lowMarginFrames++;
      this.#encode(pStar, state, frames, f);
      const first = this.#decide(pStar, state, state);
      if (!low) minMargin = Math.min(minMargin, first.margin);
      // After an EOU the loop moves to the next frame (`reset`) or ends the chunk (`stop-chunk`);
      // after any other token it runs a second step on this frame, which must say blank.
      const second = step.kind === 'eou' ? design.blankId : this.#decide(pStar, state, after).token;
      if (first.token !== token || second !== design.blankId) mismatches++;
      tokens.push(token);
      tokenFrames.push(f);
      if (step.kind === 'eou') {
        eouFrame = f;
        state = this.#tracker.initial();
      } else state = after;
    }
    return {
      id,
      text,
      frames,
      frameCount: plan.length,
      tokens: Int32Array.from(tokens),
      tokenFrames: Int32Array.from(tokenFrames),
      eouFrame,
      lowMarginFrames,
      referenceMismatches: mismatches,
      minMargin,
    };
  }

  /** Writes frame `f`: the encoder vector whose projection plus the decoder side of `built` is p*. */
  #encode(pStar: Float64Array, built: TrackedState, frames: Float32Array, f: number): void {
    const { encBias, encoderDim: E } = this.model.joint;
    const { encScale, encSigns } = this.model.design;
    const q = this.#q;
    for (let j = 0; j < E; j++) q[j] = pStar[j]! - encBias[j]! - built.gA[j]!;
    // encWeight = c·H·D and H·H = E·I, so enc = D·H·q / (c·E).
    fwht(q);
    const base = f * E;
    for (let j = 0; j < E; j++) frames[base + j] = (encSigns[j]! * q[j]!) / (encScale * E);
  }

  /** Evidence of a blank frame: every unit well below zero, whatever the decoder state. */
  #blankEvidence(r: Random, pStar: Float64Array): void {
    for (let j = 0; j < pStar.length; j++) pStar[j] = r.uniform(-KAPPA - 2, -KAPPA - 0.5);
  }

  /**
   * Evidence of an emission frame for `token` in state `s`: the token's code units active, the
   * rest well below zero (also below the +kappa a changed decoder state could add). Units shared
   * with the last token stay small, because emitting `token` does not cancel them. An ordinary
   * frame beats every competitor (partner, blank, overlapping tokens) by about the model's margin;
   * a low-margin frame lifts the partner's own unit to within about one fp16 step of the token.
   */
  #emissionEvidence(
    r: Random,
    pStar: Float64Array,
    s: TrackedState,
    token: number,
    lowWanted: boolean,
  ): boolean {
    const { codes, partner, exclusive, blankId, margin: baseMargin } = this.model.design;
    this.#blankEvidence(r, pStar);
    const code = codes[token]!;
    const lastCode = s.last === blankId ? undefined : codes[s.last];
    const inLast = (j: number): boolean => lastCode !== undefined && lastCode.includes(j);
    const cap = KAPPA - 1;
    // Units shared with the last token survive the emission; their total is what the second step
    // sees as evidence for the token, so it must stay well under the blank bias.
    const residualBudget = BLANK_BIAS / 2;
    const smallCap = 0.6;
    const p = partner[token]!;
    const d = exclusive[token]!;
    // The partner's own unit must not be one the last token lit: the emission would raise it by kappa.
    const low = lowWanted && p >= 0 && !inLast(exclusive[p]!);
    const cv = s.cvec;
    const target = baseMargin * (1 + 0.5 * r.next());
    let sharedWithLast = 0;
    for (const j of code) if (j !== d && inLast(j)) sharedWithLast++;
    // The exclusive unit sets the margin over the partner: logit_t - logit_p = a_d - b + cvec_t - cvec_p.
    let ad = p >= 0 ? target - (cv[token]! - cv[p]!) : 1;
    if (low) ad = r.uniform(0.5, 1.5);
    ad = Math.min(Math.max(ad, 0.2), inLast(d) ? residualBudget - smallCap * sharedWithLast : cap);
    let fixed = 0;
    let free = 0;
    for (const j of code) {
      if (j === d) continue;
      if (inLast(j)) {
        pStar[j] = r.uniform(0.3, smallCap);
        fixed += pStar[j];
      } else free++;
    }
    // Beat blank (which has no evidence) by the target: sum(a) + cvec_t >= BLANK + cvec_blank + target.
    const need = target + cv[blankId]! - cv[token]! - (ad > 0 ? ad : 0) - fixed;
    const base = free > 0 ? Math.min(Math.max(need / free, 0.5), cap) : 0;
    for (const j of code) {
      if (j === d) pStar[j] = ad;
      else if (!inLast(j)) pStar[j] = base * r.uniform(0.85, 1.15);
    }
    if (low) {
      // Partner within +-epsilon of the token before rounding, epsilon one fp16 step at this level.
      const logitT = this.#rawLogit(pStar, cv, token);
      const eps = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(logitT), 1))) - 10);
      const m = r.uniform(-eps, eps);
      const dp = exclusive[p]!;
      // b on the partner's unit: logit_p = logit_t - m.
      pStar[dp] = 0;
      let b = logitT - m - this.#rawLogit(pStar, cv, p);
      if (b < 0) {
        // Raise the token's own unit instead; the partner stays at zero evidence there.
        pStar[d] = pStar[d]! - b;
        b = 0;
      }
      pStar[dp] = b;
    }
    return low;
  }

  /** Token `v`'s logit (before fp16 rounding) when evidence equals p*. */
  #rawLogit(pStar: Float64Array, cvec: Float64Array, v: number): number {
    let acc = cvec[v]!;
    for (const j of this.model.design.codes[v]!) acc += pStar[j]! > 0 ? pStar[j]! : 0;
    return acc;
  }

  /**
   * What the joint decides for a frame built as p* against state `built`, when the loop is in
   * state `actual`, and by how much (fp16 logits: winner minus runner-up).
   */
  #decide(pStar: Float64Array, built: TrackedState, actual: TrackedState): { token: number; margin: number } {
    const zA = this.#zA;
    for (let j = 0; j < zA.length; j++) {
      const v = pStar[j]! + actual.gA[j]! - built.gA[j]!;
      zA[j] = v > 0 ? v : 0;
    }
    const { logits, token } = this.#tracker.logits(zA, actual.cvec, this.#logits);
    let second = -Infinity;
    for (let v = 0; v < logits.length; v++) if (v !== token && logits[v]! > second) second = logits[v]!;
    return { token, margin: logits[token]! - second };
  }
}
