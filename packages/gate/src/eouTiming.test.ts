import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunkLayoutOf,
  defaultChunkLayout,
  expandLayout,
  layoutFrames,
  parseChunkLayout,
} from './chunkLayout';
import { resolveEouDetector } from './eouDetectorSpec';
import { fileEouTiming, replayEndOfUtterance } from './eouTiming';
import { speechTruthOf } from './speechTruth';

const EOU = 9;
// Chunks of 2 frames of 80 ms advancing 160 ms (2560 samples at 16 kHz), like the tiny model's.
const layout = (chunks: number) =>
  chunkLayoutOf(
    Array.from({ length: chunks }, () => ({ frames: 2, advanceSamples: 2560 })),
    't',
    16000,
    80,
  );
const current = resolveEouDetector({ debounceMs: 640, semantics: 'silence-since-last-token' });
const consecutive = resolveEouDetector({ debounceMs: 640, semantics: 'consecutive-chunks' });

describe('chunk layouts', () => {
  it('property: run-length encoding round-trips any chunk list, and parses back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ frames: fc.nat(4), advanceSamples: fc.nat(3000) }), {
          minLength: 1,
          maxLength: 40,
        }),
        (chunks) => {
          const l = chunkLayoutOf(chunks, 's', 16000, 40);
          expect(expandLayout(l)).toEqual(chunks);
          expect(layoutFrames(l)).toBe(chunks.reduce((a, c) => a + c.frames, 0));
          expect(parseChunkLayout(JSON.parse(JSON.stringify(l)))).toEqual(l);
        },
      ),
    );
  });

  it('refuses malformed layouts with a reason', () => {
    expect(parseChunkLayout({ schedule: 's', sampleRate: 16000, frameMs: 80, runs: [] })).toBe(
      '`chunking.runs` must be a non-empty array',
    );
    expect(parseChunkLayout({ schedule: 's', sampleRate: 16000, frameMs: 80, runs: [[0, 2, 2560]] })).toMatch(
      /`chunking.runs\[0\]` must be \[chunks >= 1/,
    );
    expect(parseChunkLayout('x')).toMatch(/must be an object/);
  });

  it("derives the tiny model's own chunking for corpora that record none (2 columns a chunk, the last from the duration)", () => {
    const modelJson = {
      encoder: {
        subsampling: 8,
        features: { kind: 'nemo-logmel' },
        streaming: {
          schedule: { name: 'tiny-160ms', unit: 'frames', windowFrames: 16, shiftFrames: 16, frameMs: 80 },
        },
      },
    };
    // 2.456 s = 39296 samples = 247 mel frames = 15 windows of 16 and 7 frames: 31 columns.
    const l = defaultChunkLayout(modelJson, { frameMs: 80 }, 31, 2.456);
    expect(l).toEqual({
      schedule: 'tiny-160ms',
      sampleRate: 16000,
      frameMs: 80,
      runs: [
        [15, 2, 2560],
        [1, 1, 1120],
      ],
    });
    // Without a declared schedule: one chunk per frame.
    expect(defaultChunkLayout({}, { frameMs: 80 }, 3).runs).toEqual([[3, 1, 1280]]);
  });
});

describe(replayEndOfUtterance, () => {
  it('confirms the debounce by hand: anchor at the end of the first signalling chunk without tokens, confirm debounceMs later', () => {
    // Tokens at frames 1 and 4 (chunks 0 and 2), EOU signals at 6, 8, 10, 12 (chunks 3..6).
    const events = {
      tokens: [1, 2, EOU, EOU, EOU, EOU],
      tokenFrames: [1, 4, 6, 8, 10, 12],
      eouFrames: [6, 8, 10, 12],
    };
    // Chunk k ends at (k + 1) * 160 ms: anchor 640 (chunk 3), confirmed at 1280 (chunk 7, 640 ms later).
    expect(replayEndOfUtterance(current, layout(10), events, EOU)).toEqual([1280]);
    // Consecutive chunks: chunk 7 has no signal, so the anchor of chunk 3 is gone before 640 ms elapse.
    expect(replayEndOfUtterance(consecutive, layout(10), events, EOU)).toEqual([]);
    // Signals in every chunk up to the confirmation: both semantics agree.
    const steady = { ...events, eouFrames: [6, 8, 10, 12, 14] };
    expect(replayEndOfUtterance(consecutive, layout(10), steady, EOU)).toEqual([1280]);
  });

  it('listens on after the file: chunks that repeat its last chunk (no tokens, its EOU signal), so a pending EOU confirms', () => {
    const events = { tokens: [1], tokenFrames: [1], eouFrames: [4, 6] };
    // The file ends after chunk 3 (640 ms): anchor 480 (chunk 2), nothing confirms within the file.
    expect(replayEndOfUtterance(current, layout(4), events, EOU)).toEqual([]);
    expect(replayEndOfUtterance(current, layout(4), events, EOU, 1000)).toEqual([1120]);
    // The file's last chunk signalled, so listening on signals too: the consecutive rule confirms as well.
    expect(replayEndOfUtterance(consecutive, layout(4), events, EOU, 1000)).toEqual([1120]);
    // A last chunk without a signal: listening on has none either, which clears the consecutive anchor.
    expect(replayEndOfUtterance(consecutive, layout(4), { ...events, eouFrames: [4] }, EOU, 1000)).toEqual(
      [],
    );
  });
});

