/**
 * The loop's configuration: token ids, the symbols-per-frame cap and the two policies. Built once
 * with {@link createDecodeConfig}, which applies defaults and rejects mistakes with a
 * `TypeError`/`RangeError` naming the field, so the hot loop never re-checks anything.
 */
import { describe } from './describeValue';
import { eouPolicies, predictionPolicies, type EouPolicy, type PredictionPolicy } from './policies';

/** A validated, frozen loop configuration. */
export interface DecodeConfig {
  /** Blank id (1026 for Parakeet EOU; usually vocabSize - 1). */
  readonly blankId: number;
  /** End-of-utterance id (1024 for Parakeet EOU); undefined for a model without one (the zipformer family). */
  readonly eouId: number | undefined;
  /** End-of-block id if the model has one (1025); dropped from text by default. */
  readonly eobId: number | undefined;
  /**
   * An id decoded as blank: the row moves to the next frame, nothing is emitted, the state is kept.
   * sherpa-onnx's greedy search treats `<unk>` so (2 in k2-fsa's BPE token lists); undefined for
   * none (NeMo emits every non-blank id, Parakeet included).
   */
  readonly unkId: number | undefined;
  /** Cap on non-blank emissions per frame (2 for Parakeet EOU). */
  readonly maxSymbolsPerFrame: number;
  readonly eouPolicy: EouPolicy;
  readonly predictionPolicy: PredictionPolicy;
  /** Ids never rendered as text (EOU and blank never are, whatever this says). */
  readonly dropFromText: readonly number[];
  /**
   * The prediction-net context a start or reset restores (K ids, oldest first; -1 pads), or
   * undefined for the model's default: `[blankId]` for an LSTM net, `[-1, ..., -1, blankId]` for a
   * stateless one (what sherpa-onnx and icefall feed).
   */
  readonly startContext: readonly number[] | undefined;
}

/** What a caller passes to {@link createDecodeConfig}; omitted fields take the defaults. */
export interface DecodeConfigInput {
  blankId: number;
  /** Omit for a model without an end-of-utterance token. */
  eouId?: number | undefined;
  eobId?: number | undefined;
  /** Omit to emit every non-blank id (see {@link DecodeConfig.unkId}). */
  unkId?: number | undefined;
  /** Default 2. */
  maxSymbolsPerFrame?: number;
  /** Default `stop-chunk` (production). */
  eouPolicy?: EouPolicy;
  /** Default `recompute` (reference). */
  predictionPolicy?: PredictionPolicy;
  /** Default: `[eobId]` when `eobId` is set, else `[]`. */
  dropFromText?: readonly number[];
  /** Default: the model's (see {@link DecodeConfig.startContext}); its length must be the model's context size. */
  startContext?: readonly number[] | undefined;
}

/** Default symbols-per-frame cap, as shipped for Parakeet EOU. */
export const defaultMaxSymbolsPerFrame = 2;

/** The largest symbols-per-frame cap the loop accepts (a frame's emissions are bounded by it). */
export const maxSymbolsPerFrameLimit = 1000;

/** Defaults a model family brings to {@link createDecodeConfig}. */
export interface DecodeConfigDefaults {
  readonly maxSymbolsPerFrame?: number;
}

const knownFields = new Set([
  'blankId',
  'eouId',
  'eobId',
  'unkId',
  'maxSymbolsPerFrame',
  'eouPolicy',
  'predictionPolicy',
  'dropFromText',
  'startContext',
]);

/**
 * Validates `input`, fills in defaults and returns a frozen {@link DecodeConfig}.
 * @param input token ids and policies
 * @param vocabSize when given, every id must be below it
 * @param defaults what omitted fields default to instead of the Parakeet values (the decode
 *   entry points pass the model family's, e.g. `maxSymbolsPerFrame` 1 for a stateless model)
 * @throws TypeError for a field of the wrong type or an unknown field, RangeError for a value out
 *   of range; the message names the field (`config.maxSymbolsPerFrame must be ...`)
 */
