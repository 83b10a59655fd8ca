import { parseVocab } from '@eou/rnnt-decode';
import { describe, expect, it } from 'vitest';
import { BLANK, EOU, scriptedDecoder, scriptedEncoder } from '../test/scripted';
import {
  computeFeatures,
  createEndpointDetector,
  createEouDebounceDetector,
  createStreamingEncoder,
  createStreamingTranscriber,
  evaluateEouDebounce,
  initialEouDebounceState,
  nemoLogMelDefaults,
  parseChunkSchedule,
  parseStreamingEncoderSpec,
  resolveSchedule,
  seedSchedules,
  transcribe,
  type ChunkSchedule,
  type StreamingTranscriberOptions,
} from '../src/index';

const spec = parseStreamingEncoderSpec({ input: 'features', output: 'encoded' });
const vocab = parseVocab('{"0":"▁a","1":"▁b","2":"▁c","3":"▁d","4":"▁e"}', 'vocab.json');
const decodeConfig = { blankId: BLANK, eouId: EOU, maxSymbolsPerFrame: 1 };
const audio = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.1 * Math.sin(i / 5));

function options(
  schedule: ChunkSchedule,
  script: (call: number) => number[],
  extra: Partial<StreamingTranscriberOptions> = {},
  seen?: Float32Array[],
): StreamingTranscriberOptions {
  const encoder = createStreamingEncoder(
    scriptedEncoder(128, 17, 'T_out', (k) => script(k), seen),
    spec,
  );
  return {
    features: nemoLogMelDefaults,
    encoder,
    decoder: scriptedDecoder,
    decodeConfig,
    schedule,
    vocab,
    endOfUtterance: null,
    ...extra,
  };
}

describe('chunk schedules', () => {
  it('harness: raw 2560-sample windows, every column decoded, the partial tail dropped', async () => {
    const seen: Float32Array[] = [];
    const x = audio(2560 * 3 + 1000);
    const r = await transcribe(
      x,
      options(seedSchedules['harness']!, (k) => [k, k, k], {}, seen),
    );
    expect([r.schedule, r.chunks, r.frameMs]).toEqual(['harness', 3, 160 / 3]);
    // Chunk k decodes all 3 columns: token k at its first column, blanks after.
    expect(r.tokens).toEqual([0, 1, 2]);
    expect(r.tokenTimesMs).toEqual([0, 160, 320]);
    // Each window is featurised on its own, its preemphasis seeded with the sample before it.
    const f = computeFeatures(x.subarray(2560, 5120), nemoLogMelDefaults, { previousSample: x[2559]! });
    const expected = new Float32Array(f.frames.length);
    for (let t = 0; t < 17; t++) for (let b = 0; b < 128; b++) expected[b * 17 + t] = f.frames[t * 128 + b]!;
    expect(seen[1]).toEqual(expected);
  });

  it('production: 2560 shifted by 1280, the first 2 columns decoded, the tail zero-padded into one chunk', async () => {
    const seen: Float32Array[] = [];
    const x = audio(2560 + 1280 * 4 + 500); // 5 whole chunks, then 1780 samples left
    // Column 2 of each chunk would emit 4: production never decodes it.
    const r = await transcribe(
      x,
      options(seedSchedules['production']!, (k) => [k % 4, k % 4, 4], {}, seen),
    );
    expect([r.schedule, r.chunks, r.frameMs]).toEqual(['production', 6, 40]);
    expect(r.tokens).toEqual([0, 1, 2, 3, 0, 1]);
    // The seed's timestamps: (chunk * validOut + t) * round(1280*1000 / (16000*2)) ms.
    expect(r.tokenTimesMs).toEqual([0, 80, 160, 240, 320, 400]);
    // The tail chunk holds the 1780 samples left, then zeros.
    const tail = computeFeatures(
      Float32Array.from([...x.subarray(1280 * 5), ...new Float32Array(2560 - 1780)]),
      nemoLogMelDefaults,
      { previousSample: x[1280 * 5 - 1]! },
    );
    expect(seen[5]![0]).toBe(tail.frames[0]);
  });

  it('harness and production give different transcripts of the same audio (and say which they were)', async () => {
    const x = audio(2560 * 4);
    const script = (k: number) => [(k * 3) % 5, (((k * 3) % 5) + 1) % 5, (((k * 3) % 5) + 2) % 5];
    const h = await transcribe(x, options(resolveSchedule('harness'), script));
    const p = await transcribe(x, options(resolveSchedule('production'), script));
    expect(h.schedule).toBe('harness');
    expect(p.schedule).toBe('production');
    expect(h.tokens).not.toEqual(p.tokens);
  });

  it('a model-declared frame schedule: windows of the continuous feature stream, shorter last window', async () => {
    const schedule = parseChunkSchedule({
      name: 'w16',
      unit: 'frames',
      windowFrames: 16,
      shiftFrames: 16,
      tail: 'partial',
      frameMs: 80,
    });
    const encoder = createStreamingEncoder(
      scriptedEncoder(128, 'T', 'T_out', (k, _f, dims) =>
        Array.from({ length: Math.ceil(dims[2]! / 8) }, (_, i) => (k + i) % 5),
      ),
      spec,
    );
    const x = audio(16000);
    const r = await transcribe(x, {
      features: nemoLogMelDefaults,
      encoder,
      decoder: scriptedDecoder,
      decodeConfig,
      schedule,
      vocab,
      endOfUtterance: null,
    });
    // 1 + (16000 + 112) // 160 = 101 feature frames: 6 windows of 16, then 5 frames -> 1 encoder frame.
    expect([r.chunks, r.audioSeconds]).toEqual([7, 1]);
    expect(r.tokenTimesMs.length).toBe(r.tokens.length);
  });

  it('EXPECTED FAILURE - a schedule the encoder cannot take is one line naming the encoder', () => {
    const encoder = createStreamingEncoder(
      scriptedEncoder(128, 17, 'T_out', () => [0]),
      spec,
    );
    expect(() =>
      createStreamingTranscriber({ ...options(seedSchedules['production-320ms']!, () => [0]), encoder }),
    ).toThrow(
      'scripted-encoder.onnx: takes 17 feature frames per call; schedule production-320ms gives 64 (10080 samples)',
    );
    expect(() => resolveSchedule('fast')).toThrow(
      new RangeError(
        'schedule must be one of harness, production, production-160ms, production-320ms, production-1280ms (or any of them with "+harness"), got "fast"',
      ),
    );
  });
});

