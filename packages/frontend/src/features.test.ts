import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kaldiGoldenDir, requireFixture, tinyGoldenDir, zipformerDir } from '../test/paths';
import {
  computeFeatures,
  createFeatureExtractor,
  decodeWav,
  kaldiFbankDefaults,
  nemoLogMelDefaults,
  parseFeatureConfig,
  toBinMajor,
  type FeatureConfig,
  type FeatureFrames,
} from '../src/index';

interface Golden {
  name: string;
  samples: number[];
  shape: number[];
  features: number[][];
  settings?: Record<string, unknown>;
}
const load = (dir: string, file: string): Golden =>
  JSON.parse(readFileSync(join(dir, file), 'utf8')) as Golden;
const tinyGoldens = readdirSync(tinyGoldenDir)
  .filter((f) => /^(tone|noise|speech)-\d+\.json$/.test(f))
  .map((f) => load(tinyGoldenDir, f));
const kaldiGoldens = readdirSync(kaldiGoldenDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => load(kaldiGoldenDir, f));

/** Streams `samples` through a fresh extractor in chunks of the given sizes (cycled). */
function streamed(config: FeatureConfig, samples: Float32Array, sizes: readonly number[]): FeatureFrames {
  const ex = createFeatureExtractor(config);
  const parts: Float32Array[] = [];
  let at = 0;
  let k = 0;
  while (at < samples.length) {
    const n = Math.max(0, sizes[k++ % sizes.length]!);
    parts.push(ex.push(samples.subarray(at, at + n)).frames);
    at += n;
  }
  parts.push(ex.finish().frames);
  const total = parts.reduce((s, p) => s + p.length, 0);
  const frames = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    frames.set(p, o);
    o += p.length;
  }
  return { frames, count: total / ex.bins, bins: ex.bins };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function expectBitEqual(a: FeatureFrames, b: FeatureFrames): void {
  expect(a.count).toBe(b.count);
  expect(
    Buffer.from(a.frames.buffer, a.frames.byteOffset, a.frames.byteLength).equals(
      Buffer.from(b.frames.buffer, b.frames.byteOffset, b.frames.byteLength),
    ),
  ).toBe(true);
}

/**
 * The tiny-eou recipe's `logmel()` written again from its numpy source, obviously and slowly:
 * explicit framing of the padded signal and a direct DFT. An independent reference for the kernels.
 */
function recipeLogMel(x: Float32Array): Float32Array {
  const L = x.length;
  const y = new Float64Array(L);
  for (let i = 0; i < L; i++) y[i] = i === 0 ? x[0]! : x[i]! - 0.97 * x[i - 1]!;
  const T = 1 + Math.floor((L + 512 - 400) / 160);
  const p = new Float64Array(Math.max((T - 1) * 160 + 512, L + 512));
  p.set(y, 256);
  const win = new Float64Array(512);
  for (let n = 0; n < 400; n++) win[56 + n] = 0.5 * (1 - Math.cos((2 * Math.PI * n) / 399));
  // librosa Slaney filterbank
  const hzToMel = (f: number) => (f >= 1000 ? 15 + Math.log(f / 1000) / (Math.log(6.4) / 27) : f / (200 / 3));
  const melToHz = (m: number) => (m >= 15 ? 1000 * Math.exp((Math.log(6.4) / 27) * (m - 15)) : (200 / 3) * m);
  const melF = Array.from({ length: 130 }, (_, i) => melToHz((hzToMel(8000) * i) / 129));
  const out = new Float32Array(128 * T);
  const re = new Float64Array(257);
  const im = new Float64Array(257);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < 257; k++) {
      let r = 0;
      let s = 0;
      for (let n = 56; n < 456; n++) {
        const v = p[t * 160 + n]! * win[n]!;
        r += v * Math.cos((2 * Math.PI * k * n) / 512);
        s -= v * Math.sin((2 * Math.PI * k * n) / 512);
      }
      re[k] = r;
      im[k] = s;
    }
    for (let m = 0; m < 128; m++) {
      let sum = 0;
      for (let k = 0; k < 257; k++) {
        const f = (k * 8000) / 256;
        const w = Math.max(
          0,
          Math.min(
            (f - melF[m]!) / (melF[m + 1]! - melF[m]!),
            (melF[m + 2]! - f) / (melF[m + 2]! - melF[m + 1]!),
          ),
        );
        sum += w * (2 / (melF[m + 2]! - melF[m]!)) * (re[k]! * re[k]! + im[k]! * im[k]!);
      }
      out[m * T + t] = Math.log(sum + 2 ** -24);
    }
  }
  return out;
}

