/**
 * `eou bench`: per-step timing of a model directory's decode-path variants, interleaved in
 * balanced rounds (a Williams design, @eou/bench), with an identical-output check inside the timed loop, and with
 * `--utterances DIR` per-utterance decode times and RTFx. Writes a results JSON that
 * `--baseline FILE` (and `eou-bench compare`) read. Exit 0, 1 when `--baseline` finds a regression
 * beyond noise, 2 for bad input.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  compareToBaseline,
  formatComparisonMarkdown,
  interleave,
  defaultProcesses,
  quickMode,
  readBenchResults,
  replicate,
  rtfx,
} from '@eou/bench';
import type { Arm, BaselineComparison, RtfxSummary, SuiteResult } from '@eou/bench';
import { checkVariantSources, isVariantKind } from '@eou/fusion';
import { parseManifest } from '@eou/gate';
import { openOnnxSession } from '@eou/onnx-runtime';
import {
  decodeUtterance,
  loadModelDirectory,
  lstmStepModel,
  modelVariants,
  parseModelConfig,
  parseNpy,
  variantFiles,
  variantNames,
} from '@eou/rnnt-decode';
import type {
  LoadedModel,
  ModelConfig,
  ModelDescription,
  StatelessStepModel,
  StepModel,
  VariantNumerics,
  VariantRegistry,
} from '@eou/rnnt-decode';
import { detectLayout, readModelDirectory } from '@eou/model-dir';
import { modelVariantNames } from '../modelVariants';
import { CLIError } from '../cliError';
import { defineCommand } from '../command';
import { rangeErrorAsBadInput, writeFailureAsBadInput } from '../errors';
import { inputLimit, readInputFile, readInputText } from '../inputFiles';
import { mismatchNote } from '../mismatchNote';
import { modelFor } from '../modelDefaults';
import { createProgress, progressSettings, type Progress } from '../progress';

/** What `eou bench` times on the embedded model when no --variants are given (the gate's default set). */
const EMBEDDED_VARIANTS: readonly string[] = ['ref', 'pipeline', 'lean'];

/** What one timed step of each variant runs (the loop's cost of one blank step). */
const STEP_OF: Readonly<Record<string, string>> = {
  split: 'prediction net + joint (2 calls)',
  cached: 'joint only (the prediction output is reused until an emission)',
  fused: 'one fused call',
  projected: 'joint after projection (projections hoisted out of the step)',
  stateless: 'prediction net on a context + joint (an emitting frame: 2 calls)',
};

function stepKind(loaded: LoadedModel): string {
  const k = loaded.model.kind;
  if (k === 'split' && loaded.decodeConfig.predictionPolicy === 'cache') return 'cached';
  return k;
}

function badInput(error: unknown): never {
  return rangeErrorAsBadInput('bench', error);
}

// A failing arm (a session error mid-run) becomes one line naming the arm, the phase and the round.
async function timed(options: Parameters<typeof interleave>[0], progress: Progress): Promise<SuiteResult> {
  try {
    // onRound runs outside the timed region.
    return await interleave({ ...options, onRound: (round) => progress.tick(round + 1) });
  } catch (error) {
    badInput(error);
  } finally {
    progress.finish();
  }
}

/**
 * The seed's deterministic inputs (bench_fused_decode.swift): a 64-bit LCG, seed 0x9E3779B97F4A7C15,
 * seed = seed * 6364136223846793005 + 1442695040888963407 (wrapping), value = ((seed >> 33) & 0xFFFF)
 * / 65536 - 0.5. Drawn in the order encoder_step (x 4), then h, then c (x 0.2); each further input
 * set continues the stream.
 */
export function seedLcgInputs(
  sets: number,
  encoderDim: number,
  hiddenSize: number,
): { encoder: Float32Array; h: Float32Array; c: Float32Array }[] {
  const mask = (1n << 64n) - 1n;
  let seed = 0x9e3779b97f4a7c15n;
  const rnd = (): number => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & mask;
    return Number((seed >> 33n) & 0xffffn) / 65536 - 0.5;
  };
  return Array.from({ length: sets }, () => {
    const encoder = Float32Array.from({ length: encoderDim }, () => rnd() * 4);
    const h = Float32Array.from({ length: hiddenSize }, () => rnd() * 0.2);
    const c = Float32Array.from({ length: hiddenSize }, () => rnd() * 0.2);
    return { encoder, h, c };
  });
}

