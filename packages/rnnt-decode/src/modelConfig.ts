/**
 * `model.json`, the small description every model directory carries (docs/onnx-layout.md): token
 * ids, sizes, the symbols-per-frame cap, the frame duration and the file extension; for the
 * sherpa-onnx / icefall family also the layout, the stateless prediction net (context size, start
 * context), the vocabulary file (`tokens.txt`) and variants declared by file.
 */
import {
  createDecodeConfig,
  maxSymbolsPerFrameLimit,
  type DecodeConfig,
  type DecodeConfigInput,
} from './decodeConfig';
import { describe } from './describeValue';
import type { PredictionPolicy } from './policies';
import { RnntDecodeError } from './rnntDecodeError';

/** The only `format` this version reads. */
export const modelConfigFormat = 'eou-model/1';

/**
 * Model-directory layouts. `eou`: model.json plus the Parakeet tensor contract
 * (docs/onnx-layout.md; LSTM prediction net). `sherpa-onnx`: the sherpa-onnx / icefall transducer
 * layout (`decoder*.onnx`, `joiner*.onnx`; stateless prediction net).
 */
export type ModelLayout = 'eou' | 'sherpa-onnx';

/** Model file extensions a directory may use. */
export type ModelExt = 'onnx' | 'mlmodelc' | 'mlpackage';

/**
 * Upper bounds of model.json's sizes: far above any speech model, low enough that a typo (`1e9`)
 * is refused here, naming the field, instead of failing as an allocation inside the loop.
 */
export const modelConfigLimits = {
  vocabSize: 1 << 20,
  dim: 1 << 16,
  maxSymbolsPerFrame: maxSymbolsPerFrameLimit,
  frameMs: 10_000,
} as const;

/**
 * The prediction net: an LSTM (the Parakeet contract: h, c and the last token), or a stateless net
 * over the last `contextSize` tokens whose start context is `startContext` (oldest first; -1 pads).
 */
export type PredictionNetConfig =
  | { readonly kind: 'lstm' }
  | { readonly kind: 'stateless'; readonly contextSize: number; readonly startContext: readonly number[] };

/** A parsed `model.json`. */
export interface ModelConfig {
  readonly format: string;
  /** Which built-in variants and file names apply (default `eou`). */
  readonly layout: ModelLayout;
  readonly blankId: number;
  /** Undefined for a model without an end-of-utterance token (end of utterance by endpoint rules). */
  readonly eouId: number | undefined;
  readonly eobId: number | undefined;
  /** An id decoded as blank (sherpa-onnx's `<unk>`); undefined for none. */
  readonly unkId: number | undefined;
  readonly vocabSize: number;
  /** LSTM hidden size H (= embedding size). */
  readonly hiddenSize: number;
  /** Encoder frame width E. */
  readonly encoderDim: number;
  /** Joint hidden size J (default H). */
  readonly jointDim: number;
  /** Top-k width of the joint's re-ranking head (default min(64, V)). */
  readonly topK: number;
  /** Default 2. */
  readonly maxSymbolsPerFrame: number;
  /** Milliseconds per encoder frame (default 80). */
  readonly frameMs: number;
  /** True when the graphs take a symbolic batch dim. */
  readonly batch: boolean;
  readonly producer: string | undefined;
  /** Extension of the model files (default `onnx`). */
  readonly ext: ModelExt;
  /** Default `{ kind: 'lstm' }`; `stateless` for the sherpa-onnx layout. */
  readonly predictionNet: PredictionNetConfig;
  /** The vocabulary file: `vocab.json` (default) or a sherpa-onnx `tokens.txt` (`piece id` lines). */
  readonly vocab: string;
  /** Variant declarations (`declareVariant` objects), parsed by the loader; default none. */
  readonly variants: readonly unknown[];
}

/**
 * Parses and validates `model.json` text.
 * @param json the file's text
 * @param file its name, for error messages
 * @throws RnntDecodeError `E_MODEL_CONFIG` naming the file and field, with expected vs actual
 */