describe('NeMo log-mel', () => {
  const config = parseFeatureConfig({ kind: 'nemo-logmel' });

  it.each(tinyGoldens.map((g) => [g.name, g] as const))(
    'matches tools/tiny-eou/golden/%s within 1e-4',
    (_, g) => {
      const f = computeFeatures(Float32Array.from(g.samples), config);
      expect([f.bins, f.count]).toEqual(g.shape);
      const diff = maxAbsDiff(toBinMajor(f), g.features.flat());
      expect(diff).toBeLessThan(1e-4);
    },
  );

  it('matches an independent direct-DFT port of the recipe logmel() within 1e-4', () => {
    const g = tinyGoldens.find((x) => x.name.startsWith('speech'))!;
    const x = Float32Array.from(g.samples.slice(0, 1700));
    expect(maxAbsDiff(toBinMajor(computeFeatures(x, config)), recipeLogMel(x))).toBeLessThan(1e-4);
  });

  it('gives the seed frame counts: 2560 -> 17, 10080 -> 64, 20480 -> 129, 0 -> 1', () => {
    for (const [n, t] of [
      [2560, 17],
      [10080, 64],
      [20480, 129],
      [0, 1],
    ] as const) {
      expect(computeFeatures(new Float32Array(n), config).count).toBe(t);
      expect(streamed(config, new Float32Array(n), [333]).count).toBe(t);
    }
  });

  it('streams the golden clips bit-identically in any chunk sizes', () => {
    for (const g of tinyGoldens) {
      const x = Float32Array.from(g.samples);
      const whole = computeFeatures(x, config);
      for (const sizes of [[1], [7, 160], [400], [x.length], [0, 3, 1000]])
        expectBitEqual(streamed(config, x, sizes), whole);
    }
  });

  it('carries preemphasis across pushes (previousSample seeds a lone chunk)', () => {
    const x = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i / 7) * 0.3);
    const chunk = computeFeatures(x.subarray(2560), config, { previousSample: x[2559]! });
    const alone = computeFeatures(x.subarray(2560), config);
    expect(maxAbsDiff(chunk.frames, alone.frames)).toBeGreaterThan(0);
  });

  it('is the default of a model.json features block without a kind (the tiny model)', () => {
    const c = parseFeatureConfig({
      sampleRate: 16000,
      nFft: 512,
      winLength: 400,
      hop: 160,
      nMels: 128,
      melScale: 'slaney',
      preemphasis: 0.97,
      logGuard: 2 ** -24,
    });
    expect(c).toEqual(nemoLogMelDefaults);
  });
});

describe('Kaldi fbank', () => {
  // torchaudio computes in float32: a band whose energy is below ~1e-6 of the frame's strongest
  // band (14 nats down; on the pure tone, bands near -12 under a peak of +4) carries the float32
  // FFT's rounding noise, so 1e-4 holds above that and 1e-3 everywhere.
  it.each(kaldiGoldens.map((g) => [g.name, g] as const))(
    'matches torchaudio golden %s within 1e-4 (1e-3 in near-empty bands)',
    (_, g) => {
      const config = parseFeatureConfig({
        kind: 'kaldi-fbank',
        snipEdges: g.settings?.['snip_edges'] === true,
      });
      const f = computeFeatures(Float32Array.from(g.samples), config);
      expect([f.count, f.bins]).toEqual(g.shape);
      const ref = g.features.flat();
      expect(maxAbsDiff(f.frames, ref)).toBeLessThan(1e-3);
      let strong = 0;
      for (let t = 0; t < f.count; t++) {
        const row = g.features[t]!;
        const floor = Math.max(...row) - 14;
        for (let b = 0; b < f.bins; b++)
          if (row[b]! > floor) strong = Math.max(strong, Math.abs(f.frames[t * f.bins + b]! - row[b]!));
      }
      expect(strong).toBeLessThan(1e-4);
    },
  );

  it('streams bit-identically to the whole utterance (reflected edges included)', () => {
    for (const g of kaldiGoldens) {
      const config = parseFeatureConfig({
        kind: 'kaldi-fbank',
        snipEdges: g.settings?.['snip_edges'] === true,
      });
      const x = Float32Array.from(g.samples);
      const whole = computeFeatures(x, config);
      for (const sizes of [[1], [159, 161], [x.length]]) expectBitEqual(streamed(config, x, sizes), whole);
    }
  });

  it('has sherpa-onnx defaults', () => {
    expect(parseFeatureConfig({ kind: 'kaldi-fbank' })).toEqual(kaldiFbankDefaults);
  });
});

