/**
 * Per-call cost of ONNX Runtime through `@eou/onnx-runtime`, one thread, on the parakeet-shaped
 * synthetic model (H=640, E=512, V=1027):
 * - `call-path-tiny`: the per-call overhead alone (a 4-op model): the synchronous native binding vs
 *   the public async `InferenceSession.run` (one `setImmediate` hop), through this package and raw.
 * - `decoder`, `joint`: one call of each model, sync path, fresh vs preallocated outputs, and the
 *   public async path for comparison.
 * - `per-call <model> (sync|async)`: the toolkit against bare onnxruntime-node, one call of every
 *   model the decode paths run (decoder, joint = the `cached` path's step, projected joint, the
 *   fused `pipeline` and `lean-topk` graphs). Bare is the floor the toolkit wraps, feeds and fetches
 *   built once with every output preallocated: the native binding `InferenceSession.run` (sync),
 *   the public `InferenceSession.run(feeds, fetches)` (async). Toolkit: `session.run` with the
 *   same maps every call (what the decode loop does) and `session.prepare(...).run()`.
 *
 * Every suite runs in fresh processes (3; 1 in quick mode, which the results say), pooled with a
 * two-level bootstrap (`@eou/bench` `replicate`).
 * - `utterance`: a whole synthetic-corpus file through the `@eou/rnnt-decode` loop (`ref` and
 *   `cached`, sync path; `ref` on the async path), outputs compared.
 *
 * The model: `EOU_BENCH_MODEL=DIR` and `EOU_BENCH_FRAMES=F.npy` (from `eou synth-model` /
 * `eou synth-corpus`); without them the bench makes both in a temp directory by running the CLI
 * from source (a runtime may not depend on `@eou/fusion`, which writes the models).
 * Run: `tsx bench/index.ts` (`EOU_BENCH_QUICK=1` or `--quick` for CI).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, quickMode, replicate } from '@eou/bench';
import type { SuiteResult } from '@eou/bench';
import type { TensorMap } from '@eou/rnnt-decode';
import { decodeUtterance, loadModelDirectory, parseNpy } from '@eou/rnnt-decode';
import * as ort from 'onnxruntime-node';
import { openOnnxSession } from '../src/index';
import type { OnnxSession } from '../src/index';
import { createNativeSession } from '../src/ortBinding';
import type { NativeSession, NativeTensor } from '../src/ortBinding';
import { toOrtSessionOptions } from '../src/sessionOptions';

const quick = quickMode();
const here = fileURLToPath(new URL('.', import.meta.url));
const warmup = quick ? 3 : 20;
const rounds = quick ? 30 : 300;

function prepareModel(): { model: string; frames: string; cleanup: () => void } {
  const model = process.env.EOU_BENCH_MODEL;
  const frames = process.env.EOU_BENCH_FRAMES;
  if (model && frames) return { model, frames, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'eou-ort-bench-'));
  const cli = join(here, '../../../apps/cli/src/bin.ts');
  const run = (...args: string[]) =>
    execFileSync('npx', ['tsx', '--conditions', '@eou/source', cli, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  run('synth-model', '--out', join(dir, 'model'), '--seed', '1');
  run('synth-corpus', '--model', join(dir, 'model'), '--out', join(dir, 'corpus'), '--files', '1');
  for (const variant of ['projected', 'pipeline', 'lean-topk'])
    run('fuse', '--model', join(dir, 'model'), '--variant', variant);
  return {
    model: join(dir, 'model'),
    frames: join(dir, 'corpus/frames/synth-00000.npy'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Made once in the parent; the replicate processes inherit the paths.
const { model, frames: framesPath, cleanup } = prepareModel();
process.env.EOU_BENCH_MODEL = model;
process.env.EOU_BENCH_FRAMES = framesPath;
const threads = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const H = 640;
const E = 512;

const decoderFeeds = (): TensorMap => ({
  targets: { dtype: 'int32', dims: [1, 1], data: Int32Array.of(1026) },
  target_length: { dtype: 'int32', dims: [1], data: Int32Array.of(1) },
  h_in: { dtype: 'float32', dims: [1, 1, H], data: new Float32Array(H).map((_, i) => Math.sin(i) * 0.3) },
  c_in: { dtype: 'float32', dims: [1, 1, H], data: new Float32Array(H).map((_, i) => Math.cos(i) * 0.3) },
});
const jointFeeds = (): TensorMap => ({
  encoder_step: {
    dtype: 'float32',
    dims: [1, E, 1],
    data: new Float32Array(E).map((_, i) => Math.sin(i * 0.7)),
  },
  decoder_step: {
    dtype: 'float32',
    dims: [1, H, 1],
    data: new Float32Array(H).map((_, i) => Math.cos(i * 0.3) * 0.5),
  },
});

function preallocated(s: OnnxSession): TensorMap {
  const out: TensorMap = {};
  for (const o of s.outputs) {
    const dims = o.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    const data =
      o.dtype === 'float32'
        ? new Float32Array(n)
        : o.dtype === 'int32'
          ? new Int32Array(n)
          : o.dtype === 'float16'
            ? new Uint16Array(n)
            : new BigInt64Array(n);
    out[o.name] = { dtype: o.dtype, dims, data };
  }
  return out;
}

/** The raw public API, no wrapper: what a user of onnxruntime-node writes. */
async function rawPublic(path: string, feeds: TensorMap) {
  const s = await ort.InferenceSession.create(path, {
    ...threads,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    executionProviders: ['cpu'],
  });
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds))
    ortFeeds[k] = new ort.Tensor(t.dtype, t.data as Float32Array, t.dims);
  return { run: () => s.run(ortFeeds), close: () => s.release() };
}

