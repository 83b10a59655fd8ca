/**
 * Synthetic parakeet-shaped models that behave like trained ones under a matching corpus
 * (`synthCorpus.ts`). See the package README, "Synthetic models", for the construction; in short:
 *
 * - Joint hidden units 0..E-1 are token evidence, driven one-to-one by the encoder frame through
 *   `encWeight = c * Hadamard * signs` (exactly invertible, every entry ±c, exact in fp16); units
 *   E..J-1 are driven by the prediction net only (a small language-model-like bias).
 * - Every non-blank token has a K-sparse binary code over the evidence units (`outWeight` rows);
 *   tokens come in confusable pairs sharing K-1 units.
 * - The LSTM's gates are saturated so its output carries `rho * code(last token)` on units 0..E-1,
 *   and `predWeight` maps that to `-kappa * code(last)`: once a token is emitted its own evidence
 *   is cancelled and the joint says blank, like a trained transducer.
 *
 * All weights are exactly representable in fp16 (sign matrices times powers of two, or rounded).
 */
import type { DecoderWeights, JointWeights } from '../canonical/weights';
import { fp16RoundInPlace, fromFloat16Array, toFloat16Array } from '../reference/fp16';
import { hadamardSign, isPowerOfTwo } from './hadamard';
import { Random } from './random';
import type { SynthShape, SynthShapeName } from './synthShapes';
import { synthShape } from './synthShapes';
import { synthPieces } from './synthVocab';

/** Decision-margin presets (logit units) for frames that are not deliberately low-margin. */
export type SynthMargin = 'high' | 'low' | number;

/** Options of {@link createSynthModel}. */
export interface SynthModelOptions {
  readonly shape?: SynthShapeName;
  readonly seed?: number;
  readonly margin?: SynthMargin;
  readonly batch?: boolean;
}

/** Gate pre-activation bias that saturates the input/output gates (and closes the forget gate). */
const GATE_BIAS = 6;
/** LSTM output level on a token's code units. */
export const RHO = 0.5;
/** Cancellation strength: predWeight diagonal is -KAPPA/RHO. */
export const KAPPA = 8;
/** Blank logit bias. */
export const BLANK_BIAS = 8;
/** Rank of the recurrent weights (R = cR * SA * SB, exact in fp16). */
const R_RANK = 4;
const R_SCALE = 2 ** -7;

/** Everything the corpus generator needs beyond the weights. */
export interface SynthDesign {
  readonly shape: SynthShape;
  readonly seed: number;
  /** Margin target of ordinary emission frames, in logit units. */
  readonly margin: number;
  /** Original margin option, for model.json. */
  readonly marginOption: SynthMargin;
  readonly vocabSize: number;
  readonly blankId: number;
  readonly eouId: number;
  readonly eobId: number;
  /** Code units of each non-blank token (ascending). */
  readonly codes: readonly Int32Array[];
  /** Partner token of each non-blank token, or -1. */
  readonly partner: Int32Array;
  /** The unit a token has and its partner lacks, or -1. */
  readonly exclusive: Int32Array;
  /** Encoder projection scale c: encWeight[i][j] = c * H[i][j] * encSigns[j]. */
  readonly encScale: number;
  readonly encSigns: Float64Array;
  /** Low-rank factors of R: R[g][k] = R_SCALE * sum_r SA[g][r] * SB[r][k] * rowMask[g]. */
  readonly rFactors: {
    readonly scale: number;
    readonly rank: number;
    readonly sa: Int8Array;
    readonly sb: Int8Array;
    readonly rowMask: Uint8Array;
  };
  /** Text pieces (ids 0..textVocab-1). */
  readonly pieces: readonly string[];
}

/** A synthetic model: weights, design, vocab and model.json contents. */
export interface SynthModel {
  readonly design: SynthDesign;
  readonly decoder: DecoderWeights;
  readonly joint: JointWeights;
  /** vocab.json object: id -> piece (text pieces, `<EOU>`, `<EOB>`). */
  readonly vocab: Readonly<Record<string, string>>;
  /** model.json object. */
  readonly modelJson: Readonly<Record<string, unknown>>;
}

/** Margin value of a preset. */
export function resolveMargin(margin: SynthMargin): number {
  if (margin === 'high') return 4;
  if (margin === 'low') return 0.03;
  if (typeof margin !== 'number' || !(margin > 0) || !Number.isFinite(margin)) {
    throw new RangeError(`margin must be 'high', 'low' or a positive number, got ${String(margin)}`);
  }
  return margin;
}

function pow2Near(x: number): number {
  return 2 ** Math.round(Math.log2(x));
}

function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}

