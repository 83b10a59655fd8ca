/**
 * The gate's settings: what a run compares and how it judges, with the defaults of `eou wer-gate`.
 * Everything here that affects a file's result goes into the results log's settings hash, so a log is
 * only ever resumed or merged by a run that would have written the same lines.
 */
import os from 'node:os';
import { eouPolicies, type EouPolicy } from '@eou/rnnt-decode';
import { defaultGateRules, normalizerNames, type GateRule, type NormalizerName } from '@eou/wer';
import { resolveEouDetector, type EouDetectorInput } from './eouDetectorSpec';
import { isVariantName, knownVariants } from './variantFiles';

/** A resolved set of settings: every field present. */
export interface GateSettings {
  readonly modelDir: string;
  readonly dataDir: string;
  /** The reference variant (default `ref`). */
  readonly reference: string;
  /** Candidate variants, in report order. */
  readonly candidates: readonly string[];
  /** The verdict's rules (default: `deltaWerPp <= 0.1`, `blowups == 0` for every candidate). */
  readonly rules: readonly GateRule[];
  /** A blowup is a file whose errors exceed the reference's by more than this share of its words (default 0.2). */
  readonly blowupFraction: number;
  /** How reference and hypothesis texts are normalised before scoring (default `harness`). */
  readonly normalizer: NormalizerName;
  /** EOU policy of every variant's loop (default `reset`, the research harness). */
  readonly eouPolicy: EouPolicy;
  /** Decode only the first N manifest entries (before sharding). */
  readonly maxFiles?: number;
  /** Files that cannot be decoded before the verdict fails (default 0). */
  readonly maxFailedFiles: number;
  /**
   * The end-of-utterance detector replayed for EOU timing (default: the 1280 ms debounce, current
   * semantics, for a model with an `<EOU>` token; the endpoint rules otherwise).
   */
  readonly eouDetector?: EouDetectorInput;
  /**
   * Add the default EOU rules (`eouLatencyP90DeltaMs <= 40`, `earlyCutRateDeltaPp <= 0.5`,
   * `missedEouRateDeltaPp <= 0.5`) when the corpus knows its ends of speech (default true).
   */
  readonly defaultEouRules?: boolean;
  /**
   * Audio ms the EOU detector keeps listening (to assumed silence) after each file ends (default
   * 3000): corpus files end soon after their speech, a host's microphone does not.
   */
  readonly eouListenMs?: number;
  /**
   * Reset the decoder when the EOU detector confirms, as a host that starts every utterance afresh
   * does (default false, as the seed's host; sherpa-onnx resets after an endpoint).
   */
  readonly resetOnEndOfUtterance?: boolean;
}

/** Settings as a caller gives them: `modelDir`, `dataDir` and `candidates`, the rest defaulted. */
export type GateSettingsInput = Pick<GateSettings, 'modelDir' | 'dataDir' | 'candidates'> &
  Partial<Omit<GateSettings, 'modelDir' | 'dataDir' | 'candidates'>>;

/** The defaults of every optional setting (those of `eou wer-gate`). */
export const gateDefaults = {
  reference: 'ref',
  rules: defaultGateRules,
  blowupFraction: 0.2,
  normalizer: 'harness',
  eouPolicy: 'reset',
  maxFailedFiles: 0,
  eouListenMs: 3000,
} as const satisfies Partial<GateSettings>;

/**
 * Rows decoded in lock step when no batch is asked for (`runGate({ batch })`, `eou wer-gate --batch`),
 * chosen from the gate benchmark's per-file cost curve (packages/gate/README.md).
 */
export const defaultBatch = 16;

/** Decode worker threads when none are asked for: one per core, at most 4. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(os.availableParallelism(), 4));
}

function numberAtLeast(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    throw new RangeError(`\`${name}\` must be a finite number >= ${min}, got ${JSON.stringify(value)}`);
  return value;
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`\`${name}\` must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** `value` as an integer >= min (undefined stays undefined). */
export function integerOption(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new RangeError(`\`${name}\` must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value))
    throw new RangeError(`\`${name}\` must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

function variant(value: unknown, name: string, known: readonly string[] | undefined): string {
  const ok =
    typeof value === 'string' && (known === undefined ? isVariantName(value) : known.includes(value));
  if (!ok)
    throw new RangeError(
      `\`${name}\` must be one of ${(known ?? knownVariants).join(', ')}, got ${JSON.stringify(value)}`,
    );
  return value;
}

/**
 * Fills in the defaults and checks every setting.
 * @param known the variant names the model serves (default the eou layout's built-ins)
 * @throws TypeError / RangeError naming the setting: a missing directory name, an unknown variant,
 *   normaliser or EOU policy, no candidates, a variant listed twice, a negative blowup fraction.
 */
export function resolveSettings(input: GateSettingsInput, known?: readonly string[]): GateSettings {
  if (typeof input !== 'object' || input === null) throw new TypeError('`options` must be an object');
  const reference = variant(input.reference ?? gateDefaults.reference, 'reference', known);
  if (!Array.isArray(input.candidates) || input.candidates.length === 0)
    throw new RangeError(
      `\`candidates\` must name at least one variant, got ${JSON.stringify(input.candidates)}`,
    );
  const candidates = input.candidates.map((c, i) => variant(c, `candidates[${i}]`, known));
  const all = [reference, ...candidates];
  const twice = all.find((v, i) => all.indexOf(v) !== i);
  if (twice !== undefined)
    throw new RangeError(`\`reference\` and \`candidates\` name '${twice}' twice (${all.join(', ')})`);
  const blowupFraction = input.blowupFraction ?? gateDefaults.blowupFraction;
  if (typeof blowupFraction !== 'number' || !(blowupFraction >= 0) || !Number.isFinite(blowupFraction))
    throw new RangeError(
      `\`blowupFraction\` must be a finite number >= 0, got ${JSON.stringify(blowupFraction)}`,
    );
  const rules = input.rules ?? gateDefaults.rules;
  if (!Array.isArray(rules)) throw new TypeError('`rules` must be an array of gate rules');
  const maxFiles = integerOption(input.maxFiles, 'maxFiles', 1);
  return {
    modelDir: nonEmptyString(input.modelDir, 'modelDir'),
    dataDir: nonEmptyString(input.dataDir, 'dataDir'),
    reference,
    candidates,
    rules,
    blowupFraction,
    normalizer: oneOf(input.normalizer ?? gateDefaults.normalizer, 'normalizer', normalizerNames),
    eouPolicy: oneOf(input.eouPolicy ?? gateDefaults.eouPolicy, 'eouPolicy', eouPolicies),
    ...(maxFiles === undefined ? {} : { maxFiles }),
    maxFailedFiles: integerOption(input.maxFailedFiles ?? gateDefaults.maxFailedFiles, 'maxFailedFiles', 0)!,
    ...(input.eouDetector === undefined ? {} : { eouDetector: resolveEouDetector(input.eouDetector) }),
    ...(input.defaultEouRules === undefined ? {} : { defaultEouRules: input.defaultEouRules === true }),
    ...(input.resetOnEndOfUtterance === undefined
      ? {}
      : { resetOnEndOfUtterance: input.resetOnEndOfUtterance === true }),
    ...(input.eouListenMs === undefined
      ? {}
      : { eouListenMs: numberAtLeast(input.eouListenMs, 'eouListenMs', 0) }),
  };
}