describe('streaming', () => {
  it('gives the same transcript for any split of the audio into process() calls, and again after reset()', async () => {
    const script = (k: number) => [k % 5, (k + 2) % 5, 4];
    const x = audio(2560 + 1280 * 9 + 77);
    const whole = await transcribe(x, options(seedSchedules['production']!, script));
    const t = createStreamingTranscriber(options(seedSchedules['production']!, script));
    const partials: string[] = [];
    for (const run of [0, 1]) {
      for (let at = 0; at < x.length; at += 999) {
        const u = await t.process(x.subarray(at, at + 999));
        if (run === 0 && u.newTokens.length > 0) partials.push(u.newTokens.join(','));
      }
      const r = await t.finish();
      expect(r.tokens).toEqual(whole.tokens);
      expect(r.tokenTimesMs).toEqual(whole.tokenTimesMs);
      expect(r.timing.featuresMs + r.timing.encoderMs + r.timing.decodeMs).toBeGreaterThan(0);
      t.reset();
    }
    expect(partials.length).toBeGreaterThan(1);
  });

  it('EXPECTED FAILURE - NaN samples and overlapping calls', async () => {
    const t = createStreamingTranscriber(options(seedSchedules['production']!, () => [0, 0, 0]));
    const x = new Float32Array(5);
    x[2] = NaN;
    await expect(t.process(x)).rejects.toMatchObject({
      code: 'E_NON_FINITE',
      message: 'samples[2] is NaN (NaN and infinite samples are refused)',
    });
    const first = t.process(audio(3000));
    await expect(t.process(audio(10))).rejects.toMatchObject({ code: 'E_BUSY' });
    await first;
  });
});

describe(evaluateEouDebounce, () => {
  // Chunks of 1280 samples (80 ms): EOU signalled at chunk 2, then silence without re-signalling.
  const run = (
    semantics: 'silence-since-last-token' | 'consecutive-chunks',
    signals: boolean[],
    tokens: number[] = [],
  ) => {
    let state = initialEouDebounceState;
    const confirmed: number[] = [];
    signals.forEach((eouDetected, k) => {
      const r = evaluateEouDebounce(
        state,
        { eouDetected, newTokens: tokens[k] ?? 0, totalSamples: (k + 1) * 1280, sampleRate: 16000 },
        { debounceMs: 320, semantics },
      );
      state = r.state;
      if (r.confirm) confirmed.push(k);
    });
    return confirmed;
  };
  const oneSignal = [false, false, true, false, false, false, false, false, false];
  const everyChunk = [false, false, true, true, true, true, true, true, true];

  it('silence-since-last-token: one EOU signal then silence confirms after debounceMs', () => {
    expect(run('silence-since-last-token', oneSignal)).toEqual([6]); // anchor 3*1280, +320 ms = 4 chunks later
  });

  it('consecutive-chunks (pre-#831): the same stream never confirms; it needs EOU on every chunk', () => {
    expect(run('consecutive-chunks', oneSignal)).toEqual([]);
    expect(run('consecutive-chunks', everyChunk)).toEqual([6]);
  });

  it('new tokens clear the anchor; a confirmation re-arms on new tokens (latched with rearm: false)', () => {
    expect(run('silence-since-last-token', oneSignal, [1, 0, 0, 0, 1])).toEqual([]);
    const signals = [true, false, false, false, false, false, true, false, false, false, false];
    expect(run('silence-since-last-token', signals, [0, 0, 0, 0, 0, 1])).toEqual([4, 10]);
  });
});