async function callPathSuite(name: string, path: string, feeds: TensorMap): Promise<SuiteResult> {
  const sync = await openOnnxSession(path, { ...threads, callPath: 'sync' });
  const async_ = await openOnnxSession(path, { ...threads, callPath: 'async' });
  const raw = await rawPublic(path, feeds);
  const pre = preallocated(sync);
  const suite = await interleave({
    name,
    arms: [
      { name: 'sync (native binding)', run: () => void sync.run(feeds) },
      { name: 'sync, preallocated outputs', run: () => void sync.run(feeds, pre) },
      { name: 'async (public run, via @eou)', run: async () => void (await async_.run(feeds)) },
      { name: 'async (raw onnxruntime-node)', run: async () => void (await raw.run()) },
    ],
    warmup,
    rounds,
    unit: 'call',
  });
  await Promise.all([sync.close(), async_.close(), raw.close()]);
  return suite;
}

/** Feeds of every input, fixed dims (a symbolic dim is 1), deterministic data. */
function feedsOf(s: OnnxSession): TensorMap {
  const feeds: TensorMap = {};
  for (const info of s.inputs) {
    const dims = info.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[info.name] =
      info.dtype === 'int32'
        ? { dtype: 'int32', dims, data: new Int32Array(n).fill(info.name === 'targets' ? 1026 : 1) }
        : { dtype: 'float32', dims, data: new Float32Array(n).map((_, i) => Math.sin(i * 0.7) * 0.4) };
  }
  return feeds;
}

const nativeOf = (t: TensorMap[string]): NativeTensor => ({
  type: t.dtype,
  dims: t.dims,
  data: t.data,
  location: 'cpu',
});
const ortOf = (t: TensorMap[string]): ort.Tensor => new ort.Tensor(t.dtype, t.data as Float32Array, t.dims);
const mapValues = <T>(m: TensorMap, f: (t: TensorMap[string]) => T): Record<string, T> =>
  Object.fromEntries(Object.entries(m).map(([k, t]) => [k, f(t)]));

/** Toolkit vs bare onnxruntime-node, one call of `file`, on the sync and on the async path. */
async function perCallSuites(label: string, file: string): Promise<SuiteResult[]> {
  const opts = toOrtSessionOptions(threads);
  // One session per arm: arms sharing a session would find its weights in cache more often. The
  // order the sessions are opened in rotates with the replicate, so where each one's weights land
  // in memory varies between processes and the two-level interval covers it.
  const replicate = Number(process.env.EOU_BENCH_REPLICATE_INDEX ?? 0);
  const opened: (OnnxSession | NativeSession)[] = [];
  const openers = [
    () => openOnnxSession(file, { ...threads, callPath: 'sync' }),
    () => openOnnxSession(file, { ...threads, callPath: 'sync' }),
    async () => {
      const n = await createNativeSession();
      if (!n) throw new Error('onnxruntime-node exposes no synchronous binding');
      n.loadModel(file, opts);
      return n;
    },
  ];
  for (let i = 0; i < openers.length; i++)
    opened[(i + replicate) % 3] = await openers[(i + replicate) % 3]!();
  const [sync, sync2] = opened as [OnnxSession, OnnxSession];
  const native = opened[2] as NativeSession;
  const prepared = sync2.prepare(feedsOf(sync2));
  // The decode loop's way: plain run() with the same maps on every call.
  const loopFeeds = feedsOf(sync);
  const loopOutputs = sync.prepare(loopFeeds).outputs;
  const bareFeeds = mapValues(feedsOf(sync), nativeOf);
  const bareFetches = mapValues(sync.prepare(feedsOf(sync)).outputs, nativeOf);
  const runOptions = {};
  const syncSuite = await interleave({
    name: `per-call ${label} (sync)`,
    arms: [
      {
        name: 'bare onnxruntime-node (native binding, prebuilt feeds/fetches)',
        run: () => native.run(bareFeeds, bareFetches, runOptions),
      },
      { name: '@eou session.run (same maps every call)', run: () => sync.run(loopFeeds, loopOutputs) },
      { name: '@eou prepare().run()', run: () => prepared.run() },
    ],
    warmup,
    rounds,
    order: 'balanced',
    unit: 'call',
  });
  const asyncS = await openOnnxSession(file, { ...threads, callPath: 'async' });
  const asyncPrepared = asyncS.prepare(feedsOf(asyncS));
  const pub = await ort.InferenceSession.create(file, opts as ort.InferenceSession.SessionOptions);
  const pubFeeds = mapValues(feedsOf(asyncS), ortOf);
  const pubFetches = mapValues(asyncS.prepare(feedsOf(asyncS)).outputs, ortOf);
  const asyncSuite = await interleave({
    name: `per-call ${label} (async)`,
    arms: [
      {
        name: 'bare onnxruntime-node (public run, prebuilt feeds/fetches)',
        run: () => pub.run(pubFeeds, pubFetches),
      },
      { name: '@eou prepare().run()', run: () => asyncPrepared.run() },
    ],
    warmup,
    rounds,
    unit: 'call',
  });
  native.dispose();
  await Promise.all([sync.close(), sync2.close(), asyncS.close(), pub.release()]);
  return [syncSuite, asyncSuite];
}

