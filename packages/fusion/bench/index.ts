/**
 * Benchmarks of the decoder+joint variants on ONNX Runtime (CPU, one thread), on a
 * parakeet-shaped model (V 1027, H 640, E 512, J 640, K 64, fp16 weights), in one interleaved
 * run so that every ratio is against `ref` measured in the same rounds:
 *
 * - `step`: one RNNT step of each variant from the same inputs. `ref` = decoder + joint (two
 *   calls); `pipeline`, `lean`, `lean-topk` = one call; `cached` = the joint alone (a step whose
 *   prediction is cached: every blank step under the `cache` policy); `projected` = the joint
 *   after projection alone (what each step costs once the projections are hoisted).
 * - `utterance`: a whole file of a synthetic corpus through the `@eou/rnnt-decode` loop with each
 *   variant's own step model and policy (what the policies really save).
 *
 * Model and corpus: `EOU_BENCH_MODEL=DIR` / `EOU_BENCH_DATA=DIR` (e.g. from `eou synth-model
 * --shape parakeet-eou` and `eou synth-corpus`); otherwise the same synthetic model and corpus are
 * generated in a temp directory (seed 1). Both suites run in 3 fresh processes, pooled with a
 * two-level bootstrap (`@eou/bench` `replicate`), so their intervals cover the variation between
 * processes too. Quick mode (`EOU_BENCH_QUICK=1`): one process, few rounds, three short files.
 * Run: `tsx bench/index.ts`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Arm, WriteBenchResultsOptions } from '@eou/bench';
import { interleave, quickMode, REPLICATE_OUT_ENV, replicate } from '@eou/bench';
import { openOnnxSession } from '@eou/onnx-runtime';
import type { FusedStepModel, LoadedModel, ProjectedStepModel, SplitStepModel } from '@eou/rnnt-decode';
import { decodeUtterance, loadModelDirectory, parseNpy, totalCalls } from '@eou/rnnt-decode';
import type { SynthModel } from '../src/index';
import {
  fuseModelDirectory,
  loadSynthModelDirectory,
  SynthCorpusGenerator,
  writeSynthModelDirectory,
} from '../src/index';

const quick = quickMode();
const variantNames = ['ref', 'pipeline', 'lean', 'lean-topk', 'cached', 'projected'] as const;

// ---- model and corpus ------------------------------------------------------------------------

interface Utterance {
  readonly id: string;
  readonly frames: Float32Array;
  readonly frameCount: number;
}

function readCorpus(dir: string, limit: number): Utterance[] {
  const lines = readFileSync(join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  return lines.slice(0, limit).map((line) => {
    const e = JSON.parse(line) as { id: string; frames: string };
    const npy = parseNpy(new Uint8Array(readFileSync(join(dir, e.frames))), e.frames);
    return { id: e.id, frames: npy.data, frameCount: npy.dims[0] };
  });
}

/** A synthetic corpus matched to the synthetic model (`eou synth-corpus`'s generator). */
function synthCorpus(model: SynthModel, count: number, framesPerFile: number): Utterance[] {
  const gen = new SynthCorpusGenerator(model, { seed: 1, framesPerFile });
  return Array.from({ length: count }, (_, k) => gen.utterance(k));
}

