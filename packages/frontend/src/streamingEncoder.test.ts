import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { milToOnnx, readMlmodelc, writeSyntheticMlmodelc } from '@eou/coreml-format';
import { writeOnnx } from '@eou/graph';
import { openOnnxSession } from '@eou/onnx-runtime';
import type { Session, SplitStepModel, TensorMap } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parakeetDir, requireFixture, tinyModelDir, zipformerDir } from '../test/paths';
import {
  computeFeatures,
  createStreamingEncoder,
  decodeWav,
  parakeetStreamingEncoderSpec,
  parseFeatureConfig,
  parseStreamingEncoderSpec,
  resolveSchedule,
  transcribe,
  zipformerStreamingEncoderSpec,
  type StreamingEncoder,
} from '../src/index';

/** A scripted session: state `s` counts calls, `y` = x + s. */
function countingSession(inputs: Session['inputs'], outputs: Session['outputs']): Session {
  return {
    path: 'counting.onnx',
    inputs,
    outputs,
    isSync: true,
    run(feeds: TensorMap): TensorMap {
      const x = feeds['x']!.data as Float32Array;
      const s = (feeds['s']!.data as Float32Array)[0]!;
      return {
        y: { dtype: 'float32', dims: feeds['x']!.dims, data: x.map((v) => v + s) },
        new_s: { dtype: 'float32', dims: [1], data: Float32Array.of(s + 1) },
      };
    },
    close() {},
  };
}

describe(createStreamingEncoder, () => {
  const spec = parseStreamingEncoderSpec({
    input: 'x',
    inputLayout: 'frames-first',
    output: 'y',
    outputLayout: 'frames-first',
  });
  const io = {
    inputs: [
      { name: 'x', dtype: 'float32', shape: [1, 'T', 2] },
      { name: 's', dtype: 'float32', shape: [1] },
    ] as Session['inputs'],
    outputs: [
      { name: 'y', dtype: 'float32', shape: [1, 'T', 2] },
      { name: 'new_s', dtype: 'float32', shape: [1] },
    ] as Session['outputs'],
  };

  it('zero-initialises states, feeds them back each call, and zeroes them on reset', async () => {
    const enc = createStreamingEncoder(countingSession(io.inputs, io.outputs), spec);
    expect(enc.states).toEqual([{ input: 's', output: 'new_s', dtype: 'float32', dims: [1] }]);
    for (const expected of [0, 1, 2]) {
      const r = await enc.encode(Float32Array.of(1, 2), 1);
      expect(Array.from(r.frames)).toEqual([1 + expected, 2 + expected]);
    }
    enc.reset();
    expect(Array.from((await enc.encode(Float32Array.of(5, 5), 1)).frames)).toEqual([5, 5]);
  });

  it('EXPECTED FAILURE - a state input that does not pair is one line naming file and tensor', () => {
    const outputs = [io.outputs[0]!, { name: 'next_s', dtype: 'float32', shape: [1] }] as Session['outputs'];
    expect(() => createStreamingEncoder(countingSession(io.inputs, outputs), spec)).toThrow(
      expect.objectContaining({
        name: 'FrontendError',
        code: 'E_ENCODER_CONTRACT',
        field: 's',
        message:
          'counting.onnx: state input `s` does not pair with an output: expected `new_s` (states pair by the prefix "new_")',
      }),
    );
    const explicit = parseStreamingEncoderSpec({
      input: 'x',
      output: 'y',
      outputLayout: 'frames-first',
      inputLayout: 'frames-first',
      states: [{ input: 's', output: 'new_x' }],
    });
    expect(() => createStreamingEncoder(countingSession(io.inputs, io.outputs), explicit)).toThrow(
      'counting.onnx: state input `s` does not pair with an output: `new_x` does not exist',
    );
  });

  it('EXPECTED FAILURE - mismatched state shapes and a wrong chunk size', async () => {
    const outputs = [io.outputs[0]!, { name: 'new_s', dtype: 'float32', shape: [2] }] as Session['outputs'];
    expect(() => createStreamingEncoder(countingSession(io.inputs, outputs), spec)).toThrow(
      'counting.onnx: state `s` [1] and its output `new_s` [2] differ in shape',
    );
    const enc = createStreamingEncoder(countingSession(io.inputs, io.outputs), spec);
    await expect(enc.encode(new Float32Array(3), 2)).rejects.toThrow(
      new RangeError('features.length must be frameCount*featureBins = 2*2 = 4, got 3'),
    );
  });

  it('EXPECTED FAILURE - a bad model.json streaming block names the field', () => {
    expect(() =>
      parseStreamingEncoderSpec({ input: 'x', output: 'y', inputLayout: 'time-first' }, 'm.json'),
    ).toThrow(
      'm.json: encoder.streaming.inputLayout must be "bins-first" or "frames-first", got "time-first"',
    );
  });
});

