/**
 * End of utterance for models without an EOU token: the Kaldi / sherpa-onnx endpoint rules over
 * trailing blank time. A rule fires when the utterance has lasted at least `minUtteranceLengthMs`,
 * the decoder has emitted only blanks for at least `minTrailingSilenceMs`, and (if
 * `mustContainNonSilence`) something was emitted before that silence. Defaults are sherpa-onnx's:
 * rule1 2.4 s of silence with or without speech, rule2 1.2 s of silence after speech, rule3 an
 * utterance of 20 s. A detector is one of the pluggable end-of-utterance detectors of the
 * transcriber (`EndOfUtteranceDetector`).
 */
import { describeValue, FrontendError } from './frontendError';

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

/**
 * Reads model.json's `endOfUtterance` block for a model without an EOU token:
 * `{ "kind": "endpoint-rules", "rules": { "rule2": { "minTrailingSilenceMs": 800 } } }`. Each rule
 * given replaces the fields it names of the Kaldi rule of that name (a new name starts from
 * rule1's "no speech needed, no length" fields); omitted `rules` are sherpa-onnx's defaults.
 * @throws FrontendError `E_MODEL_CONFIG` naming the file and field
 */
export function parseEndpointRules(
  input: unknown,
  file = 'model.json',
  path = 'endOfUtterance',
): Readonly<Record<string, EndpointRule>> {
  const fail = (field: string, message: string): never => {
    throw new FrontendError('E_MODEL_CONFIG', `${file}: ${path}${field} ${message}`, {
      file,
      field: `${path}${field}`,
    });
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('', `must be an object, got ${describeValue(input)}`);
  const o = input as Record<string, unknown>;
  if (o['kind'] !== 'endpoint-rules')
    fail('.kind', `must be "endpoint-rules", got ${describeValue(o['kind'])}`);
  const given = o['rules'] ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    return fail('.rules', `must be an object of rules by name, got ${describeValue(given)}`);
  const out: Record<string, EndpointRule> = { ...kaldiEndpointRules };
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      fail(`.rules.${name}`, `must be an object, got ${describeValue(value)}`);
    const r = value as Record<string, unknown>;
    const base = (kaldiEndpointRules as Record<string, EndpointRule>)[name] ?? {
      mustContainNonSilence: false,
      minTrailingSilenceMs: 0,
      minUtteranceLengthMs: 0,
    };
    for (const key of Object.keys(r)) {
      if (!(key in base))
        fail(`.rules.${name}.${key}`, `is not a rule field (known: ${Object.keys(base).join(', ')})`);
    }
    for (const key of ['minTrailingSilenceMs', 'minUtteranceLengthMs'] as const) {
      const v = r[key];
      if (v !== undefined && !(typeof v === 'number' && v >= 0))
        fail(`.rules.${name}.${key}`, `must be a number >= 0, got ${describeValue(v)}`);
    }
    const must = r['mustContainNonSilence'];
    if (must !== undefined && typeof must !== 'boolean')
      fail(`.rules.${name}.mustContainNonSilence`, `must be a boolean, got ${describeValue(must)}`);
    out[name] = Object.freeze({ ...base, ...(r as Partial<EndpointRule>) });
  }
  return Object.freeze(out);
}
