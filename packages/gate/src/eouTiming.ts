/**
 * End-of-utterance timing of one variant on one file, from its decode alone: the detector of the run
 * is replayed over the decode chunk by chunk, with the facts the streaming transcriber gives it
 * (decoded frames, chunk-local token frames, whether the chunk signalled `<EOU>`, samples heard so
 * far), so a confirmed EOU lands at the same audio time as in `@eou/frontend`'s transcriber under the
 * same schedule. Each utterance of the file is then judged against its known end of speech.
 *
 * Definitions (audio milliseconds; utterance k's window runs from its start, 0 for the first, to the
 * next utterance's start, the end of the stream for the last):
 * - EOU time: when the detector confirmed (the end of the chunk in which it fired);
 * - latency: the first EOU confirmed at or after the utterance's end of speech, within its window,
 *   minus that end of speech; none = a missed EOU;
 * - early cut: an EOU confirmed inside the window before the end of speech;
 * - words: tokens whose timestamp (frame start) lies in the window;
 * - signal latency: the first `<EOU>` token of the model (no debounce) whose frame has ended at or
 *   after the end of speech, within the window, minus that end (frame end = (frame + 1) x frameMs);
 * - stopped after EOU: a stream of several utterances in which an utterance starts after the first
 *   confirmed EOU and no token is emitted after it (the "streaming stops at the first EOU" bug).
 *
 * A host keeps listening after a speaker stops, but a corpus file ends: with `listenMs` the detector
 * is replayed over that much more audio after the file's last chunk, in chunks like the file's first
 * (regular) one. The host is assumed to keep hearing what the file ends with (silence): no tokens,
 * and an `<EOU>` signal in each such chunk exactly when the file's last chunk had one (a model that
 * keeps signalling EOU on silence keeps doing so). That lets a pending EOU confirm under either
 * debounce semantics as it would on a longer recording.
 */
import type { ChunkLayout } from './chunkLayout';
import { expandLayout, type LayoutChunk } from './chunkLayout';
import { createEouDetector, type EouDetectorSpec } from './eouDetectorSpec';
import type { SpeechTruth } from './speechTruth';

/** What one variant decoded in one file (global frame indices; `tokens` may hold EOU ids). */
export interface DecodeEvents {
  readonly tokens: readonly number[];
  /** Frame of each entry of `tokens`. */
  readonly tokenFrames: readonly number[];
  /** Frames at which the joint emitted `<EOU>`. */
  readonly eouFrames: readonly number[];
}

/** One utterance's outcome. */
export interface UtteranceOutcome {
  readonly endOfSpeechMs: number;
  /** First confirmed EOU at or after the end of speech, within the window; null = missed. */
  readonly eouMs: number | null;
  readonly latencyMs: number | null;
  readonly earlyCut: boolean;
  /** Tokens (non-EOU) timed inside the utterance's window. */
  readonly tokens: number;
  readonly signalLatencyMs: number | null;
}

/** A file's EOU timing for one variant. */
export interface FileEouTiming {
  /** Every confirmed EOU of the stream, ms. */
  readonly eouTimesMs: readonly number[];
  readonly utterances: readonly UtteranceOutcome[];
  readonly stoppedAfterEou: boolean;
}

/**
 * Replays `spec`'s detector over a decode cut by `layout`.
 * @returns the confirmed EOU times in ms of audio
 */
export function replayEndOfUtterance(
  spec: EouDetectorSpec,
  layout: ChunkLayout,
  events: DecodeEvents,
  eouId: number | undefined,
  listenMs = 0,
): number[] {
  const detector = createEouDetector(spec);
  const textFrames = events.tokenFrames.filter((_, i) => events.tokens[i] !== eouId);
  const eouFrames = [...events.eouFrames].sort((a, b) => a - b);
  const out: number[] = [];
  let base = 0;
  let total = 0;
  let t = 0;
  let e = 0;
  const chunks: (LayoutChunk & { listen?: boolean })[] = expandLayout(layout);
  // Listening on goes in whole chunks: the layout's first (a schedule's regular chunk).
  const regular = chunks.find((c) => c.frames > 0 && c.advanceSamples > 0);
  const listenSamples = (listenMs * layout.sampleRate) / 1000;
  if (regular !== undefined)
    for (let heard = 0; heard < listenSamples; heard += regular.advanceSamples)
      chunks.push({ ...regular, listen: true });
  let lastSignalled = false;
  for (const chunk of chunks) {
    if (chunk.listen === true) {
      total += chunk.advanceSamples;
      const fired = detector.update({
        decodedFrames: chunk.frames,
        tokenFrames: [],
        eouDetected: lastSignalled,
        frameMs: layout.frameMs,
        totalSamples: total,
        sampleRate: layout.sampleRate,
      });
      if (fired !== null) out.push((total * 1000) / layout.sampleRate);
      continue;
    }
    const end = base + chunk.frames;
    const local: number[] = [];
    while (t < textFrames.length && textFrames[t]! < end) {
      if (textFrames[t]! >= base) local.push(textFrames[t]! - base);
      t++;
    }
    let eouDetected = false;
    while (e < eouFrames.length && eouFrames[e]! < end) {
      if (eouFrames[e]! >= base) eouDetected = true;
      e++;
    }
    total += chunk.advanceSamples;
    lastSignalled = eouDetected;
    const fired = detector.update({
      decodedFrames: chunk.frames,
      tokenFrames: local,
      eouDetected,
      frameMs: layout.frameMs,
      totalSamples: total,
      sampleRate: layout.sampleRate,
    });
    if (fired !== null) out.push((total * 1000) / layout.sampleRate);
    base = end;
  }
  return out;
}

/** Judges a variant's decode of a file against its speech truth (see the module comment). */
export function fileEouTiming(
  spec: EouDetectorSpec,
  layout: ChunkLayout,
  events: DecodeEvents,
  eouId: number | undefined,
  truth: SpeechTruth,
  listenMs = 0,
): FileEouTiming {
  const eouTimesMs = replayEndOfUtterance(spec, layout, events, eouId, listenMs);
  const frameMs = layout.frameMs;
  const tokenTimes = events.tokenFrames.filter((_, i) => events.tokens[i] !== eouId).map((f) => f * frameMs);
  const signalEnds = events.eouFrames.map((f) => (f + 1) * frameMs).sort((a, b) => a - b);
  const u = truth.utterances;
  // Window k: [start of k (0 for the first), start of k + 1 (its end of speech when unknown)).
  const starts = u.map((x, k) => (k === 0 ? 0 : (x.startMs ?? u[k - 1]!.endMs)));
  const utterances = u.map((x, k): UtteranceOutcome => {
    const lo = starts[k]!;
    const hi = k + 1 < u.length ? starts[k + 1]! : Infinity;
    const eou = eouTimesMs.find((t) => t >= x.endMs && t < hi);
    const signal = signalEnds.find((t) => t >= x.endMs && t < hi);
    return {
      endOfSpeechMs: x.endMs,
      eouMs: eou ?? null,
      latencyMs: eou === undefined ? null : round3(eou - x.endMs),
      earlyCut: eouTimesMs.some((t) => t >= lo && t < x.endMs),
      tokens: tokenTimes.filter((t) => t >= lo && t < hi).length,
      signalLatencyMs: signal === undefined ? null : round3(signal - x.endMs),
    };
  });
  const first = eouTimesMs[0];
  const stoppedAfterEou =
    u.length > 1 &&
    first !== undefined &&
    starts.some((s) => s >= first) &&
    !tokenTimes.some((t) => t >= first);
  return { eouTimesMs, utterances, stoppedAfterEou };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
