/**
 * The EOU debounce of the Parakeet EOU host (FluidAudio `StreamingEouAsrManager`, seed-system §2.2),
 * as a pure function of the per-chunk facts, with both semantics it has had:
 * - `silence-since-last-token` (current, #831): new tokens clear the anchor; the first chunk that
 *   signals EOU without new tokens sets it; chunks that neither emit nor re-signal keep it;
 * - `consecutive-chunks` (pre-#831): as above, but any chunk without an EOU signal clears the
 *   anchor, so it took that many *consecutive* EOU-signalling chunks (issue #827).
 * Either confirms once `(total - anchor)` samples reach `debounceMs`. The seed latches the
 * confirmation until `reset()`; with `rearm` (the default here) new tokens after a confirmed EOU
 * open the next utterance, so a stream of several utterances gets an EOU for each.
 */
import type { DecodedChunkFacts, EndOfUtteranceDetector } from './endpointRules';

/** The two debounce semantics. */
export type EouDebounceSemantics = 'silence-since-last-token' | 'consecutive-chunks';

/** Every {@link EouDebounceSemantics}. */
export const eouDebounceSemantics: readonly EouDebounceSemantics[] = [
  'silence-since-last-token',
  'consecutive-chunks',
];

/** Debounce settings. */
export interface EouDebounceOptions {
  /** Default 1280 (FluidAudio's `eouDebounceMs`). */
  readonly debounceMs?: number;
  /** Default `silence-since-last-token` (the current host). */
  readonly semantics?: EouDebounceSemantics;
  /** Re-arm after a confirmation when new tokens arrive (default true; false = the seed's latch). */
  readonly rearm?: boolean;
}

/** What the debounce carries between chunks. */
export interface EouDebounceState {
  /** Samples processed when the pending EOU was first signalled, or null. */
  readonly anchor: number | null;
  /** An EOU was confirmed and not re-armed since. */
  readonly confirmed: boolean;
}

/** One chunk's facts. */
export interface EouDebounceInput {
  /** The decoder signalled EOU in this chunk. */
  readonly eouDetected: boolean;
  /** Non-EOU tokens emitted in this chunk. */
  readonly newTokens: number;
  /** Samples processed so far, this chunk's shift included. */
  readonly totalSamples: number;
  readonly sampleRate: number;
}

export const initialEouDebounceState: EouDebounceState = Object.freeze({ anchor: null, confirmed: false });

/**
 * Evaluates one chunk. Returns the next state and whether an EOU is confirmed now.
 * @throws RangeError for a bad option
 */
export function evaluateEouDebounce(
  state: EouDebounceState,
  input: EouDebounceInput,
  options: EouDebounceOptions = {},
): { state: EouDebounceState; confirm: boolean; anchor: number | null } {
  const debounceMs = options.debounceMs ?? 1280;
  if (!(debounceMs >= 0) || !Number.isFinite(debounceMs))
    throw new RangeError(`debounceMs must be a number >= 0, got ${String(options.debounceMs)}`);
  const semantics = options.semantics ?? 'silence-since-last-token';
  if (!eouDebounceSemantics.includes(semantics))
    throw new RangeError(
      `semantics must be one of ${eouDebounceSemantics.join(', ')}, got ${String(semantics)}`,
    );
  let { anchor, confirmed } = state;
  if (input.newTokens > 0) {
    anchor = null;
    if (options.rearm !== false) confirmed = false;
  } else if (input.eouDetected) {
    if (anchor === null) anchor = input.totalSamples;
  } else if (semantics === 'consecutive-chunks') {
    anchor = null;
  }
  const confirm =
    !confirmed && anchor !== null && ((input.totalSamples - anchor) * 1000) / input.sampleRate >= debounceMs;
  const confirmedAnchor = anchor;
  if (confirm) {
    confirmed = true;
    anchor = null;
  }
  return { state: { anchor, confirmed }, confirm, anchor: confirm ? confirmedAnchor : anchor };
}

/**
 * The debounce as an end-of-utterance detector for the transcriber (it fires `eou`).
 * @throws RangeError for a bad option
 */
export function createEouDebounceDetector(options: EouDebounceOptions = {}): EndOfUtteranceDetector {
  evaluateEouDebounce(
    initialEouDebounceState,
    { eouDetected: false, newTokens: 0, totalSamples: 0, sampleRate: 1 },
    options,
  );
  let state = initialEouDebounceState;
  return {
    name: `eou-debounce(${options.semantics ?? 'silence-since-last-token'}, ${options.debounceMs ?? 1280} ms${options.rearm === false ? ', latched' : ''})`,
    update(chunk: DecodedChunkFacts): string | null {
      const r = evaluateEouDebounce(
        state,
        {
          eouDetected: chunk.eouDetected,
          newTokens: chunk.tokenFrames.length,
          totalSamples: chunk.totalSamples,
          sampleRate: chunk.sampleRate,
        },
        options,
      );
      state = r.state;
      return r.confirm ? 'eou' : null;
    },
    reset() {
      state = initialEouDebounceState;
    },
  };
}