describe('the tiny model streaming encoder (encoder_streaming.onnx)', () => {
  const model = JSON.parse(readFileSync(join(tinyModelDir, 'model.json'), 'utf8')) as {
    encoder: { features: unknown; streaming: unknown };
  };
  const features = parseFeatureConfig(model.encoder.features, 'model.json');
  const spec = parseStreamingEncoderSpec(model.encoder.streaming, 'model.json');
  let whole: Session;
  let step: StreamingEncoder;
  beforeAll(async () => {
    whole = await openOnnxSession(join(tinyModelDir, 'encoder.onnx'));
    step = createStreamingEncoder(await openOnnxSession(join(tinyModelDir, spec.file!)), spec);
  });
  afterAll(async () => {
    await whole.close();
    await step.session.close();
  });

  it('declares six conv caches [1,192,4] paired by new_', () => {
    expect(step.states.map((s) => `${s.input}->${s.output} [${s.dims.join(',')}]`)).toEqual(
      Array.from({ length: 6 }, (_, k) => `cache_${k}->new_cache_${k} [1,192,4]`),
    );
    expect([step.featureBins, step.outputDim, step.chunkFrames]).toEqual([128, 192, undefined]);
  });

  /** 4.1 s of a deterministic speech-like signal: gliding harmonics in bursts, with noise. */
  const signal = Float32Array.from({ length: 65_600 }, (_, i) => {
    const t = i / 16000;
    const burst = Math.sin(Math.PI * ((t * 2.5) % 1)) ** 2;
    const f0 = 120 + 60 * Math.sin(t * 1.7);
    let v = 0;
    for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * f0 * h * t) / h;
    return 0.2 * burst * v + ((0.01 * Math.sin(i * 12.9898) * 43758.5453) % 1);
  });

  it.each([8, 16, 40, 200])(
    'equals the whole-utterance encoder within 1e-5 on every frame, in chunks of %i mel frames',
    async (chunk) => {
      const f = computeFeatures(signal, features);
      const ref = await whole.run({
        features: { dtype: 'float32', dims: [1, 128, f.count], data: toBinMajorOf(f.frames, f.count, 128) },
      });
      const encoded = ref['encoded']!;
      const count = encoded.dims[2]!;
      expect(count).toBe(Math.ceil(f.count / 8));
      step.reset();
      const got: number[] = [];
      for (let at = 0; at < f.count; at += chunk) {
        const n = Math.min(chunk, f.count - at);
        const r = await step.encode(f.frames.subarray(at * 128, (at + n) * 128), n);
        got.push(...r.frames);
      }
      expect(got.length).toBe(count * 192);
      let max = 0;
      const data = encoded.data as Float32Array;
      for (let t = 0; t < count; t++)
        for (let e = 0; e < 192; e++) max = Math.max(max, Math.abs(got[t * 192 + e]! - data[e * count + t]!));
      expect(max).toBeLessThan(1e-5);
    },
  );
});

function toBinMajorOf(frames: Float32Array, count: number, bins: number): Float32Array {
  const out = new Float32Array(frames.length);
  for (let t = 0; t < count; t++) for (let b = 0; b < bins; b++) out[b * count + t] = frames[t * bins + b]!;
  return out;
}

const zipformer = requireFixture(zipformerDir);
describe.skipIf(!zipformer.present)(
  `the zipformer fixture's encoder (encoder.int8.onnx)${zipformer.note}`,
  () => {
    it('runs 45-frame windows advancing by 32 with its 38 states fed back', async () => {
      const session = await openOnnxSession(join(zipformerDir, 'encoder.int8.onnx'));
      const enc = createStreamingEncoder(session, zipformerStreamingEncoderSpec);
      expect([enc.featureBins, enc.chunkFrames, enc.outputDim, enc.states.length]).toEqual([80, 45, 320, 38]);
      expect(enc.states.at(-1)).toEqual({
        input: 'processed_lens',
        output: 'new_processed_lens',
        dtype: 'int64',
        dims: [1],
      });
      const audio = decodeWav(readFileSync(join(zipformerDir, 'test_wavs', '0.wav')), '0.wav').samples;
      const fbank = computeFeatures(audio, parseFeatureConfig({ kind: 'kaldi-fbank' }));
      let chunks = 0;
      for (let at = 0; at + 45 <= fbank.count && chunks < 6; at += 32, chunks++) {
        const r = await enc.encode(fbank.frames.subarray(at * 80, (at + 45) * 80), 45);
        expect([r.count, r.dim]).toEqual([8, 320]);
        expect(r.frames.every(Number.isFinite)).toBe(true);
        // processed_lens counts the encoder's processed frames: 16 per chunk at its 50 Hz embed rate.
        expect(Number(enc.state('processed_lens').data[0])).toBe(16 * (chunks + 1));
      }
      await session.close();
    });
  },
);

