/**
 * Fast exact-as-possible tracking of a synthetic model's decoder and joint, for the corpus
 * generator: the same math as the graphs (fp16 round trips included), but using the model's
 * structure (per-token input projections cached, low-rank recurrence, sparse token codes) so a
 * 2,620-file parakeet-shaped corpus takes seconds per hundred files rather than hours.
 */
import { fp16Round, fp16RoundInPlace } from '../reference/fp16';
import { sigmoid } from '../reference/math';
import type { SynthModel } from './synthModel';

/** One decoder state as the loop holds it: last token and the LSTM state before consuming it. */
export interface TrackedState {
  readonly last: number;
  readonly h: Float32Array;
  readonly c: Float32Array;
  /** Prediction-net output for this state (`decoder`): the LSTM run on `last` from (h, c). */
  readonly dec: Float32Array;
  /** LSTM outputs of that run: the state committed when the joint emits a token. */
  readonly hNext: Float32Array;
  readonly cNext: Float32Array;
  /** Joint pieces that depend on `dec`: gA = predWeight·dec on evidence units, cvec = logit biases. */
  readonly gA: Float64Array;
  readonly cvec: Float64Array;
}

/** Tracker bound to one model. Not thread-safe (keeps scratch buffers). */
export class SynthTracker {
  readonly #m: SynthModel;
  readonly #wx: (Float64Array | undefined)[];
  readonly #gates: Float64Array;
  readonly #s: Float64Array;

  constructor(model: SynthModel) {
    this.#m = model;
    this.#wx = new Array<Float64Array | undefined>(model.design.vocabSize);
    this.#gates = new Float64Array(4 * model.decoder.hiddenSize);
    this.#s = new Float64Array(model.design.rFactors.rank);
  }

  get model(): SynthModel {
    return this.#m;
  }

  /** W·embed[v] + Wb + Rb, cached per token. */
  #inputProjection(v: number): Float64Array {
    const cached = this.#wx[v];
    if (cached) return cached;
    const { hiddenSize: H, embed, W, B } = this.#m.decoder;
    const out = new Float64Array(4 * H);
    const x = embed.subarray(v * H, v * H + H);
    for (let g = 0; g < 4 * H; g++) {
      let acc = B[g]! + B[4 * H + g]!;
      const row = g * H;
      for (let k = 0; k < H; k++) acc += W[row + k]! * x[k]!;
      out[g] = acc;
    }
    this.#wx[v] = out;
    return out;
  }

  /** The state the loop starts from (and returns to after an EOU under the `reset` policy). */
  initial(): TrackedState {
    const H = this.#m.decoder.hiddenSize;
    return this.state(this.#m.design.blankId, new Float32Array(H), new Float32Array(H));
  }

  /** The state after emitting `token` from `s`. */
  emit(s: TrackedState, token: number): TrackedState {
    return this.state(token, s.hNext, s.cNext);
  }

  /** Builds a state: runs the LSTM on `last` from (h, c) and the joint's decoder-side pieces. */
  state(last: number, h: Float32Array, c: Float32Array): TrackedState {
    const { hiddenSize: H } = this.#m.decoder;
    const { scale, rank, sa, sb, rowMask } = this.#m.design.rFactors;
    const wx = this.#inputProjection(last);
    const s = this.#s;
    for (let q = 0; q < rank; q++) {
      let acc = 0;
      const row = q * H;
      for (let k = 0; k < H; k++) acc += sb[row + k]! * h[k]!;
      s[q] = acc;
    }
    const gates = this.#gates;
    for (let g = 0; g < 4 * H; g++) {
      let r = 0;
      if (rowMask[g]) {
        const row = g * rank;
        for (let q = 0; q < rank; q++) r += sa[row + q]! * s[q]!;
      }
      gates[g] = wx[g]! + scale * r;
    }
    const hNext = new Float32Array(H);
    const cNext = new Float32Array(H);
    for (let j = 0; j < H; j++) {
      const i = sigmoid(gates[j]!);
      const o = sigmoid(gates[H + j]!);
      const f = sigmoid(gates[2 * H + j]!);
      const cn = f * c[j]! + i * Math.tanh(gates[3 * H + j]!);
      cNext[j] = cn;
      hNext[j] = o * Math.tanh(cn);
    }
    fp16RoundInPlace(hNext);
    fp16RoundInPlace(cNext);
    const { gA, cvec } = this.jointPieces(hNext);
    return { last, h, c, dec: hNext, hNext, cNext, gA, cvec };
  }

  /** predWeight·dec + predBias on the evidence units, and each token's logit without evidence. */
  jointPieces(dec: Float32Array): { gA: Float64Array; cvec: Float64Array } {
    const {
      encoderDim: E,
      jointDim: J,
      hiddenSize: H,
      vocabSize: V,
      predWeight,
      predBias,
      outWeight,
      outBias,
    } = this.#m.joint;
    const gA = new Float64Array(E);
    for (let j = 0; j < E; j++) gA[j] = predWeight[j * H + j]! * dec[j]! + predBias[j]!;
    const zC = new Float64Array(J - E);
    for (let j = E; j < J; j++) {
      let acc = predBias[j]!;
      const row = j * H;
      for (let k = 0; k < H; k++) acc += predWeight[row + k]! * dec[k]!;
      // encWeight/encBias rows of these units are zero: only the prediction net drives them.
      zC[j - E] = acc > 0 ? acc : 0;
    }
    const cvec = new Float64Array(V);
    for (let v = 0; v < V; v++) {
      let acc = outBias[v]!;
      const row = v * J + E;
      for (let j = 0; j < J - E; j++) acc += outWeight[row + j]! * zC[j]!;
      cvec[v] = acc;
    }
    return { gA, cvec };
  }

  /**
   * Logits (fp16-rounded like the graph) for evidence activations `zA` [E] and decoder-side
   * `cvec`. Returns them and the first-maximum token.
   */
  logits(
    zA: Float64Array,
    cvec: Float64Array,
    out: Float64Array = new Float64Array(cvec.length),
  ): { logits: Float64Array; token: number } {
    const { codes, blankId } = this.#m.design;
    let best = 0;
    for (let v = 0; v < cvec.length; v++) {
      let acc = cvec[v]!;
      if (v !== blankId) for (const j of codes[v]!) acc += zA[j]!;
      out[v] = acc;
    }
    fp16RoundInPlaceF64(out);
    for (let v = 1; v < out.length; v++) if (out[v]! > out[best]!) best = v;
    return { logits: out, token: best };
  }
}

function fp16RoundInPlaceF64(a: Float64Array): void {
  // The graph's logits are float32, then cast to fp16: fp16Round goes through float32 too.
  for (let i = 0; i < a.length; i++) a[i] = fp16Round(a[i]!);
}