/** Token codes: confusable pairs sharing K-1 units, other tokens overlapping in at most maxOverlap. */
function makeCodes(
  shape: SynthShape,
  r: Random,
): { codes: Int32Array[]; partner: Int32Array; exclusive: Int32Array } {
  const T = shape.textVocab;
  const n = T + 2; // text pieces, EOU, EOB
  const E = shape.encoderDim;
  const K = shape.codeSize;
  const codes: Int32Array[] = new Array<Int32Array>(n);
  const partner = new Int32Array(n).fill(-1);
  const exclusive = new Int32Array(n).fill(-1);
  const placed: Int32Array[] = [];
  const fits = (c: Int32Array): boolean => placed.every((p) => overlap(p, c) <= shape.maxOverlap);
  const pick = (count: number): number[] => {
    const dims = new Set<number>();
    while (dims.size < count) dims.add(r.int(E));
    return [...dims];
  };
  const groups: number[][] = [];
  for (let t = 0; t + 1 < T; t += 2) groups.push([t, t + 1]);
  if (T % 2 === 1) groups.push([T - 1]);
  groups.push([T, T + 1]); // EOU and EOB are partners
  for (const g of groups) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 10000)
        throw new Error(
          `synthetic shape ${shape.name}: cannot place token codes (E too small for the vocabulary)`,
        );
      if (g.length === 1) {
        const c = Int32Array.from(pick(K)).sort();
        if (!fits(c)) continue;
        codes[g[0]!] = c;
        placed.push(c);
        break;
      }
      const dims = pick(K + 1);
      const shared = dims.slice(0, K - 1);
      const ca = Int32Array.from([...shared, dims[K - 1]!]).sort();
      const cb = Int32Array.from([...shared, dims[K]!]).sort();
      if (!fits(ca) || !fits(cb)) continue;
      const [a, b] = g as [number, number];
      codes[a] = ca;
      codes[b] = cb;
      partner[a] = b;
      partner[b] = a;
      exclusive[a] = dims[K - 1]!;
      exclusive[b] = dims[K]!;
      placed.push(ca, cb);
      break;
    }
  }
  return { codes, partner, exclusive };
}

