/**
 * Loop settings shared by both parity modes, with the research harness's defaults
 * (docs/reference-system.md §2.3: at most 2 symbols per frame; EOU is recorded, the state reset and the
 * loop goes on with the next frame).
 */

export interface ParityConfig {
  readonly blankId: number;
  readonly eouId: number;
  /** Default 2. */
  readonly maxSymbolsPerFrame?: number;
  /** `reset` (harness, default) or `stop-chunk` (production: drop EOU, stop the utterance's remaining frames). */
  readonly eouPolicy?: 'reset' | 'stop-chunk';
  /** V, for the loop's token checks. Default max(blankId, eouId) + 1. */
  readonly vocabSize?: number;
}

/** A config with defaults applied. */
export interface ResolvedParityConfig {
  readonly blankId: number;
  readonly eouId: number;
  readonly maxSymbolsPerFrame: number;
  readonly eouPolicy: 'reset' | 'stop-chunk';
  readonly vocabSize: number;
}

/**
 * Applies defaults and checks the fields.
 * @throws RangeError naming the field.
 */
export function resolveParityConfig(config: ParityConfig): ResolvedParityConfig {
  const maxSymbolsPerFrame = config.maxSymbolsPerFrame ?? 2;
  for (const [field, v] of Object.entries({ blankId: config.blankId, eouId: config.eouId })) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`config.${field} must be a non-negative integer, got ${String(v)}`);
  }
  if (!Number.isInteger(maxSymbolsPerFrame) || maxSymbolsPerFrame < 1) {
    throw new RangeError(
      `config.maxSymbolsPerFrame must be a positive integer, got ${String(maxSymbolsPerFrame)}`,
    );
  }
  const eouPolicy = config.eouPolicy ?? 'reset';
  if (eouPolicy !== 'reset' && eouPolicy !== 'stop-chunk')
    throw new RangeError(`config.eouPolicy must be 'reset' or 'stop-chunk', got ${String(eouPolicy)}`);
  const vocabSize = config.vocabSize ?? Math.max(config.blankId, config.eouId) + 1;
  if (!Number.isInteger(vocabSize) || vocabSize <= Math.max(config.blankId, config.eouId)) {
    throw new RangeError(
      `config.vocabSize must be an integer above blankId and eouId, got ${String(vocabSize)}`,
    );
  }
  return { blankId: config.blankId, eouId: config.eouId, maxSymbolsPerFrame, eouPolicy, vocabSize };
}