type Inputs = ReturnType<typeof seedLcgInputs>;

/**
 * One arm timing a single decode step of `loaded` on input set `round mod inputs.length`; its
 * output is the step's token id. A synchronous model is called without any promise.
 */
function stepArm(name: string, loaded: LoadedModel, inputs: Inputs, blankId: number): Arm {
  if (loaded.model.kind === 'stateless') return statelessStepArm(name, loaded.model, inputs);
  const m: StepModel = lstmStepModel(loaded, 'eou bench (per step)');
  const H = m.hiddenSize;
  const n = inputs.length;
  const at = (round: number): number => ((round % n) + n) % n;
  const tokens = Int32Array.of(blankId);
  const joint = { tokens: new Int32Array(1), probs: new Float32Array(1) };
  const pred = { decoder: new Float32Array(H), h: new Float32Array(H), c: new Float32Array(H) };
  const fused = { ...joint, h: new Float32Array(H), c: new Float32Array(H) };
  // Cached and projected: the per-emission parts run once per input set, untimed, in setup.
  const decoders = inputs.map(() => new Float32Array(m.kind === 'projected' ? m.jointDim : H));
  const encoders = inputs.map((x) => (m.kind === 'projected' ? new Float32Array(m.jointDim) : x.encoder));
  const setup = async (): Promise<void> => {
    if (m.kind === 'fused') return;
    for (let i = 0; i < n; i++) {
      const x = inputs[i]!;
      await m.predict(tokens, x.h, x.c, {
        decoder: decoders[i]!,
        h: new Float32Array(H),
        c: new Float32Array(H),
      });
      if (m.kind === 'projected') await m.projectEncoder(x.encoder, 1, encoders[i]!);
    }
  };
  let step: (i: number) => void | Promise<void>;
  let out: { tokens: Int32Array } = joint;
  if (m.kind === 'fused') {
    out = fused;
    step = (i) => m.step(tokens, inputs[i]!.h, inputs[i]!.c, inputs[i]!.encoder, fused);
  } else if (m.kind === 'split' && loaded.decodeConfig.predictionPolicy !== 'cache') {
    step = (i) => {
      const x = inputs[i]!;
      const p = m.predict(tokens, x.h, x.c, pred);
      return p
        ? p.then(() => m.joint(x.encoder, pred.decoder, joint))
        : m.joint(x.encoder, pred.decoder, joint);
    };
  } else if (m.kind === 'projected') {
    step = (i) => m.jointProjected(encoders[i]!, decoders[i]!, joint);
  } else {
    step = (i) => m.joint(encoders[i]!, decoders[i]!, joint);
  }
  const needsSetup =
    m.kind === 'projected' || (m.kind === 'split' && loaded.decodeConfig.predictionPolicy === 'cache');
  const base = needsSetup ? { name, setup } : { name };
  if (m.isSync) return { ...base, run: (r) => (step(at(r)), out.tokens[0]) };
  return { ...base, run: async (r) => (await step(at(r)), out.tokens[0]) };
}

/**
 * A stateless (sherpa-onnx / icefall) net's step on an emitting frame: the prediction net on a
 * context of K tokens, then the joint; each input set has its own context (deterministic ids), so
 * the decoder and joiner files of the variants are both on the timed path.
 */
