// Throughput of @eou/frontend on one core (ONNX Runtime with one intra-op thread; everything else
// runs on the main thread): feature extraction in x real time (goal 500x) for both feature kinds,
// streamed in 100 ms pushes and whole, and the tiny EOU model's whole streaming loop (features ->
// streaming encoder -> RNNT loop -> EOU debounce; goal 100x) with its stage split. Audio: the
// zipformer fixture's two LibriSpeech clips when ../shared/fixtures is there, else the committed
// held-out clips; the loop always runs on the held-out clips (the tiny model's own domain).
// Run: `npm run bench` (EOU_BENCH_QUICK=1 for CI); writes bench-results/frontend.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, quickMode, writeBenchResults } from '@eou/bench';
import { openTinyModel } from '../test/tinyModel';
import { packageDir, zipformerDir } from '../test/paths';
import {
  computeFeatures,
  createFeatureExtractor,
  createStreamingTranscriber,
  decodeWav,
  kaldiFbankDefaults,
  nemoLogMelDefaults,
  readAudioFile,
  type FeatureConfig,
  type StageTiming,
} from '../src/index';

const quick = quickMode();
const heldoutDir = join(packageDir, 'test', 'fixtures', 'heldout');
const heldout = await Promise.all(
  readdirSync(heldoutDir)
    .filter((f) => f.endsWith('.flac'))
    .sort()
    .map(async (f) => (await readAudioFile(join(heldoutDir, f))).samples),
);
const speechSource = existsSync(zipformerDir)
  ? 'zipformer-kws-gigaspeech-3.3M/test_wavs/{0,1}.wav'
  : 'test/fixtures/heldout/*.flac';
const speech = existsSync(zipformerDir)
  ? ['0.wav', '1.wav'].map((w) => decodeWav(readFileSync(join(zipformerDir, 'test_wavs', w)), w).samples)
  : heldout;
const seconds = (clips: Float32Array[]) => clips.reduce((s, c) => s + c.length, 0) / 16000;

function streamFeatures(config: FeatureConfig, clips: Float32Array[]): number {
  const ex = createFeatureExtractor(config);
  let frames = 0;
  for (const x of clips) {
    ex.reset();
    for (let at = 0; at < x.length; at += 1600) frames += ex.push(x.subarray(at, at + 1600)).count;
    frames += ex.finish().count;
  }
  return frames;
}
const wholeFeatures = (config: FeatureConfig, clips: Float32Array[]): number =>
  clips.reduce((n, x) => n + computeFeatures(x, config).count, 0);

const featureSuite = await interleave({
  name: `features over ${seconds(speech).toFixed(1)} s of speech (${speechSource})`,
  unit: 'corpus',
  arms: [
    { name: 'nemo-logmel streamed', run: () => streamFeatures(nemoLogMelDefaults, speech) },
    { name: 'nemo-logmel whole', run: () => wholeFeatures(nemoLogMelDefaults, speech), compare: false },
    { name: 'kaldi-fbank streamed', run: () => streamFeatures(kaldiFbankDefaults, speech), compare: false },
    { name: 'kaldi-fbank whole', run: () => wholeFeatures(kaldiFbankDefaults, speech), compare: false },
  ],
  warmup: quick ? 2 : 5,
  rounds: quick ? 8 : 40,
});

const model = await openTinyModel();
const loopTiming: StageTiming = { featuresMs: 0, encoderMs: 0, decodeMs: 0 };
async function streamLoop(): Promise<number> {
  let tokens = 0;
  const t = createStreamingTranscriber(model.transcriberOptions());
  for (const x of heldout) {
    t.reset();
    for (let at = 0; at < x.length; at += 1600) await t.process(x.subarray(at, at + 1600));
    const r = await t.finish();
    tokens += r.tokens.length;
    loopTiming.featuresMs += r.timing.featuresMs;
    loopTiming.encoderMs += r.timing.encoderMs;
    loopTiming.decodeMs += r.timing.decodeMs;
  }
  return tokens;
}
const loopSuite = await interleave({
  name: `tiny EOU streaming loop over ${seconds(heldout).toFixed(1)} s of held-out audio (schedule tiny-160ms, 100 ms pushes)`,
  unit: 'corpus',
  arms: [{ name: 'transcriber', run: () => streamLoop() }],
  warmup: quick ? 2 : 5,
  rounds: quick ? 8 : 30,
});
await model.close();

const xRealTime = (suite: typeof featureSuite, audioSeconds: number): Record<string, number> =>
  Object.fromEntries(suite.arms.map((a) => [a.name, Math.round(audioSeconds / (a.summary.median / 1e9))]));
const stageTotal = loopTiming.featuresMs + loopTiming.encoderMs + loopTiming.decodeMs;

await writeBenchResults({
  project: 'frontend',
  suites: [featureSuite, loopSuite],
  extra: {
    quick,
    audioSeconds: { features: seconds(speech), loop: seconds(heldout) },
    xRealTime: { ...xRealTime(featureSuite, seconds(speech)), ...xRealTime(loopSuite, seconds(heldout)) },
    goal: { features: 500, loop: 100 },
    // Share of the loop's time per stage, summed over warm-up and timed rounds.
    loopStageShare: {
      features: loopTiming.featuresMs / stageTotal,
      encoder: loopTiming.encoderMs / stageTotal,
      decode: loopTiming.decodeMs / stageTotal,
    },
    threads: {
      onnxRuntimeIntraOp: 1,
      note: 'one core: ONNX Runtime intra-op 1, features and loop on the main thread',
    },
  },
});