const PER_CALL: readonly [string, string][] = [
  ['decoder', 'decoder.onnx'],
  ['joint (ref/cached step)', 'joint_decision.onnx'],
  ['projected joint', 'projected_joint.onnx'],
  ['pipeline (fused)', 'decoder_joint_decision_pipeline.onnx'],
  ['lean-topk (fused, top-k outputs)', 'decoder_joint_decision_fused_topk.onnx'],
];

// `EOU_BENCH_ONLY=per-call`: only the toolkit-vs-bare suites (for repeated runs of that comparison).
const only = process.env.EOU_BENCH_ONLY;

async function runSuites() {
  const suites: SuiteResult[] = [];
  const skipped: string[] = [];
  if (only === 'per-call') {
    for (const [label, name] of PER_CALL) {
      if (existsSync(join(model, name))) suites.push(...(await perCallSuites(label, join(model, name))));
      else skipped.push(name);
    }
    return { project: 'onnx-runtime', suites, extra: { only, perCallModelsMissing: skipped } };
  }
  const tinyFeeds: TensorMap = {
    a: { dtype: 'float32', dims: [1, 1, 3], data: Float32Array.of(-1, 0, 1) },
    i: { dtype: 'int32', dims: [2], data: Int32Array.of(1, 2) },
    h: { dtype: 'float16', dims: [2], data: Uint16Array.of(0x3c00, 0) },
    l: { dtype: 'int64', dims: [1], data: BigInt64Array.of(1n) },
  };
  suites.push(await callPathSuite('call-path-tiny', join(here, '../test/fixtures/mixed.onnx'), tinyFeeds));
  suites.push(await callPathSuite('decoder', join(model, 'decoder.onnx'), decoderFeeds()));
  suites.push(await callPathSuite('joint', join(model, 'joint_decision.onnx'), jointFeeds()));
  for (const [label, name] of PER_CALL) {
    if (existsSync(join(model, name))) suites.push(...(await perCallSuites(label, join(model, name))));
    else skipped.push(name);
  }

  const io = (callPath: 'sync' | 'async') => ({
    readText: (p: string) => readFileSync(p, 'utf8'),
    exists: (p: string) => existsSync(p),
    openSession: (p: string) => openOnnxSession(p, { ...threads, callPath }),
  });
  const npy = parseNpy(new Uint8Array(readFileSync(framesPath)), framesPath);
  const [n] = npy.dims;
  const ref = await loadModelDirectory(model, 'ref', io('sync'));
  const cached = await loadModelDirectory(model, 'cached', io('sync'));
  const refAsync = await loadModelDirectory(model, 'ref', io('async'));
  const tokens = async (m: typeof ref) =>
    Array.from((await decodeUtterance(m.model, npy.data, n, m.decodeConfig)).tokens);
  suites.push(
    await interleave({
      name: 'utterance',
      arms: [
        { name: 'ref (sync)', run: () => tokens(ref) },
        { name: 'cached (sync)', run: () => tokens(cached) },
        { name: 'ref (async public run)', run: () => tokens(refAsync) },
      ],
      warmup: quick ? 1 : 3,
      rounds: quick ? 5 : 30,
      compareOutputs: true,
      unit: `utterance (${n} frames)`,
    }),
  );
  await Promise.all([ref.close(), cached.close(), refAsync.close()]);
  return {
    project: 'onnx-runtime',
    suites,
    extra: {
      model: 'synthetic parakeet-eou (eou synth-model --seed 1; eou fuse projected, pipeline, lean-topk)',
      frames: n,
      intraOpNumThreads: 1,
      onnxruntimeNode: '1.30.0',
      perCallModelsMissing: skipped,
    },
  };
}

try {
  await replicate({}, runSuites);
} finally {
  cleanup();
}