function statelessStepArm(name: string, m: StatelessStepModel, inputs: Inputs): Arm {
  const K = m.contextSize;
  const n = inputs.length;
  const at = (round: number): number => ((round % n) + n) % n;
  const contexts = inputs.map((_, i) =>
    Int32Array.from({ length: K }, (_, k) => 3 + ((i * 37 + k * 11) % (m.vocabSize - 3))),
  );
  const decoded = new Float32Array(m.hiddenSize);
  const joint = { tokens: new Int32Array(1), probs: new Float32Array(1) };
  const step = (i: number): void | Promise<void> => {
    const p = m.predict(contexts[i]!, decoded);
    return p
      ? p.then(() => m.joint(inputs[i]!.encoder, decoded, joint))
      : m.joint(inputs[i]!.encoder, decoded, joint);
  };
  if (m.isSync) return { name, run: (r) => (step(at(r)), joint.tokens[0]) };
  return { name, run: async (r) => (await step(at(r)), joint.tokens[0]) };
}

interface Utterance {
  readonly id: string;
  readonly frames: Float32Array;
  readonly frameCount: number;
}

function readCorpus(dir: string, config: ModelConfig, limit: number): Utterance[] {
  const manifest = join(dir, 'manifest.jsonl');
  if (!existsSync(manifest))
    throw new CLIError(
      `eou bench: ${manifest}: not found (--utterances must hold manifest.jsonl)`,
      'E_BAD_INPUT',
    );
  let entries;
  try {
    entries = parseManifest(readInputFile(manifest, limit, 'eou bench: '), manifest);
  } catch (error) {
    badInput(error);
  }
  if (entries.length === 0) throw new CLIError(`eou bench: ${manifest}: no utterances`, 'E_BAD_INPUT');
  return entries.map((e) => {
    const path = join(dirname(manifest), e.frames);
    if (!existsSync(path))
      throw new CLIError(`eou bench: ${path}: not found (${manifest} line ${e.line})`, 'E_BAD_INPUT');
    let npy;
    try {
      npy = parseNpy(readInputFile(path, limit, 'eou bench: '), path);
    } catch (error) {
      badInput(error);
    }
    if (npy.dims[1] !== config.encoderDim)
      throw new CLIError(
        `eou bench: ${path}: frames have width ${npy.dims[1]}, the model's encoderDim is ${config.encoderDim}`,
        'E_BAD_INPUT',
      );
    return { id: e.id, frames: npy.data, frameCount: npy.dims[0] };
  });
}

function utteranceArm(name: string, loaded: LoadedModel, corpus: readonly Utterance[]): Arm {
  const pick = (round: number) => corpus[((round % corpus.length) + corpus.length) % corpus.length]!;
  const config = loaded.decodeConfig;
  if (loaded.model.isSync)
    return {
      name,
      run: (r) => {
        const u = pick(r);
        return (decodeUtterance(loaded.model, u.frames, u.frameCount, config) as { tokens: Int32Array })
          .tokens;
      },
    };
  return {
    name,
    run: async (r) => {
      const u = pick(r);
      return (await decodeUtterance(loaded.model, u.frames, u.frameCount, config)).tokens;
    },
  };
}

/** Per-file RTFx of each arm: a file's wall time is the median of its passes. */
function corpusRtfx(
  suite: SuiteResult,
  corpus: readonly Utterance[],
  frameMs: number,
): Record<string, RtfxSummary> {
  const out: Record<string, RtfxSummary> = {};
  for (const arm of suite.arms) {
    const byFile = corpus.map(() => [] as number[]);
    arm.samplesNs.forEach((ns, r) => byFile[r % corpus.length]!.push(ns));
    const entries = corpus.map((u, i) => {
      const times = byFile[i]!.sort((a, b) => a - b);
      const mid = times.length >> 1;
      const ns = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
      return { id: u.id, audioSeconds: (u.frameCount * frameMs) / 1000, wallSeconds: Math.max(ns, 1) / 1e9 };
    });
    out[arm.name] = rtfx(entries, { warmupExcluded: suite.warmup });
  }
  return out;
}

