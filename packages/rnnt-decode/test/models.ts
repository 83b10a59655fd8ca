/**
 * Test models. A "hash model" is a deterministic, state-dependent toy RNNT whose arithmetic is
 * exact in float32 (small integers), exposed through every port kind (split, fused, projected,
 * stateless), sync or async, batch-capable. Its scalar functions (`predictRow`, `predictContextRow`,
 * `decideRow`) are what the obviously-correct reference loops in the tests call directly.
 */
import type {
  AnyStepModel,
  FusedOutput,
  FusedStepModel,
  JointOutput,
  PredictionOutput,
  ProjectedStepModel,
  SplitStepModel,
  StatelessStepModel,
  StepModel,
} from '../src/stepModels';

export const H = 2;
export const E = 2;
export const J = 2;

export interface HashParams {
  /** Text tokens 0..textVocab-1; eou = textVocab, eob = textVocab+1, blank = textVocab+2. */
  textVocab: number;
  /** Per-mille chance of blank / EOU / EOB decisions. */
  blankRate: number;
  eouRate: number;
  eobRate: number;
  /** Multipliers that vary the hash. */
  a: number;
  b: number;
}

export function ids(p: HashParams): { eouId: number; eobId: number; blankId: number; vocabSize: number } {
  return { eouId: p.textVocab, eobId: p.textVocab + 1, blankId: p.textVocab + 2, vocabSize: p.textVocab + 3 };
}

/** Prediction net: [decoderOut(H), h'(H), c'(H)] from (last, h, c). */
export function predictRow(
  p: HashParams,
  last: number,
  h: readonly number[],
  c: readonly number[],
): number[][] {
  const h0 = (h[0]! * p.a + last * 13 + c[0]! + 1) % 8191;
  const h1 = (h[1]! + 1) % 8191;
  const c0 = (c[0]! * 3 + h[0]! + last) % 4093;
  const c1 = (c[1]! + last) % 4093;
  return [
    [(h0 * 5 + c0) % 8191, h1],
    [h0, h1],
    [c0, c1],
  ];
}

/**
 * Stateless prediction net: decoderOut(H) from the last K tokens (oldest first; -1 pads). Every
 * token and its position count, so a wrong shift or start context changes the output.
 */
export function predictContextRow(p: HashParams, context: readonly number[]): number[] {
  let d0 = p.a;
  let d1 = 0;
  for (let i = 0; i < context.length; i++) {
    d0 = (d0 * 31 + (context[i]! + 2) * (i + 1)) % 8191;
    d1 = (d1 * 7 + context[i]! + 2) % 8191;
  }
  return [d0, d1];
}

/** The start context sherpa-onnx and icefall use: K-1 times -1, then blank. */
export function startContext(p: HashParams, contextSize: number): number[] {
  return [...Array.from({ length: contextSize - 1 }, () => -1), ids(p).blankId];
}

/** Encoder projection of one frame. */
export function projectRow(p: HashParams, enc: readonly number[]): number[] {
  return [(enc[0]! * 3 + enc[1]! * p.b) % 8191, enc[1]! % 8191];
}

/** Joint after projection: [token, prob]. */
export function jointProjectedRow(
  p: HashParams,
  encP: readonly number[],
  decP: readonly number[],
): [number, number] {
  const x = (encP[0]! * 31 + decP[0]! * 17 + decP[1]! * 3 + encP[1]!) % 1000;
  const prob = Math.fround((x % 97) / 97);
  const v = ids(p);
  if (x < p.blankRate) return [v.blankId, prob];
  if (x < p.blankRate + p.eouRate) return [v.eouId, prob];
  if (x < p.blankRate + p.eouRate + p.eobRate) return [v.eobId, prob];
  return [x % p.textVocab, prob];
}

/** Full decision of one step: token and prob from (enc frame, last, h, c). */
export function decideRow(
  p: HashParams,
  enc: readonly number[],
  decoderOut: readonly number[],
): [number, number] {
  return jointProjectedRow(p, projectRow(p, enc), decoderOut);
}

/** The LSTM kinds (what the original tests sweep). */
export type Kind = 'split' | 'fused' | 'projected';

