/**
 * `model.json`, the small description every model directory carries (docs/onnx-layout.md): token
 * ids, sizes, the symbols-per-frame cap, the frame duration and the file extension.
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

/** A parsed `model.json`. */
export interface ModelConfig {
  readonly format: string;
  readonly blankId: number;
  readonly eouId: number;
  readonly eobId: number | undefined;
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
  const blankId = id('blankId');
  const eouId = id('eouId');
  if (eouId === blankId) fail('eouId', `different from blankId ${blankId}`);
  const eobId = obj['eobId'] === undefined || obj['eobId'] === null ? undefined : id('eobId');
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
  return Object.freeze({
    format: format as string,
    blankId,
    eouId,
    eobId,
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
      maxSymbolsPerFrame: model.maxSymbolsPerFrame,
      predictionPolicy,
      ...overrides,
    },
    model.vocabSize,
  );
}
