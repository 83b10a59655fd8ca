/**
 * Which end-of-utterance detector the gate replays over each variant's decode, as plain data (it goes
 * into the results log's settings hash and the report): the EOU debounce of the Parakeet EOU host
 * (either semantics of docs/reference-system.md §2.2) for models with an `<EOU>` token, or the
 * Kaldi / sherpa-onnx endpoint rules for models without one. Both detectors are `@eou/frontend`'s,
 * so the gate's EOU times are the streaming transcriber's.
 */
import {
  createEndpointDetector,
  createEouDebounceDetector,
  eouDebounceSemantics,
  kaldiEndpointRules,
  type EndOfUtteranceDetector,
  type EndpointRule,
  type EouDebounceSemantics,
} from '@eou/frontend';

/** The EOU debounce: an `<EOU>` signal confirmed after `debounceMs` without new tokens. */
export interface DebounceDetectorSpec {
  readonly kind: 'debounce';
  readonly debounceMs: number;
  readonly semantics: EouDebounceSemantics;
}

/** The endpoint rules over trailing blank time. */
export interface EndpointDetectorSpec {
  readonly kind: 'endpoint';
  readonly rules: Readonly<Record<string, EndpointRule>>;
}

/** A detector, as data. */
export type EouDetectorSpec = DebounceDetectorSpec | EndpointDetectorSpec;

/** Input of {@link resolveEouDetector}: every field optional. */
export type EouDetectorInput =
  | { readonly kind?: 'debounce'; readonly debounceMs?: number; readonly semantics?: EouDebounceSemantics }
  | { readonly kind: 'endpoint'; readonly rules?: Readonly<Record<string, EndpointRule>> };

/** The host's defaults: 1280 ms, silence since the last token (FluidAudio after #831). */
export const defaultDebounce: DebounceDetectorSpec = Object.freeze({
  kind: 'debounce',
  debounceMs: 1280,
  semantics: 'silence-since-last-token',
});

/**
 * Fills in a detector's defaults and checks it. Without input: the debounce when the model has an
 * `<EOU>` token, else the endpoint rules.
 * @throws RangeError naming the field
 */
export function resolveEouDetector(input: EouDetectorInput | undefined, hasEouToken = true): EouDetectorSpec {
  if (input === undefined)
    return hasEouToken ? defaultDebounce : { kind: 'endpoint', rules: kaldiEndpointRules };
  if (typeof input !== 'object' || input === null)
    throw new TypeError(`\`eouDetector\` must be an object, got ${JSON.stringify(input)}`);
  if (input.kind === 'endpoint') {
    const rules = input.rules ?? kaldiEndpointRules;
    createEndpointDetector(rules); // checks every rule
    return { kind: 'endpoint', rules };
  }
  if (input.kind !== undefined && input.kind !== 'debounce')
    throw new RangeError(
      `\`eouDetector.kind\` must be "debounce" or "endpoint", got ${JSON.stringify((input as { kind: unknown }).kind)}`,
    );
  const debounceMs = input.debounceMs ?? defaultDebounce.debounceMs;
  if (typeof debounceMs !== 'number' || !(debounceMs >= 0) || !Number.isFinite(debounceMs))
    throw new RangeError(
      `\`eouDetector.debounceMs\` must be a number >= 0, got ${JSON.stringify(debounceMs)}`,
    );
  const semantics = input.semantics ?? defaultDebounce.semantics;
  if (!eouDebounceSemantics.includes(semantics))
    throw new RangeError(
      `\`eouDetector.semantics\` must be one of ${eouDebounceSemantics.join(', ')}, got ${JSON.stringify(semantics)}`,
    );
  return { kind: 'debounce', debounceMs, semantics };
}

/** A fresh detector of a spec (the debounce re-arms on new tokens, so every utterance can get one). */
export function createEouDetector(spec: EouDetectorSpec): EndOfUtteranceDetector {
  return spec.kind === 'debounce'
    ? createEouDebounceDetector({ debounceMs: spec.debounceMs, semantics: spec.semantics })
    : createEndpointDetector(spec.rules);
}

/** A one-line description for reports. */
export function describeEouDetector(spec: EouDetectorSpec): string {
  return createEouDetector(spec).name;
}