function renderTable(
  suite: SuiteResult,
  kinds: Record<string, string>,
  numerics: Readonly<Record<string, VariantNumerics>>,
  unitLabel: 'µs' | 'ms',
): string {
  const per = unitLabel === 'µs' ? 1e3 : 1e6;
  const us = (ns: number): string => (ns / per).toFixed(ns / per < 10 ? 3 : ns / per < 1000 ? 2 : 1);
  const rows = suite.arms.map((a) => {
    const r = a.ratio;
    const ratio = r === null ? '1' : `${r.ratio.toFixed(3)} [${r.ciLow.toFixed(3)}, ${r.ciHigh.toFixed(3)}]`;
    const speedup = r === null ? '1.00x' : `${(1 / r.ratio).toFixed(2)}x`;
    const note = mismatchNote(a.mismatches, numerics[a.name] ?? 'declared');
    return [
      a.name,
      us(a.summary.median),
      us(a.summary.p95),
      us(a.summary.p99),
      us(a.summary.madScaled),
      String(a.outliers.count),
      ratio,
      speedup,
      note,
      kinds[a.name] ?? '',
    ];
  });
  const head = [
    'variant',
    `p50 ${unitLabel}`,
    `p95 ${unitLabel}`,
    `p99 ${unitLabel}`,
    'MAD*',
    'outliers',
    `ratio vs ${suite.arms[0]!.name} [95% CI]`,
    'speedup',
    'mismatches',
    'step',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i >= 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export default defineCommand({
  name: 'bench',
  description:
    'Time decode-path variants per step (interleaved rounds, identical-output check) and per utterance.',
  options: {
    model: {
      type: 'string',
      valueName: 'DIR',
      description:
        "Model directory (model.json, vocab.json and the variants' files); default: the embedded tiny EOU model. Missing fused variants named in --variants are built on first use in the cache.",
    },
    variants: {
      type: 'list',
      valueName: 'V,V',
      description: `Variants to compare, the first is the baseline of every ratio (${variantNames.join(', ')}). Default: every variant whose files are in DIR (the embedded model: ${EMBEDDED_VARIANTS.join(',')}).`,
    },
    steps: {
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'Timed rounds of the per-step benchmark (default 200; 30 with --quick).',
    },
    warmup: {
      type: 'integer',
      min: 0,
      valueName: 'N',
      description: 'Untimed warm-up rounds per arm (default 10; 3 with --quick).',
    },
    utterances: {
      type: 'string',
      valueName: 'DIR',
      description: 'Also time whole utterances: a corpus with manifest.jsonl and .npy encoder frames.',
    },
    rounds: {
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'Passes over the corpus with --utterances (default 3; 1 with --quick).',
    },
    baseline: {
      type: 'string',
      valueName: 'FILE',
      description: 'Compare with an earlier results file; exit 1 on a regression beyond noise.',
    },
    'fail-on-median': {
      type: 'boolean',
      description:
        'With --baseline, also fail when an absolute median regressed (default: only ratios decide).',
    },
    out: {
      type: 'string',
      valueName: 'FILE',
      description: 'Results JSON to write (default bench-results/eou-bench.json).',
    },
    quick: { type: 'boolean', description: 'Few rounds, for CI (also EOU_BENCH_QUICK=1).' },
    processes: {
      type: 'integer',
      min: 1,
      valueName: 'N',
      description:
        'Fresh processes, one after another, each running the whole benchmark; samples pooled, intervals resample processes and rounds (default 3; 1 with --quick; EOU_BENCH_PROCESSES sets the default).',
    },
    variant: {
      type: 'string',
      multiple: true,
      valueName: 'NAME=FILE,FILE',
      description:
        "Declare a variant by file in --model (repeatable; per step and with --e2e), e.g. 'q8=decoder.int8.onnx,joiner.onnx'; then name it in --variants.",
    },
    e2e: {
      type: 'boolean',
      description:
        'End to end instead: each variant runs the whole streaming loop (features, encoder, decode, EOU) on the audio of --manifest, interleaved per file after warm-up; RTFx with 95% intervals, the stage split and the decode-loop-to-end-to-end ratio. With it, --rounds is the passes per file (default 2) and --warmup the warm-up files (default 2).',
    },
    manifest: {
      type: 'string',
      valueName: 'M',
      description: 'With --e2e: the audio manifest (NeMo JSONL, Kaldi wav.scp or data dir).',
    },
    schedule: {
      type: 'string',
      valueName: 'S',
      description: "With --e2e: the chunk schedule (default the model's).",
    },
    resample: {
      type: 'boolean',
      description: "With --e2e: resample audio of another rate to the model's.",
    },
    files: {
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'With --e2e: only the first N files of the manifest.',
    },
    json: {
      type: 'boolean',
      description: 'Print one JSON document (the results file, plus the comparison) on stdout.',
    },
  },
  examples: [
    'eou bench --model model/ --variants ref,pipeline,lean',
    'eou bench --model model/ --variants ref,lean --utterances corpus/ --baseline bench-results/main.json',
    'eou bench --e2e --model model/ --manifest test.jsonl --variants ref,lean --json',
  ],
  async run(ctx) {
    const o = ctx.options;
    if (o.e2e)
      return (await import('./benchE2e')).runBenchE2e({
        ...ctx,
        options: { ...o, quick: o.quick || quickMode(ctx.env, []) },
      });
    for (const flag of ['manifest', 'schedule', 'files'] as const)
      if (o[flag] !== undefined) throw new CLIError(`eou bench: --${flag} needs --e2e`);
    const quick = o.quick || quickMode(ctx.env, []);
    const steps = o.steps ?? (quick ? 30 : 200);
    const warmup = o.warmup ?? (quick ? 3 : 10);
    const passes = o.rounds ?? (quick ? 1 : 3);
    const envProcesses = Number(ctx.env['EOU_BENCH_PROCESSES']);
    const processes =
      o.processes ??
      (Number.isInteger(envProcesses) && envProcesses >= 1 ? envProcesses : defaultProcesses(quick));
    const { dir: modelDir } = await modelFor(
      ctx,
      'bench',
      o.model,
      o.variants ?? (o.model === undefined ? EMBEDDED_VARIANTS : []),
    );
    const limit = inputLimit(ctx.env);
    const configPath = join(modelDir, 'model.json');
    let config: ModelConfig;
    // A sherpa-onnx or FluidAudio directory has no model.json: @eou/model-dir derives it.
    let description: ModelDescription | undefined;
    if (!existsSync(configPath)) {
      if (!existsSync(modelDir) || detectLayout(readdirSync(modelDir)) === undefined)
        throw new CLIError(
          `eou bench: ${configPath}: not found (--model must be a model directory)`,
          'E_BAD_INPUT',
        );
      try {
        const md = readModelDirectory(modelDir);
        config = md.config;
        description = md.description;
      } catch (error) {
        badInput(error);
      }
    } else {
      try {
        config = parseModelConfig(readInputText(configPath, limit, 'eou bench: '), configPath);
      } catch (error) {
        badInput(error);
      }
    }
    const known = modelVariantNames('bench', ctx.cwd, o.model, o.variant);
    let registry: VariantRegistry;
    try {
      registry = modelVariants(config, description?.file ?? configPath, known.declared);
    } catch (error) {
      badInput(error);
    }
    const knownNames = registry.names;
    const specOf = (name: string) => registry.spec(name);
    const present = (name: string) =>
      Object.values(variantFiles(specOf(name), config.ext)).every((f) => existsSync(join(modelDir, f)));
    let names: string[];
    if (o.variants !== undefined) {
      names = o.variants;
      if (names.length === 0) throw new CLIError('eou bench: --variants needs at least one variant name');
      const dup = names.find((v, i) => names.indexOf(v) !== i);
      if (dup !== undefined) throw new CLIError(`eou bench: --variants names '${dup}' twice`);
      for (const name of names) {
        if (!knownNames.includes(name))
          throw new CLIError(
            `eou bench: unknown variant '${name}' (expected one of ${knownNames.join(', ')})`,
          );
        const spec = specOf(name);
        for (const file of Object.values(variantFiles(spec, config.ext))) {
          if (!existsSync(join(modelDir, file))) {
            const hint =
              spec.kind === 'split'
                ? 'the model directory is incomplete'
                : `build it with \`eou fuse --model ${o.model ?? modelDir} --variant ${name}\``;
            throw new CLIError(
              `eou bench: variant '${name}' needs ${join(modelDir, file)}, not found (${hint})`,
              'E_BAD_INPUT',
            );
          }
        }
      }
    } else {
      names = knownNames.filter(present);
      if (names.length === 0)
        throw new CLIError(
          `eou bench: ${modelDir}: no variant's files found (expected decoder.${config.ext} and joint_decision.${config.ext} at least)`,
          'E_BAD_INPUT',
        );
    }
    // Whether a variant must match the reference exactly, and why not (the registry says, names do not).
    const numerics = Object.fromEntries(names.map((n) => [n, specOf(n).numerics]));
    // Outputs are checked against the first exact variant (`ref` in `--variants lean,ref`), ratios
    // stay against the first: a drifting baseline must not flag the exact variants.
    const compareTo = names.find((n) => numerics[n] === 'exact');
    const corpus =
      o.utterances !== undefined ? readCorpus(resolve(ctx.cwd, o.utterances), config, limit) : undefined;
    let baseline;
    if (o.baseline !== undefined) {
      try {
        baseline = readBenchResults(resolve(ctx.cwd, o.baseline));
      } catch (error) {
        badInput(error);
      }
    }

    const io = {
      readText: (p: string) => readInputText(p, limit, 'eou bench: '),
      exists: (p: string) => existsSync(p),
      openSession: (p: string) => openOnnxSession(p),
    };
    const loaded: LoadedModel[] = [];
    try {
      try {
        // A fused file built from an older decoder/joint pair would still load and time other weights.
        if (config.ext === 'onnx' && registry.layout === 'eou')
          for (const name of names) if (isVariantKind(name)) checkVariantSources(modelDir, name);
        for (const name of names) {
          ctx.stderr.write(`eou bench: loading ${name}\n`);
          loaded.push(
            await loadModelDirectory(modelDir, name, io, {
              ...(description === undefined ? {} : { description }),
              ...(known.declared.length === 0 ? {} : { declaredVariants: known.declared }),
            }),
          );
        }
      } catch (error) {
        badInput(error);
      }
      const runSuites = async () => {
        const kinds = Object.fromEntries(loaded.map((l) => [l.variant.name, STEP_OF[stepKind(l)]!]));
        const inputs = seedLcgInputs(Math.min(steps, 64), config.encoderDim, config.hiddenSize);
        ctx.stderr.write(`eou bench: per-step, ${warmup} warm-up + ${steps} rounds of ${names.join(', ')}\n`);
        const progress = (total: number, unit: string) =>
          createProgress(ctx.stderr, total, { ...progressSettings(ctx), label: 'eou bench', unit });
        const stepSuite = await timed(
          {
            name: 'step',
            unit: 'step',
            arms: loaded.map((l) => stepArm(l.variant.name, l, inputs, config.blankId)),
            warmup,
            rounds: steps,
            compareOutputs: true,
            ...(compareTo === undefined ? {} : { compareTo }),
            order: 'balanced',
          },
          progress(steps, 'rounds'),
        );
        const suites: SuiteResult[] = [stepSuite];
        let corpusRtf: Record<string, RtfxSummary> | undefined;
        if (corpus !== undefined) {
          const rounds = corpus.length * passes;
          const uttWarmup = Math.min(corpus.length, quick ? 1 : 2);
          ctx.stderr.write(
            `eou bench: per-utterance, ${corpus.length} utterances x ${passes} passes (+${uttWarmup} warm-up)\n`,
          );
          const uttSuite = await timed(
            {
              name: 'utterance',
              unit: 'utterance',
              arms: loaded.map((l) => utteranceArm(l.variant.name, l, corpus)),
              warmup: uttWarmup,
              rounds,
              compareOutputs: true,
              ...(compareTo === undefined ? {} : { compareTo }),
              order: 'balanced',
            },
            progress(rounds, 'utterances'),
          );
          suites.push(uttSuite);
          corpusRtf = corpusRtfx(uttSuite, corpus, config.frameMs);
        }
        return {
          project: 'eou-bench',
          quick,
          suites,
          ...(corpusRtf === undefined ? {} : { rtfx: corpusRtf }),
          extra: {
            model: modelDir,
            variants: names,
            stepOf: kinds,
            exactVariants: names.filter((n) => numerics[n] === 'exact'),
            inputs: `seed LCG (0x9E3779B97F4A7C15), ${inputs.length} input sets cycled by round, targets = blank ${config.blankId}`,
          },
        };
      };
      // Each replicate is this command line in a fresh process; the parent pools them (@eou/bench).
      const outPath = resolve(ctx.cwd, o.out ?? join('bench-results', 'eou-bench.json'));
      const outcome = await replicate(
        {
          processes,
          file: outPath,
          log: null,
          command: { file: process.execPath, args: [...process.execArgv, process.argv[1]!, ...ctx.argv] },
        },
        runSuites,
      ).catch((error: unknown) => writeFailureAsBadInput('bench', outPath, error));
      if (outcome.role === 'child') return 0;
      const { results } = outcome;
      const suites = results.suites;
      const stepSuite = suites[0]!;
      const corpusRtf = results.rtfx;
      const kinds = (results.extra as { stepOf: Record<string, string> }).stepOf;
      let comparison: BaselineComparison | undefined;
      try {
        comparison =
          baseline === undefined
            ? undefined
            : compareToBaseline(results, baseline, { medians: o['fail-on-median'] ? 'fail' : 'report' });
      } catch (error) {
        // Quick-mode results against a full-mode baseline (or the reverse) are refused.
        throw new CLIError(
          `eou bench: ${error instanceof Error ? error.message : String(error)}`,
          'E_BAD_INPUT',
        );
      }
      const exactMismatch = stepSuite.arms
        .concat(suites[1]?.arms ?? [])
        .filter((a) => numerics[a.name] === 'exact' && a.mismatches > 0);
      for (const a of exactMismatch)
        ctx.stderr.write(
          `eou bench: WARNING: ${a.name} gave different tokens than ${names[0]} in ${a.mismatches} round(s)\n`,
        );
      if (o.json) {
        ctx.stdout.write(
          JSON.stringify(comparison === undefined ? results : { ...results, comparison }) + '\n',
        );
      } else {
        let text = `per step (${steps} rounds${processes > 1 ? ` in each of ${processes} processes` : ''} after ${warmup} warm-up, balanced order, times in µs):\n${renderTable(stepSuite, kinds, numerics, 'µs')}`;
        text += `MAD* = 1.4826 x median absolute deviation; ratio = median(variant) / median(first), 95% CI by bootstrap over ${processes} process(es) and their paired rounds; speedup = 1 / ratio\n`;
        for (const a of suites.flatMap((x) => x.arms))
          if (a.trust && !a.trust.trusted)
            text += `untrusted ratio ${a.name}: ${a.trust.reasons.join('; ')}\n`;
        const utt = suites[1];
        if (utt !== undefined && corpusRtf !== undefined) {
          text += `\nper utterance (${corpus!.length} utterances x ${passes} passes, times in ms):\n`;
          text += renderTable(utt, {}, numerics, 'ms');
          text += `RTFx (audio seconds / wall seconds): ${utt.arms
            .map(
              (a) =>
                `${a.name} median per file ${corpusRtf[a.name]!.medianPerFile.toFixed(1)}, total ${corpusRtf[a.name]!.total.toFixed(1)}`,
            )
            .join('; ')}\n`;
        }
        text += `peak RSS ${(stepSuite.memory.maxRssBytes / 2 ** 20).toFixed(0)} MiB; wrote ${outPath}\n`;
        if (comparison !== undefined)
          text += `\nvs baseline ${o.baseline}:\n${formatComparisonMarkdown(comparison)}`;
        ctx.stdout.write(text);
      }
      return comparison?.regressed ? 1 : 0;
    } finally {
      for (const l of loaded) await l.close();
    }
  },
});