export function parseModelConfig(json: string, file: string): ModelConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new RnntDecodeError('E_MODEL_CONFIG', `${file}: not valid JSON (${(error as Error).message})`, {
      file,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RnntDecodeError('E_MODEL_CONFIG', `${file}: expected a JSON object, got ${describe(value)}`, {
      file,
    });
  }
  const obj = value as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new RnntDecodeError(
      'E_MODEL_CONFIG',
      `${file}: \`${field}\` must be ${expected}, got ${describe(obj[field])}`,
      {
        file,
        field,
      },
    );
  };
  const int = (field: string, min: number, fallback?: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = obj[field];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      const floor = min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
      return fail(field, max === Number.MAX_SAFE_INTEGER ? floor : `an integer in ${min}..${max}`);
    }
    return v;
  };
  const { dim } = modelConfigLimits;
  const format = obj['format'];
  if (format !== modelConfigFormat) fail('format', `"${modelConfigFormat}"`);
  const vocabSize = int('vocabSize', 2, undefined, modelConfigLimits.vocabSize);
  const id = (field: string): number => {
    const v = int(field, 0);
    if (v >= vocabSize) fail(field, `below vocabSize ${vocabSize}`);
    return v;
  };
  const layout = obj['layout'] ?? 'eou';
  if (layout !== 'eou' && layout !== 'sherpa-onnx') fail('layout', 'one of "eou", "sherpa-onnx"');
  const blankId = id('blankId');
  // null or absent: no EOU token (the sherpa-onnx / icefall family ends utterances by endpoint rules).
  const eouId = obj['eouId'] === undefined || obj['eouId'] === null ? undefined : id('eouId');
  if (eouId === blankId) fail('eouId', `different from blankId ${blankId}`);
  const eobId = obj['eobId'] === undefined || obj['eobId'] === null ? undefined : id('eobId');
  const unkId = obj['unkId'] === undefined || obj['unkId'] === null ? undefined : id('unkId');
  if (unkId !== undefined && (unkId === blankId || unkId === eouId || unkId === eobId))
    fail('unkId', 'different from blankId, eouId and eobId');
  const hiddenSize = int('hiddenSize', 1, undefined, dim);
  const encoderDim = int('encoderDim', 1, undefined, dim);
  const jointDim = int('jointDim', 1, hiddenSize, dim);
  const topK = int('topK', 1, Math.min(64, vocabSize), vocabSize);
  const maxSymbolsPerFrame = int('maxSymbolsPerFrame', 1, 2, modelConfigLimits.maxSymbolsPerFrame);
  const frameMs = obj['frameMs'] ?? 80;
  if (typeof frameMs !== 'number' || !(frameMs > 0) || !(frameMs <= modelConfigLimits.frameMs))
    fail('frameMs', `a positive number up to ${modelConfigLimits.frameMs}`);
  const batch = obj['batch'] ?? false;
  if (typeof batch !== 'boolean') fail('batch', 'a boolean');
  const producer = obj['producer'];
  if (producer !== undefined && typeof producer !== 'string') fail('producer', 'a string');
  const ext = obj['ext'] ?? 'onnx';
  if (ext !== 'onnx' && ext !== 'mlmodelc' && ext !== 'mlpackage')
    fail('ext', 'one of "onnx", "mlmodelc", "mlpackage"');
  const predictionNet = parsePredictionNet(
    obj['predictionNet'],
    layout as ModelLayout,
    blankId,
    vocabSize,
    file,
  );
  const vocab = obj['vocab'] ?? 'vocab.json';
  if (typeof vocab !== 'string' || vocab === '' || /[\\/]/.test(vocab) || !/\.(json|txt)$/.test(vocab))
    fail('vocab', 'a file name in the model directory ending in .json or .txt');
  const declared = obj['variants'] ?? [];
  if (!Array.isArray(declared)) fail('variants', 'an array of variant declarations');
  return Object.freeze({
    format: format as string,
    layout: layout as ModelLayout,
    blankId,
    eouId,
    eobId,
    unkId,
    vocabSize,
    hiddenSize,
    encoderDim,
    jointDim,
    topK,
    maxSymbolsPerFrame,
    frameMs: frameMs as number,
    batch: batch as boolean,
    producer: producer as string | undefined,
    ext: ext as ModelExt,
    predictionNet,
    vocab: vocab as string,
    variants: Object.freeze([...(declared as unknown[])]),
  });
}

/** Reads `predictionNet`; a sherpa-onnx model defaults to a stateless net of context 2. */
function parsePredictionNet(
  value: unknown,
  layout: ModelLayout,
  blankId: number,
  vocabSize: number,
  file: string,
): PredictionNetConfig {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new RnntDecodeError(
      'E_MODEL_CONFIG',
      `${file}: \`predictionNet${field}\` must be ${expected}, got ${describe(got)}`,
      { file, field: `predictionNet${field}` },
    );
  };
  const v = value ?? (layout === 'sherpa-onnx' ? { kind: 'stateless', contextSize: 2 } : { kind: 'lstm' });
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('', 'an object', v);
  const o = v as Record<string, unknown>;
  if (o['kind'] === 'lstm') {
    if (layout === 'sherpa-onnx') fail('.kind', '"stateless" in the sherpa-onnx layout', o['kind']);
    return Object.freeze({ kind: 'lstm' });
  }
  if (o['kind'] !== 'stateless') return fail('.kind', '"lstm" or "stateless"', o['kind']);
  if (layout !== 'sherpa-onnx')
    fail('.kind', '"lstm" in the eou layout (set "layout": "sherpa-onnx")', o['kind']);
  const K = o['contextSize'];
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 1 || K > 64)
    fail('.contextSize', 'an integer in 1..64', K);
  const k = K as number;
  // sherpa-onnx's online greedy search (GetEmptyResult) and icefall start from [-1, ..., -1, blank];
  // sherpa-onnx's first, 2023 version filled the context with blanks, which the net scores otherwise.
  const start = o['startContext'] ?? [...new Array<number>(k - 1).fill(-1), blankId];
  if (!Array.isArray(start) || start.length !== k)
    fail('.startContext', `an array of contextSize ${k} token ids (or -1)`, start);
  (start as unknown[]).forEach((id, i) => {
    if (id !== -1 && (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize))
      fail(`.startContext[${i}]`, `-1 or a token id below vocabSize ${vocabSize}`, id);
  });
  return Object.freeze({
    kind: 'stateless',
    contextSize: k,
    startContext: Object.freeze([...(start as number[])]),
  });
}

/**
 * The loop configuration a model directory implies: its ids and cap, the given prediction policy
 * (a variant's), and any caller overrides (e.g. `eouPolicy: 'reset'` for the harness).
 */
export function decodeConfigFromModel(
  model: ModelConfig,
  predictionPolicy: PredictionPolicy = 'recompute',
  overrides: Partial<DecodeConfigInput> = {},
): DecodeConfig {
  return createDecodeConfig(
    {
      blankId: model.blankId,
      eouId: model.eouId,
      eobId: model.eobId,
      unkId: model.unkId,
      maxSymbolsPerFrame: model.maxSymbolsPerFrame,
      predictionPolicy,
      ...(model.predictionNet.kind === 'stateless' ? { startContext: model.predictionNet.startContext } : {}),
      ...overrides,
    },
    model.vocabSize,
  );
}