describe(createEndpointDetector, () => {
  const chunk = (tokenFrames: number[]) => ({
    decodedFrames: 8,
    tokenFrames,
    eouDetected: false,
    frameMs: 40,
    totalSamples: 0,
    sampleRate: 16000,
  });
  it('rule2 fires 1.2 s after the last token; rule1 at 2.4 s of silence without speech; rule3 at 20 s', () => {
    const d = createEndpointDetector();
    // 320 ms chunks: speech in chunk 0 (token at frame 3), then silence.
    const fired = [chunk([3]), ...Array.from({ length: 12 }, () => chunk([]))].map((c) => d.update(c));
    // trailing silence after chunk k>0: (8-1-3)*40 + 320k ms >= 1200 first at k = 4
    expect(fired.indexOf('rule2')).toBe(4);
    const quiet = createEndpointDetector();
    const q = Array.from({ length: 9 }, () => quiet.update(chunk([])));
    expect(q.indexOf('rule1')).toBe(7); // 8 * 320 = 2560 >= 2400
    const talker = createEndpointDetector();
    const t = Array.from({ length: 70 }, () => talker.update(chunk([7])));
    expect(t.indexOf('rule3')).toBe(62); // 63 * 320 = 20160 >= 20000
  });

  it('fires at the known silences of a multi-utterance stream and keeps decoding after each', async () => {
    // 3 utterances of tokens, 2 s of silence between them, 40 ms frames, 320 ms chunks of 8 frames.
    const plan = [1, 2, 3, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 4, 4, 3, 0, 0, 0, 0, 0, 0];
    const schedule = parseChunkSchedule({
      name: 'zip-like',
      unit: 'frames',
      windowFrames: 32,
      shiftFrames: 32,
      decodeFrames: 'all',
      frameMs: 40,
    });
    const encoder = createStreamingEncoder(
      scriptedEncoder(128, 32, 8, (k) => {
        const tok = plan[k] ?? 0;
        return tok === 0 ? [9, 9, 9, 9, 9, 9, 9, 9] : [tok, tok, tok, tok, tok, tok, tok, tok];
      }),
      spec,
    );
    const ends: number[] = [];
    const r = await transcribe(audio(16000 * 9), {
      features: nemoLogMelDefaults,
      encoder,
      decoder: scriptedDecoder,
      decodeConfig,
      schedule,
      vocab,
      endOfUtterance: createEndpointDetector(),
      resetDecoderOnEndOfUtterance: true,
      onEndOfUtterance: (u) => ends.push(u.endMs),
    });
    expect(r.utterances.filter((u) => u.tokens.length > 0).map((u) => [u.text, u.endedBy])).toEqual([
      ['b c d', 'rule2'],
      ['c b', 'rule2'],
      ['e d', 'rule2'],
    ]);
    // Utterance 1's last token is in chunk 2 (frame 0 of it): 7 blank frames (280 ms) + 3 chunks (960 ms) >= 1200 ms -> ends with chunk 5.
    expect(r.eouTimesMs[0]).toBe(6 * 320);
    expect(ends.length).toBe(r.eouTimesMs.length);
  });
});

describe(createEouDebounceDetector, () => {
  it('drives the transcriber: EOU tokens, debounce, one end per utterance of a multi-utterance stream', async () => {
    // Production chunks (80 ms): speech, EOU, 2 s of silence, speech again, EOU, silence.
    const plan = (k: number): number[] =>
      k === 1
        ? [1, 1, 1]
        : k === 2
          ? [EOU, EOU, EOU]
          : k === 30
            ? [2, 2, 2]
            : k === 31
              ? [EOU, EOU, EOU]
              : [BLANK, BLANK, BLANK];
    const ends: string[] = [];
    const r = await transcribe(audio(1280 * 60), {
      ...options(seedSchedules['production']!, plan),
      endOfUtterance: createEouDebounceDetector({ debounceMs: 640 }),
      onEndOfUtterance: (u) => ends.push(u.text),
    });
    expect(ends).toEqual(['b', 'c']);
    expect(r.eouSignalTimesMs).toEqual([160, 2480]);
    // Anchor at chunk 2 (3*1280 samples = 240 ms), confirmed 640 ms later.
    expect(r.eouTimesMs).toEqual([880, 3200]);
    expect(r.text).toBe('b c');
  });
});