export function createDecodeConfig(
  input: DecodeConfigInput,
  vocabSize?: number,
  defaults: DecodeConfigDefaults = {},
): DecodeConfig {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError(`config must be an object, got ${describe(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (!knownFields.has(key)) {
      throw new TypeError(
        `config.${key} is not a DecodeConfig field (known: ${[...knownFields].join(', ')})`,
      );
    }
  }
  const blankId = tokenId('blankId', input.blankId, vocabSize);
  const eouId = input.eouId === undefined ? undefined : tokenId('eouId', input.eouId, vocabSize);
  if (eouId === blankId)
    throw new RangeError(`config.eouId must differ from config.blankId, both are ${blankId}`);
  const eobId = input.eobId === undefined ? undefined : tokenId('eobId', input.eobId, vocabSize);
  if (eobId !== undefined && (eobId === blankId || eobId === eouId)) {
    throw new RangeError(`config.eobId must differ from config.blankId and config.eouId, got ${eobId}`);
  }
  const unkId = input.unkId === undefined ? undefined : tokenId('unkId', input.unkId, vocabSize);
  if (unkId !== undefined && (unkId === blankId || unkId === eouId || unkId === eobId)) {
    throw new RangeError(
      `config.unkId must differ from config.blankId, config.eouId and config.eobId, got ${unkId}`,
    );
  }
  const maxSymbolsPerFrame =
    input.maxSymbolsPerFrame ?? defaults.maxSymbolsPerFrame ?? defaultMaxSymbolsPerFrame;
  if (typeof maxSymbolsPerFrame !== 'number') {
    throw new TypeError(`config.maxSymbolsPerFrame must be a number, got ${describe(maxSymbolsPerFrame)}`);
  }
  if (
    !Number.isInteger(maxSymbolsPerFrame) ||
    maxSymbolsPerFrame < 1 ||
    maxSymbolsPerFrame > maxSymbolsPerFrameLimit
  ) {
    throw new RangeError(
      `config.maxSymbolsPerFrame must be an integer in 1..${maxSymbolsPerFrameLimit}, got ${maxSymbolsPerFrame}`,
    );
  }
  const eouPolicy = input.eouPolicy ?? 'stop-chunk';
  if (!eouPolicies.includes(eouPolicy)) {
    throw new RangeError(
      `config.eouPolicy must be one of ${eouPolicies.join(', ')}, got ${describe(eouPolicy)}`,
    );
  }
  const predictionPolicy = input.predictionPolicy ?? 'recompute';
  if (!predictionPolicies.includes(predictionPolicy)) {
    throw new RangeError(
      `config.predictionPolicy must be one of ${predictionPolicies.join(', ')}, got ${describe(predictionPolicy)}`,
    );
  }
  let dropFromText: readonly number[];
  if (input.dropFromText === undefined) {
    dropFromText = eobId === undefined ? [] : [eobId];
  } else {
    if (!Array.isArray(input.dropFromText)) {
      throw new TypeError(
        `config.dropFromText must be an array of token ids, got ${describe(input.dropFromText)}`,
      );
    }
    dropFromText = input.dropFromText.map((id: unknown, i: number) =>
      tokenId(`dropFromText[${i}]`, id, vocabSize),
    );
  }
  let startContext: readonly number[] | undefined;
  if (input.startContext !== undefined) {
    if (!Array.isArray(input.startContext) || input.startContext.length === 0) {
      throw new TypeError(
        `config.startContext must be a non-empty array of token ids (or -1), got ${Array.isArray(input.startContext) ? '[]' : describe(input.startContext)}`,
      );
    }
    startContext = Object.freeze(
      input.startContext.map((id: unknown, i: number) =>
        id === -1 ? -1 : tokenId(`startContext[${i}]`, id, vocabSize),
      ),
    );
  }
  return Object.freeze({
    blankId,
    eouId,
    eobId,
    unkId,
    maxSymbolsPerFrame,
    eouPolicy,
    predictionPolicy,
    dropFromText: Object.freeze([...dropFromText]),
    startContext,
  });
}

/**
 * Checks that a config's ids fit a model's vocabulary.
 * @throws RangeError naming the field
 */
export function checkConfigForVocab(config: DecodeConfig, vocabSize: number): void {
  tokenId('blankId', config.blankId, vocabSize);
  if (config.eouId !== undefined) tokenId('eouId', config.eouId, vocabSize);
  if (config.eobId !== undefined) tokenId('eobId', config.eobId, vocabSize);
  if (config.unkId !== undefined) tokenId('unkId', config.unkId, vocabSize);
  config.startContext?.forEach((id, i) => {
    if (id !== -1) tokenId(`startContext[${i}]`, id, vocabSize);
  });
}

function tokenId(field: string, value: unknown, vocabSize: number | undefined): number {
  if (typeof value !== 'number') {
    throw new TypeError(`config.${field} must be a token id (number), got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`config.${field} must be a non-negative integer, got ${value}`);
  }
  if (vocabSize !== undefined && value >= vocabSize) {
    throw new RangeError(`config.${field} must be below the model's vocabSize ${vocabSize}, got ${value}`);
  }
  return value;
}