describe('streaming equals whole-utterance features on random chunkings', () => {
  const configs = [parseFeatureConfig({ kind: 'nemo-logmel' }), parseFeatureConfig({ kind: 'kaldi-fbank' })];
  it('property: synthetic audio, random lengths and chunk sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 1 }),
        fc.integer(),
        (n, sizes, which, seed) => {
          const config = configs[which]!;
          if (config.kind === 'kaldi-fbank' && n === 0) return;
          let s = seed | 0;
          const x = Float32Array.from(
            { length: n },
            () => ((s = (s * 1103515245 + 12345) | 0) / 2 ** 31) * 0.5,
          );
          if (sizes.every((v) => v === 0)) sizes = [1];
          expectBitEqual(streamed(config, x, sizes), computeFeatures(x, config));
        },
      ),
      { numRuns: 60 },
    );
  });

  const fixture = requireFixture(zipformerDir);
  describe.skipIf(!fixture.present)(`real speech: the zipformer fixture's test_wavs${fixture.note}`, () => {
    it('300 random chunkings of 0.wav and 1.wav give the whole-utterance frames bit for bit', () => {
      let seed = 20261202;
      const rand = (k: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % k;
      let runs = 0;
      for (const wav of ['0.wav', '1.wav']) {
        const samples = decodeWav(readFileSync(join(zipformerDir, 'test_wavs', wav)), wav).samples;
        for (const config of configs) {
          const whole = computeFeatures(samples, config);
          for (let r = 0; r < 75; r++) {
            const sizes = Array.from({ length: 1 + rand(6) }, () => 1 + rand(r % 3 === 0 ? 200 : 9000));
            expectBitEqual(streamed(config, samples, sizes), whole);
            runs++;
          }
        }
      }
      expect(runs).toBe(300);
    });
  });
});

describe('feature config errors', () => {
  it('EXPECTED FAILURE - a bad field is one line naming file and field', () => {
    expect(() => parseFeatureConfig({ kind: 'nemo-logmel', nFft: 500 }, 'm/model.json')).toThrow(
      expect.objectContaining({
        name: 'FrontendError',
        code: 'E_MODEL_CONFIG',
        file: 'm/model.json',
        field: 'encoder.features.nFft',
        message: 'm/model.json: encoder.features.nFft must be a power of two, got 500',
      }),
    );
    expect(() => parseFeatureConfig({ kind: 'mfcc' })).toThrow(
      /encoder\.features\.kind must be one of nemo-logmel, kaldi-fbank, got "mfcc"/,
    );
    expect(() => parseFeatureConfig({ kind: 'kaldi-fbank', dither: 1 })).toThrow(/dither must be 0/);
  });

  it('EXPECTED FAILURE - NaN samples are refused', () => {
    const ex = createFeatureExtractor(nemoLogMelDefaults);
    const x = new Float32Array(10);
    x[3] = NaN;
    expect(() => ex.push(x)).toThrow(
      expect.objectContaining({
        name: 'FrontendError',
        code: 'E_NON_FINITE',
        message: 'samples[3] is NaN (NaN and infinite samples are refused)',
      }),
    );
    expect(() => computeFeatures(Float32Array.of(0, Infinity), kaldiFbankDefaults)).toThrow(
      /samples\[1\] is Infinity/,
    );
  });

  it('BAD CALL - push after finish', () => {
    const ex = createFeatureExtractor(nemoLogMelDefaults);
    ex.finish();
    expect(() => ex.push(new Float32Array(1))).toThrow(
      new TypeError('push() after finish(): call reset() to start a new signal'),
    );
  });
});