/** Builds the synthetic model for a shape and seed (deterministic). */
export function createSynthModel(options: SynthModelOptions = {}): SynthModel {
  const shape = synthShape(options.shape ?? 'parakeet-eou');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  const marginOption = options.margin ?? 'high';
  const margin = resolveMargin(marginOption);
  const { hiddenSize: H, encoderDim: E, jointDim: J, textVocab: T, cellBlock: CB } = shape;
  if (!isPowerOfTwo(E) || !isPowerOfTwo(CB) || H % CB !== 0 || E % CB !== 0 || E > H || E > J) {
    throw new RangeError(`synthetic shape ${shape.name}: inconsistent dims`);
  }
  const V = T + 3;
  const blankId = V - 1;
  const eouId = T;
  const eobId = T + 1;
  const root = new Random(seed);
  const rCodes = root.fork(1);
  const rDec = root.fork(2);
  const rJoint = root.fork(3);
  const { codes, partner, exclusive } = makeCodes(shape, rCodes);

  // --- decoder -------------------------------------------------------------------------------
  const sigma = 1 / (1 + Math.exp(-GATE_BIAS));
  const codeLevel = Math.atanh(Math.atanh(RHO / sigma) / sigma);
  const cellScale = pow2Near(1.4 / Math.sqrt(CB));
  const cellSigns = Float64Array.from({ length: H }, () => (rDec.next() < 0.5 ? -1 : 1));
  const cellBias = new Float64Array(H);
  for (let j = E; j < H; j++) cellBias[j] = rDec.uniform(-0.2, 0.2);
  // Embedding rows solve W_c x = target - b_c, W_c = cellScale * blockHadamard * signs.
  const embed = new Float32Array(V * H);
  const target = new Float64Array(H);
  for (let v = 0; v < V; v++) {
    if (v === blankId) continue; // blank-as-pad: a zero row, like NeMo
    target.fill(0);
    for (const j of codes[v]!) target[j] = codeLevel;
    for (let j = E; j < H; j++) target[j] = rDec.uniform(-1, 1);
    for (let b = 0; b < H; b += CB) {
      for (let i = 0; i < CB; i++) {
        let acc = 0;
        for (let k = 0; k < CB; k++) acc += hadamardSign(i, k) * target[b + k]!;
        embed[v * H + b + i] = (cellSigns[b + i]! * acc) / (cellScale * CB);
      }
    }
  }
  fp16RoundInPlace(embed);
  const W = new Float32Array(4 * H * H);
  for (let g = 0; g < 3 * H; g++) for (let k = 0; k < H; k++) W[g * H + k] = rDec.uniform(-0.02, 0.02);
  for (let i = 0; i < H; i++) {
    const b = i - (i % CB);
    for (let k = b; k < b + CB; k++)
      W[(3 * H + i) * H + k] = cellScale * hadamardSign(i - b, k - b) * cellSigns[k]!;
  }
  fp16RoundInPlace(W);
  // R = R_SCALE * SA * SB on every gate row except the cell gate's code units (no history there).
  const sa = Int8Array.from({ length: 4 * H * R_RANK }, () => (rDec.next() < 0.5 ? -1 : 1));
  const sb = Int8Array.from({ length: R_RANK * H }, () => (rDec.next() < 0.5 ? -1 : 1));
  const rowMask = new Uint8Array(4 * H).fill(1);
  for (let j = 0; j < E; j++) rowMask[3 * H + j] = 0;
  const R = new Float32Array(4 * H * H);
  for (let g = 0; g < 4 * H; g++) {
    if (!rowMask[g]) continue;
    for (let k = 0; k < H; k++) {
      let acc = 0;
      for (let q = 0; q < R_RANK; q++) acc += sa[g * R_RANK + q]! * sb[q * H + k]!;
      R[g * H + k] = R_SCALE * acc;
    }
  }
  // Bias: ONNX gate blocks i, o, f, c; Wb carries the design, Rb a little noise.
  const B = new Float32Array(8 * H);
  for (let g = 0; g < 3 * H; g++) B[4 * H + g] = rDec.uniform(-0.05, 0.05);
  fp16RoundInPlace(B);
  for (let j = 0; j < H; j++) {
    B[j] = GATE_BIAS - B[4 * H + j]!; // input gate
    B[H + j] = GATE_BIAS - B[5 * H + j]!; // output gate
    B[2 * H + j] = -GATE_BIAS - B[6 * H + j]!; // forget gate
    B[3 * H + j] = cellBias[j]!;
  }
  fp16RoundInPlace(B);
  const decoder: DecoderWeights = { vocabSize: V, hiddenSize: H, embed, W, R, B };

  // --- joint ---------------------------------------------------------------------------------
  const encScale = pow2Near(2.83 / Math.sqrt(E));
  const encSigns = Float64Array.from({ length: E }, () => (rJoint.next() < 0.5 ? -1 : 1));
  const encWeight = new Float32Array(J * E);
  for (let i = 0; i < E; i++)
    for (let k = 0; k < E; k++) encWeight[i * E + k] = encScale * hadamardSign(i, k) * encSigns[k]!;
  const encBias = new Float32Array(J);
  for (let i = 0; i < E; i++) encBias[i] = -(KAPPA + 1) + rJoint.uniform(-0.25, 0.25);
  const predWeight = new Float32Array(J * H);
  for (let i = 0; i < E; i++) predWeight[i * H + i] = -KAPPA / RHO;
  const predScale = pow2Near(0.75 / Math.sqrt(H));
  for (let i = E; i < J; i++)
    for (let k = 0; k < H; k++) predWeight[i * H + k] = rJoint.next() < 0.5 ? -predScale : predScale;
  const predBias = new Float32Array(J);
  for (let i = E; i < J; i++) predBias[i] = rJoint.uniform(-0.1, 0.1);
  const outWeight = new Float32Array(V * J);
  for (let v = 0; v < V; v++) {
    if (v !== blankId) for (const j of codes[v]!) outWeight[v * J + j] = 1;
    for (let j = E; j < J; j++) outWeight[v * J + j] = rJoint.uniform(-0.25, 0.25);
  }
  const outBias = new Float32Array(V);
  for (let v = 0; v < V; v++) outBias[v] = v === blankId ? BLANK_BIAS : rJoint.uniform(-0.5, 0.5);
  const joint: JointWeights = {
    vocabSize: V,
    hiddenSize: H,
    encoderDim: E,
    jointDim: J,
    encWeight,
    encBias,
    predWeight,
    predBias,
    outWeight,
    outBias,
  };
  for (const a of [encBias, predBias, outWeight, outBias]) fp16RoundInPlace(a);

  const pieces = synthPieces(T);
  const vocab: Record<string, string> = {};
  pieces.forEach((p, i) => (vocab[String(i)] = p));
  vocab[String(eouId)] = '<EOU>';
  vocab[String(eobId)] = '<EOB>';
  const design: SynthDesign = {
    shape,
    seed,
    margin,
    marginOption,
    vocabSize: V,
    blankId,
    eouId,
    eobId,
    codes,
    partner,
    exclusive,
    encScale,
    encSigns,
    rFactors: { scale: R_SCALE, rank: R_RANK, sa, sb, rowMask },
    pieces,
  };
  const modelJson = {
    format: 'eou-model/1',
    blankId,
    eouId,
    eobId,
    vocabSize: V,
    hiddenSize: H,
    encoderDim: E,
    jointDim: J,
    topK: Math.min(64, V),
    maxSymbolsPerFrame: 2,
    frameMs: 80,
    batch: options.batch ?? false,
    producer: 'eou synth-model',
    ext: 'onnx',
    synth: { generator: 'eou-synth/1', shape: shape.name, seed, margin: marginOption },
  };
  return { design, decoder, joint, vocab, modelJson };
}

/** Round-trips fp16 weights (exact for these models; used by tests). */
export function fp16Exact(a: Float32Array): boolean {
  const back = fromFloat16Array(toFloat16Array(a));
  for (let i = 0; i < a.length; i++) if (!Object.is(back[i], a[i])) return false;
  return true;
}
