/**
 * End of utterance for models without an EOU token: the Kaldi / sherpa-onnx endpoint rules over
 * trailing blank time. A rule fires when the utterance has lasted at least `minUtteranceLengthMs`,
 * the decoder has emitted only blanks for at least `minTrailingSilenceMs`, and (if
 * `mustContainNonSilence`) something was emitted before that silence. Defaults are sherpa-onnx's:
 * rule1 2.4 s of silence with or without speech, rule2 1.2 s of silence after speech, rule3 an
 * utterance of 20 s. A detector is one of the pluggable end-of-utterance detectors of the
 * transcriber (`EndOfUtteranceDetector`).
 */
import { describeValue } from './frontendError';

/** One endpoint rule. */
export interface EndpointRule {
  readonly mustContainNonSilence: boolean;
  readonly minTrailingSilenceMs: number;
  readonly minUtteranceLengthMs: number;
}

/** sherpa-onnx's `OnlineRecognizerConfig` endpoint defaults. */
export const kaldiEndpointRules: Readonly<Record<'rule1' | 'rule2' | 'rule3', EndpointRule>> = Object.freeze({
  rule1: Object.freeze({ mustContainNonSilence: false, minTrailingSilenceMs: 2400, minUtteranceLengthMs: 0 }),
  rule2: Object.freeze({ mustContainNonSilence: true, minTrailingSilenceMs: 1200, minUtteranceLengthMs: 0 }),
  rule3: Object.freeze({
    mustContainNonSilence: false,
    minTrailingSilenceMs: 0,
    minUtteranceLengthMs: 20000,
  }),
});

/** What the transcriber tells a detector after each decoded chunk. */
export interface DecodedChunkFacts {
  /** Encoder frames decoded in this chunk. */
  readonly decodedFrames: number;
  /** Chunk-local frame of each non-blank, non-EOU token. */
  readonly tokenFrames: ArrayLike<number>;
  /** The decoder signalled EOU in this chunk (EOU-token models). */
  readonly eouDetected: boolean;
  /** Milliseconds per decoded frame. */
  readonly frameMs: number;
  /** Audio samples processed so far, this chunk included, and their rate. */
  readonly totalSamples: number;
  readonly sampleRate: number;
}

/** A pluggable end-of-utterance detector. */
export interface EndOfUtteranceDetector {
  /** A name for reports, e.g. `eou-debounce(silence-since-last-token, 1280 ms)` or `endpoint(rule1,rule2,rule3)`. */
  readonly name: string;
  /** Feeds one chunk; returns the name of what fired (a rule, `eou`), or null. */
  update(chunk: DecodedChunkFacts): string | null;
  /** A new stream (or, after a firing, the transcriber's next utterance: `afterEndpoint`). */
  reset(): void;
}

/**
 * Kaldi-style endpointing: counts decoded frames and trailing blank frames of the current utterance.
 * After a rule fires, the utterance restarts (length and silence at 0), as in sherpa-onnx.
 * @throws RangeError for a bad rule
 */
export function createEndpointDetector(
  rules: Readonly<Record<string, EndpointRule>> = kaldiEndpointRules,
): EndOfUtteranceDetector {
  const entries = Object.entries(rules);
  if (entries.length === 0) throw new RangeError('rules must hold at least one endpoint rule');
  for (const [name, r] of entries) {
    for (const field of ['minTrailingSilenceMs', 'minUtteranceLengthMs'] as const) {
      if (!(typeof r?.[field] === 'number' && r[field] >= 0))
        throw new RangeError(
          `rules.${name}.${field} must be a number >= 0, got ${describeValue(r?.[field])}`,
        );
    }
  }
  let utteranceMs = 0;
  let trailingMs = 0;
  return {
    name: `endpoint(${entries.map(([n, r]) => `${n}: ${r.mustContainNonSilence ? 'after speech, ' : ''}silence >= ${r.minTrailingSilenceMs} ms, length >= ${r.minUtteranceLengthMs} ms`).join('; ')})`,
    update(chunk) {
      const { decodedFrames, tokenFrames, frameMs } = chunk;
      if (tokenFrames.length > 0)
        trailingMs = (decodedFrames - 1 - tokenFrames[tokenFrames.length - 1]!) * frameMs;
      else trailingMs += decodedFrames * frameMs;
      utteranceMs += decodedFrames * frameMs;
      // sherpa-onnx: the utterance holds speech when it is longer than its trailing silence.
      const containsNonSilence = utteranceMs > trailingMs;
      for (const [name, r] of entries) {
        if (
          (!r.mustContainNonSilence || containsNonSilence) &&
          trailingMs >= r.minTrailingSilenceMs &&
          utteranceMs >= r.minUtteranceLengthMs
        ) {
          utteranceMs = 0;
          trailingMs = 0;
          return name;
        }
      }
      return null;
    },
    reset() {
      utteranceMs = 0;
      trailingMs = 0;
    },
  };
}