/** One process's suites; {@link replicate} runs it in fresh processes and pools them. */
async function runSuites(): Promise<WriteBenchResultsOptions> {
  const tmp = mkdtempSync(join(tmpdir(), 'fusion-bench-'));
  const modelDir = process.env['EOU_BENCH_MODEL'] ?? tmp;
  try {
    const synth = process.env['EOU_BENCH_MODEL']
      ? undefined
      : writeSynthModelDirectory(modelDir, { shape: 'parakeet-eou', seed: 1 });
    // The variants are built into a copy when the model directory is the user's, never over it.
    let buildDir = modelDir;
    if (process.env['EOU_BENCH_MODEL']) {
      buildDir = tmp;
      for (const f of ['decoder.onnx', 'joint_decision.onnx', 'model.json', 'vocab.json'])
        writeFileSync(join(tmp, f), readFileSync(join(modelDir, f)));
    }
    const fuseStart = performance.now();
    for (const variant of ['pipeline', 'lean', 'lean-topk', 'projected'])
      fuseModelDirectory(buildDir, { variant });
    const fuseMs = performance.now() - fuseStart;

    const io = {
      readText: (p: string) => readFileSync(p, 'utf8'),
      exists: (p: string) => existsSync(p),
      openSession: (p: string) => openOnnxSession(p),
    };
    const loaded = new Map<string, LoadedModel>();
    for (const name of variantNames)
      loaded.set(name, await loadModelDirectory(buildDir, name, io, { decode: { eouPolicy: 'reset' } }));
    const cfg = loaded.get('ref')!.config;
    const { hiddenSize: H, encoderDim: E, jointDim: J, vocabSize: V } = cfg;
    const corpus = process.env['EOU_BENCH_DATA']
      ? readCorpus(process.env['EOU_BENCH_DATA'], quick ? 3 : 20)
      : synthCorpus(synth ?? loadSynthModelDirectory(modelDir), quick ? 3 : 20, quick ? 24 : 92);

    // ---- per-step inputs (the Swift bench's LCG recipe: enc = rnd*4, h/c = rnd*0.2, blank token) ----
    let seed = 0x9e3779b97f4a7c15n;
    const lcg = () => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      return Number((seed >> 33n) & 0xffffn) / 65536 - 0.5;
    };
    const pool = Array.from({ length: 16 }, () => ({
      tokens: Int32Array.of(cfg.blankId),
      h: Float32Array.from({ length: H }, () => lcg() * 0.2),
      c: Float32Array.from({ length: H }, () => lcg() * 0.2),
      enc: Float32Array.from({ length: E }, () => lcg() * 4),
    }));
    const split = loaded.get('ref')!.model as SplitStepModel;
    const projected = loaded.get('projected')!.model as ProjectedStepModel;
    const fused = (name: string) => loaded.get(name)!.model as FusedStepModel;
    const pred = { decoder: new Float32Array(H), h: new Float32Array(H), c: new Float32Array(H) };
    const joint = { tokens: new Int32Array(1), probs: new Float32Array(1) };
    const fusedOut = {
      tokens: new Int32Array(1),
      probs: new Float32Array(1),
      h: new Float32Array(H),
      c: new Float32Array(H),
    };
    // What `cached` and `projected` reuse: the prediction output and both projections of each input.
    const cachedDecoder = pool.map((x) => {
      void split.predict(x.tokens, x.h, x.c, pred);
      return pred.decoder.slice();
    });
    const projPred = { decoder: new Float32Array(J), h: new Float32Array(H), c: new Float32Array(H) };
    const projections = pool.map((x) => {
      const enc = new Float32Array(J);
      void projected.projectEncoder(x.enc, 1, enc);
      void projected.predict(x.tokens, x.h, x.c, projPred);
      return { enc, pred: projPred.decoder.slice() };
    });
    const pick = (round: number) => ((round % pool.length) + pool.length) % pool.length;
    const stepArms: Arm[] = [
      {
        name: 'ref',
        run: (r) => {
          const x = pool[pick(r)]!;
          void split.predict(x.tokens, x.h, x.c, pred);
          void split.joint(x.enc, pred.decoder, joint);
          return joint.tokens[0];
        },
      },
      ...(['pipeline', 'lean', 'lean-topk'] as const).map((name): Arm => ({
        name,
        run: (r) => {
          const x = pool[pick(r)]!;
          void fused(name).step(x.tokens, x.h, x.c, x.enc, fusedOut);
          return fusedOut.tokens[0];
        },
      })),
      {
        name: 'cached',
        run: (r) => {
          const i = pick(r);
          void split.joint(pool[i]!.enc, cachedDecoder[i]!, joint);
          return joint.tokens[0];
        },
      },
      {
        name: 'projected',
        run: (r) => {
          const p = projections[pick(r)]!;
          void projected.jointProjected(p.enc, p.pred, joint);
          return joint.tokens[0];
        },
      },
    ];
    for (const m of loaded.values()) {
      if (!m.model.isSync)
        process.stderr.write(
          `note: ${m.variant.name} runs asynchronously (no synchronous ONNX Runtime path)\n`,
        );
    }
    const step = await interleave({
      name: 'step',
      arms: stepArms,
      warmup: quick ? 5 : 20,
      rounds: quick ? 40 : 300,
      compareOutputs: true,
      unit: 'step',
    });

    // ---- per utterance -----------------------------------------------------------------------
    const calls: Record<string, { steps: number; modelCalls: number; tokens: number }> = {};
    const uttArms: Arm[] = variantNames.map((name) => {
      const m = loaded.get(name)!;
      return {
        name,
        run: (r: number) => {
          const u = corpus[pick(r) % corpus.length]!;
          const res = decodeUtterance(m.model, u.frames, u.frameCount, m.decodeConfig);
          if (res instanceof Promise) return res.then((x) => Array.from(x.tokens));
          return Array.from(res.tokens);
        },
      };
    });
    for (const name of variantNames) {
      const m = loaded.get(name)!;
      let steps = 0;
      let modelCalls = 0;
      let tokens = 0;
      for (const u of corpus) {
        const res = await decodeUtterance(m.model, u.frames, u.frameCount, m.decodeConfig);
        steps += res.stats.steps;
        modelCalls += totalCalls(res.stats);
        tokens += res.tokens.length;
      }
      calls[name] = { steps, modelCalls, tokens };
    }
    const utterance = await interleave({
      name: 'utterance',
      arms: uttArms,
      warmup: quick ? 2 : 5,
      rounds: quick ? 6 : 60,
      compareOutputs: true,
      unit: 'utterance',
    });

    for (const m of loaded.values()) await m.close();
    return {
      project: 'fusion',
      suites: [step, utterance],
      extra: {
        engine: 'onnxruntime-node CPU, 1 thread',
        model: {
          dir: process.env['EOU_BENCH_MODEL'] ?? 'eou synth-model --shape parakeet-eou --seed 1',
          vocabSize: V,
          hiddenSize: H,
          encoderDim: E,
          jointDim: J,
          topK: cfg.topK,
        },
        corpus: {
          source: process.env['EOU_BENCH_DATA'] ?? 'eou synth-corpus --seed 1',
          files: corpus.length,
          frames: corpus.reduce((n, u) => n + u.frameCount, 0),
        },
        fuseAllVariantsMs: Math.round(fuseMs),
        perCorpus: calls,
        notes: {
          cached:
            'step suite: the joint alone (a step whose prediction output is cached); utterance suite: split models with the cache policy',
          projected:
            'step suite: joint after projection alone; utterance suite: projected step model (encoder projected once per chunk, prediction once per emission)',
        },
      },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// The CoreML variant suite (its own results file, bench-results/fusion-coreml.json) runs first,
// once, in the parent: it times package building, not steps.
if (!process.env[REPLICATE_OUT_ENV]) await import('./coreml');
await replicate({}, runSuites);