describe(fileEouTiming, () => {
  const truth = (value: Record<string, unknown>) => {
    const t = speechTruthOf(value);
    if (t === undefined || typeof t === 'string') throw new Error(String(t));
    return t;
  };

  it('judges each utterance of a stream: latency after its end of speech, early cuts, missed EOUs, words', () => {
    const stream = truth({
      utterances: [
        { speech_start: 0.1, speech_end: 0.3 },
        { speech_start: 2.0, speech_end: 2.2 },
        { speech_start: 4.0, speech_end: 4.2 },
      ],
    });
    // Utterance 1: token at 80 ms, signal 400 -> confirmed 1120; utterance 2: token at 2080, no EOU
    // before 4000; utterance 3: token at 4080, signal at 4320 -> confirmed 5120 (stream ends at 4800,
    // listening on gives the rest).
    const events = {
      tokens: [1, EOU, 2, 3, EOU],
      tokenFrames: [1, 5, 26, 51, 54],
      eouFrames: [5, 54],
    };
    const t = fileEouTiming(current, layout(30), events, EOU, stream, 2000);
    expect(t.eouTimesMs).toEqual([1120, 5120]);
    expect(t.utterances.map((u) => [u.latencyMs, u.earlyCut, u.tokens])).toEqual([
      [820, false, 1],
      [null, false, 1],
      [920, false, 1],
    ]);
    expect(t.utterances[0]!.signalLatencyMs).toBe(180); // frame 5 ends at 480 ms
    expect(t.stoppedAfterEou).toBe(false);
  });

  it('flags an EOU before the end of speech as an early cut, and a stream that stops after its first EOU', () => {
    const stream = truth({
      utterances: [
        { speech_start: 0.1, speech_end: 1.5 },
        { speech_start: 3.0, speech_end: 3.5 },
      ],
    });
    // A pause mid-utterance: signal at frame 3 confirms at 1120, before the end of speech at 1500;
    // nothing is decoded after it although the second utterance starts at 3000.
    const events = { tokens: [1, EOU], tokenFrames: [1, 3], eouFrames: [3] };
    const t = fileEouTiming(current, layout(30), events, EOU, stream);
    expect(t.eouTimesMs).toEqual([960]);
    expect(t.utterances.map((u) => [u.earlyCut, u.latencyMs, u.tokens])).toEqual([
      [true, null, 1],
      [false, null, 0],
    ]);
    expect(t.stoppedAfterEou).toBe(true);
  });

  it('reads speech truth from manifest lines and says what is wrong with a bad one', () => {
    expect(truth({ speech_end: 1.48, speech_start: 0.29 })).toEqual({
      source: 'manifest',
      utterances: [{ startMs: 290, endMs: 1480 }],
    });
    expect(truth({ speech_end: 2, speech_end_source: 'vad' }).source).toBe('vad');
    expect(speechTruthOf({})).toBeUndefined();
    expect(speechTruthOf({ speech_end: 'x' })).toMatch(/`speech_end` must be seconds/);
    expect(speechTruthOf({ utterances: [{ speech_start: 2, speech_end: 1 }] })).toMatch(
      /ends \(1 s\) before it starts/,
    );
    expect(
      speechTruthOf({
        utterances: [
          { speech_start: 0, speech_end: 2 },
          { speech_start: 1, speech_end: 3 },
        ],
      }),
    ).toMatch(/starts \(1 s\) before utterance 0 ends/);
  });

  it('resolves detector specs and refuses bad ones', () => {
    expect(resolveEouDetector(undefined)).toEqual({
      kind: 'debounce',
      debounceMs: 1280,
      semantics: 'silence-since-last-token',
    });
    expect(resolveEouDetector(undefined, false).kind).toBe('endpoint');
    expect(() => resolveEouDetector({ debounceMs: -1 })).toThrow(/debounceMs` must be a number >= 0/);
    expect(() => resolveEouDetector({ semantics: 'x' as never })).toThrow(/semantics` must be one of/);
  });
});