const parakeet = requireFixture(parakeetDir);
describe.skipIf(!parakeet.present)(
  `the real Parakeet EOU streaming_encoder contract (converted from model.mil, synthetic weights)${parakeet.note}`,
  () => {
    let tmp = '';
    let enc: StreamingEncoder;
    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), 'eou-frontend-parakeet-'));
      writeSyntheticMlmodelc(join(parakeetDir, 'streaming_encoder.mlmodelc'), join(tmp, 'e.mlmodelc'));
      const bytes = writeOnnx(milToOnnx(readMlmodelc(join(tmp, 'e.mlmodelc'))));
      rmSync(join(tmp, 'e.mlmodelc'), { recursive: true, force: true });
      enc = createStreamingEncoder(
        await openOnnxSession({ bytes, name: 'streaming_encoder.onnx' }),
        parakeetStreamingEncoderSpec,
      );
    }, 300_000);
    afterAll(async () => {
      await enc?.session.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('pairs pre_cache, cache_last_channel, cache_last_time, cache_last_channel_len with new_*', () => {
      expect(enc.states.map((s) => `${s.input} ${s.dtype} [${s.dims.join(',')}]`)).toEqual([
        'pre_cache float32 [1,128,16]',
        'cache_last_channel float32 [17,1,70,512]',
        'cache_last_time float32 [17,1,512,8]',
        'cache_last_channel_len int32 [1]',
      ]);
      expect([enc.featureBins, enc.chunkFrames, enc.outputDim]).toEqual([128, 17, 512]);
    });

    it('runs 10 production chunks (2560 samples shifted by 1280, 17 mel frames each), carrying the caches', async () => {
      const mel = parseFeatureConfig({ kind: 'nemo-logmel' });
      const audio = Float32Array.from(
        { length: 2560 + 9 * 1280 },
        (_, i) => 0.3 * Math.sin(i / 9) * Math.sin(i / 2000),
      );
      let previousPreCache = new Float32Array(128 * 16);
      for (let k = 0; k < 10; k++) {
        const start = k * 1280;
        const chunk = computeFeatures(audio.subarray(start, start + 2560), mel, {
          previousSample: start > 0 ? audio[start - 1]! : 0,
        });
        expect(chunk.count).toBe(17);
        const r = await enc.encode(chunk.frames, 17);
        expect([r.count, r.dim, r.validLength]).toEqual([3, 512, 3]);
        expect(r.frames.every(Number.isFinite)).toBe(true);
        for (const s of enc.states) expect(enc.state(s.input).dims).toEqual(s.dims);
        // new_pre_cache = the last 16 mel frames of [pre_cache, chunk] = chunk frames 1..16, fp16-rounded.
        const pre = enc.state('pre_cache').data as Float32Array;
        expect(Math.abs(pre[0]! - chunk.frames[1 * 128]!)).toBeLessThan(2e-2);
        expect(Array.from(pre)).not.toEqual(Array.from(previousPreCache));
        previousPreCache = pre.slice();
      }
      expect(enc.calls).toBe(10);
      expect(Number(enc.state('cache_last_channel_len').data[0])).toBeGreaterThan(0);
      enc.reset();
      expect((enc.state('cache_last_time').data as Float32Array).every((v) => v === 0)).toBe(true);
    }, 300_000);

    it('drives the transcriber under harness and production: 6 windows x 3 columns vs 12 chunks x 2 of 1 s of audio', async () => {
      let joints = 0;
      const blankModel: SplitStepModel = {
        kind: 'split',
        isSync: true,
        hiddenSize: 1,
        encoderDim: 512,
        vocabSize: 1027,
        maxBatch: 1,
        predict(_t, _h, _c, out) {
          out.decoder[0] = 0;
        },
        joint(_f, _d, out) {
          joints++;
          out.tokens[0] = 1026;
          out.probs[0] = 1;
        },
      };
      const base = {
        features: parseFeatureConfig({ kind: 'nemo-logmel' }),
        encoder: enc,
        decoder: blankModel,
        decodeConfig: { blankId: 1026, eouId: 1024 },
      };
      const audio = Float32Array.from({ length: 16000 }, (_, i) => 0.2 * Math.sin(i / 11));
      const harness = await transcribe(audio, { ...base, schedule: resolveSchedule('harness') });
      expect([harness.schedule, harness.chunks, joints, harness.frameMs]).toEqual([
        'harness',
        6,
        18,
        160 / 3,
      ]);
      joints = 0;
      const production = await transcribe(audio, { ...base, schedule: resolveSchedule('production') });
      expect([production.schedule, production.chunks, joints, production.frameMs]).toEqual([
        'production',
        12,
        24,
        40,
      ]);
    }, 300_000);
  },
);