/** Every kind, the stateless one included. */
export type AnyKind = Kind | 'stateless';

export interface ModelOptions {
  kind: Kind;
  sync: boolean;
  maxBatch?: number;
  /** Overrides the token the joint returns (for bad-model tests). */
  corruptToken?: number;
}

/** Options of the stateless hash model. */
export interface StatelessModelOptions extends Omit<ModelOptions, 'kind'> {
  kind: 'stateless';
  /** Tokens of context (default 2). */
  contextSize?: number;
}

function row(a: ArrayLike<number>, r: number, w: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < w; i++) out.push(a[r * w + i]!);
  return out;
}

function predictInto(
  p: HashParams,
  tokens: Int32Array,
  h: Float32Array,
  c: Float32Array,
  out: PredictionOutput,
): void {
  for (let r = 0; r < tokens.length; r++) {
    const [d, h2, c2] = predictRow(p, tokens[r]!, row(h, r, H), row(c, r, H));
    for (let i = 0; i < H; i++) {
      out.decoder[r * H + i] = d![i]!;
      out.h[r * H + i] = h2![i]!;
      out.c[r * H + i] = c2![i]!;
    }
  }
}

function jointInto(
  p: HashParams,
  encP: (r: number) => number[],
  dec: Float32Array,
  rows: number,
  out: JointOutput,
  corrupt?: number,
): void {
  for (let r = 0; r < rows; r++) {
    const [tok, prob] = jointProjectedRow(p, encP(r), row(dec, r, J));
    out.tokens[r] = corrupt ?? tok;
    out.probs[r] = prob;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Wraps a sync body so the async model writes its outputs only after yielding. */
function maybeAsync(sync: boolean, body: () => void): void | Promise<void> {
  if (sync) return body();
  return (Math.random() < 0.02 ? tick() : Promise.resolve()).then(body);
}

/** The hash model through the requested port. */
export function hashModel(p: HashParams, options: ModelOptions): StepModel;
export function hashModel(p: HashParams, options: StatelessModelOptions): StatelessStepModel;
export function hashModel(p: HashParams, options: ModelOptions | StatelessModelOptions): AnyStepModel;
export function hashModel(p: HashParams, options: ModelOptions | StatelessModelOptions): AnyStepModel {
  const { kind, sync } = options;
  const base = {
    hiddenSize: H,
    encoderDim: E,
    vocabSize: ids(p).vocabSize,
    maxBatch: options.maxBatch ?? 1,
    isSync: sync,
  };
  if (kind === 'split') {
    const model: SplitStepModel = {
      ...base,
      kind,
      predict: (tokens, h, c, out) => maybeAsync(sync, () => predictInto(p, tokens, h, c, out)),
      joint: (enc, dec, out) =>
        maybeAsync(sync, () =>
          jointInto(
            p,
            (r) => projectRow(p, row(enc, r, E)),
            dec,
            out.tokens.length,
            out,
            options.corruptToken,
          ),
        ),
    };
    return model;
  }
  if (kind === 'fused') {
    const scratch = { decoder: new Float32Array(0), h: new Float32Array(0), c: new Float32Array(0) };
    const model: FusedStepModel = {
      ...base,
      kind,
      step: (tokens, h, c, enc, out: FusedOutput) =>
        maybeAsync(sync, () => {
          const rows = tokens.length;
          if (scratch.decoder.length !== rows * H) scratch.decoder = new Float32Array(rows * H);
          predictInto(p, tokens, h, c, { decoder: scratch.decoder, h: out.h, c: out.c });
          jointInto(
            p,
            (r) => projectRow(p, row(enc, r, E)),
            scratch.decoder,
            rows,
            out,
            options.corruptToken,
          );
        }),
    };
    return model;
  }
  if (options.kind === 'stateless') {
    const K = options.contextSize ?? 2;
    const model: StatelessStepModel = {
      ...base,
      kind: 'stateless',
      contextSize: K,
      predict: (contexts, out) =>
        maybeAsync(sync, () => {
          for (let r = 0; r < contexts.length / K; r++) {
            const d = predictContextRow(p, Array.from(contexts.subarray(r * K, (r + 1) * K)));
            for (let i = 0; i < H; i++) out[r * H + i] = d[i]!;
          }
        }),
      joint: (enc, dec, out) =>
        maybeAsync(sync, () =>
          jointInto(
            p,
            (r) => projectRow(p, row(enc, r, E)),
            dec,
            out.tokens.length,
            out,
            options.corruptToken,
          ),
        ),
    };
    return model;
  }
  const model: ProjectedStepModel = {
    ...base,
    kind: 'projected',
    jointDim: J,
    projectEncoder: (frames, frameCount, out) =>
      maybeAsync(sync, () => {
        for (let t = 0; t < frameCount; t++) {
          const pr = projectRow(p, row(frames, t, E));
          for (let i = 0; i < J; i++) out[t * J + i] = pr[i]!;
        }
      }),
    predict: (tokens, h, c, out) => maybeAsync(sync, () => predictInto(p, tokens, h, c, out)),
    jointProjected: (encP, decP, out) =>
      maybeAsync(sync, () =>
        jointInto(p, (r) => row(encP, r, J), decP, out.tokens.length, out, options.corruptToken),
      ),
  };
  return model;
}

/** Random-ish encoder frames [n*E]: small integers, frame id in column 0. */
export function makeFrames(n: number, seed: number): Float32Array {
  const f = new Float32Array(n * E);
  let s = seed >>> 0;
  for (let t = 0; t < n; t++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    f[t * E] = t + 1;
    f[t * E + 1] = (s >>> 8) % 1000;
  }
  return f;
}

/**
 * A call-order script model: the joint's k-th call returns `script[k]` (blank when exhausted).
 * Its prediction net adds 1 to h and c and records the token it was fed, so tests can see which
 * state each step started from. Single-row only.
 */
export function scriptModel(
  script: readonly number[],
  vocabSize: number,
  blankId: number,
  kind: AnyKind = 'split',
  sync = true,
): AnyStepModel & { fedTokens: number[]; fedContexts: number[][] } {
  let k = 0;
  const fedTokens: number[] = [];
  /** Stateless kind: each context the prediction net was fed. */
  const fedContexts: number[][] = [];
  const next = (out: JointOutput): void => {
    out.tokens[0] = k < script.length ? script[k]! : blankId;
    out.probs[0] = 0.5;
    k++;
  };
  const pred = (
    tokens: Int32Array,
    h: Float32Array,
    c: Float32Array,
    out: { h: Float32Array; c: Float32Array },
  ): void => {
    fedTokens.push(tokens[0]!);
    for (let i = 0; i < H; i++) {
      out.h[i] = h[i]! + 1;
      out.c[i] = c[i]! + 1;
    }
  };
  const base = { hiddenSize: H, encoderDim: E, vocabSize, maxBatch: 1, isSync: sync, fedTokens, fedContexts };
  if (kind === 'stateless') {
    return {
      ...base,
      kind,
      contextSize: 2,
      predict: (contexts, out) =>
        maybeAsync(sync, () => {
          fedContexts.push(Array.from(contexts));
          fedTokens.push(contexts[contexts.length - 1]!);
          out.fill(fedContexts.length);
        }),
      joint: (_enc, _dec, out) => maybeAsync(sync, () => next(out)),
    };
  }
  if (kind === 'fused') {
    return {
      ...base,
      kind,
      step: (tokens, h, c, _enc, out) =>
        maybeAsync(sync, () => {
          pred(tokens, h, c, out);
          next(out);
        }),
    };
  }
  if (kind === 'split') {
    return {
      ...base,
      kind,
      predict: (tokens, h, c, out) => maybeAsync(sync, () => pred(tokens, h, c, out)),
      joint: (_enc, _dec, out) => maybeAsync(sync, () => next(out)),
    };
  }
  return {
    ...base,
    kind,
    jointDim: J,
    projectEncoder: () => maybeAsync(sync, () => undefined),
    predict: (tokens, h, c, out) => maybeAsync(sync, () => pred(tokens, h, c, out)),
    jointProjected: (_e, _d, out) => maybeAsync(sync, () => next(out)),
  };
}
