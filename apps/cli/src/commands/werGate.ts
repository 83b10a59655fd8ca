/**
 * `eou wer-gate`: parses the gate's flags, picks the model and corpus (the embedded default, a shipped
 * set, `--synthetic`, or `--model`/`--data`), runs `@eou/gate`'s `runGate` and prints the verdict.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  defaultBatch,
  defaultWorkers,
  eouRuleMetricNames,
  parseShard,
  runGate,
  SHARD_SYNTAX,
  shardFromEnvironment,
  WHOLE,
  type Shard,
} from '@eou/gate';
import { modelVariantNames } from '../modelVariants';
import { eouPolicies, variantNames } from '@eou/rnnt-decode';
import { defaultGateRules, normalizerNames, parseRules, parseRuleText, type GateRule } from '@eou/wer';
import { CLIError, ExitCode } from '../cliError';
import { defineCommand } from '../command';
import { DEFAULT_SET, embeddedSetDir, embeddedSetNames, prepareSynthetic } from '../embeddedDefault';
import { eouDetectorFlags, eouDetectorFrom, scheduleFlags } from '../audioFlags';
import { modelFor } from '../modelDefaults';
import { lazyProgress } from '../progress';
import { packageVersions } from '../versions';
import { capped } from '../workerCaps';

interface RuleFlags {
  readonly rules: string | undefined;
  readonly 'max-delta-wer-pp': number | undefined;
  readonly 'max-blowups': number | undefined;
  readonly rule: readonly string[];
}

export function rulesFrom(options: RuleFlags, cwd: string): GateRule[] {
  if (options.rules !== undefined) {
    if (options['max-delta-wer-pp'] !== undefined || options['max-blowups'] !== undefined) {
      throw new CLIError(
        'eou wer-gate: --rules replaces --max-delta-wer-pp/--max-blowups; give one or the other',
      );
    }
    const file = path.resolve(cwd, options.rules);
    if (!fs.existsSync(file)) throw new CLIError(`--rules: ${file} not found`, 'E_BAD_INPUT');
    // A WerError here names the file and field; it is printed as it is.
    return parseRules(fs.readFileSync(file, 'utf8'), file, { metrics: eouRuleMetricNames });
  }
  const rules = defaultGateRules.map((r) => ({ ...r }));
  const maxDelta = options['max-delta-wer-pp'];
  const maxBlowups = options['max-blowups'];
  if (maxDelta !== undefined) rules[0] = { metric: 'deltaWerPp', op: '<=', threshold: maxDelta };
  if (maxBlowups !== undefined) rules[1] = { metric: 'blowups', op: '<=', threshold: maxBlowups };
  for (const text of options.rule)
    rules.push(parseRuleText(text, '--rule', 'rule', { metrics: eouRuleMetricNames }));
  return rules;
}

/** The gate's EOU settings from the flags (`--rules FILE` replaces the default EOU rules too). */
export function eouSettings(o: {
  readonly rules: string | undefined;
  readonly 'eou-debounce-ms'?: number | undefined;
  readonly 'eou-semantics'?: 'silence-since-last-token' | 'consecutive-chunks' | undefined;
  readonly 'eou-listen-ms'?: number | undefined;
  readonly 'reset-on-eou'?: boolean;
}) {
  const detector = eouDetectorFrom(o);
  return {
    ...(detector === undefined ? {} : { eouDetector: detector }),
    ...(o['eou-listen-ms'] === undefined ? {} : { eouListenMs: o['eou-listen-ms'] }),
    ...(o['reset-on-eou'] === true ? { resetOnEndOfUtterance: true } : {}),
    defaultEouRules: o.rules === undefined,
  };
}

/** The variant flags as `runGate` takes them, with the messages `eou wer-gate` has always given. */
export function variantsFrom(
  reference: string,
  candidates: readonly string[],
  known: readonly string[] = variantNames,
): string[] {
  if (candidates.length === 0) throw new CLIError('--candidates: name at least one variant');
  const variants = [reference, ...candidates];
  if (new Set(variants).size !== variants.length)
    throw new CLIError(`--ref/--candidates: a variant is listed twice (${variants.join(', ')})`);
  for (const v of variants)
    if (!known.includes(v))
      throw new CLIError(
        `unknown variant '${v}': variant must be one of ${known.join(', ')}, got ${JSON.stringify(v)}`,
      );
  return variants;
}

export default defineCommand({
  name: 'wer-gate',
  description:
    'Run the N-way WER gate: the reference and every candidate variant decode the same cached encoder frames of a corpus; corpus WER, token-sequence identity, blowups, significance and a verdict against rules fixed in advance. With no flags it runs on the embedded tiny EOU model and its held-out synthetic voices (ref, pipeline, lean; the fused variants are built from the shipped weights on first use).',
  options: {
    model: {
      type: 'string',
      valueName: 'DIR',
      description: 'Model directory (default: the embedded tiny EOU model).',
    },
    data: {
      type: 'string',
      valueName: 'DIR',
      description:
        'Corpus directory with manifest.jsonl and cached encoder frames (default: a shipped set, see --set).',
    },
    set: {
      type: 'enum',
      choices: embeddedSetNames,
      expected: embeddedSetNames.join(', '),
      valueName: 'NAME',
      description: `A test set shipped with the embedded model: ${DEFAULT_SET} (default; held-out synthetic voices), asterisk (real telephone prompts) or librivox (real read speech). Not with --model or --data.`,
    },
    synthetic: {
      type: 'boolean',
      description:
        'Run on a synthetic parakeet-shaped model (H=640, E=512, 1,027 tokens) and a 200-file corpus generated deterministically on first use, instead of the embedded model: the real model size, for timing.',
    },
    ref: { type: 'string', valueName: 'V', default: 'ref', description: 'Reference variant.' },
    candidates: {
      type: 'list',
      valueName: 'V,V',
      default: ['pipeline', 'lean'],
      description: 'Candidate variants, comma-separated.',
    },
    rules: {
      type: 'string',
      valueName: 'FILE',
      description: 'Gate rules as JSON (replaces the two flags below).',
    },
    'max-delta-wer-pp': {
      type: 'number',
      valueName: 'X',
      description: 'Rule: candidate WER minus reference WER, pp, at most X (default 0.10).',
    },
    'max-blowups': {
      type: 'integer',
      min: 0,
      expected: 'a non-negative integer',
      valueName: 'N',
      description: 'Rule: at most N blowup files (default 0).',
    },
    'max-failed-files': {
      type: 'integer',
      min: 0,
      expected: 'a non-negative integer',
      valueName: 'N',
      default: 0,
      description: 'Rule: at most N files that cannot be decoded (bad .npy, NaN frames).',
    },
    variant: {
      type: 'string',
      multiple: true,
      valueName: 'NAME=FILE,FILE',
      description:
        "Declare a variant by file in --model (repeatable), e.g. 'q8=decoder.int8.onnx,joiner.onnx' for a sherpa-onnx directory; then name it in --candidates.",
    },
    rule: {
      type: 'string',
      multiple: true,
      valueName: 'TEXT',
      description: "An extra rule, e.g. 'seqDiffs <= 5' (repeatable).",
    },
    'blowup-fraction': {
      type: 'number',
      min: 0,
      valueName: 'F',
      default: 0.2,
      description: 'A blowup is a file whose errors exceed the reference by more than F x its words.',
    },
    normalizer: {
      type: 'enum',
      choices: normalizerNames,
      valueName: 'NAME',
      default: 'harness',
      description: 'Text normaliser: harness, production or none.',
    },
    'eou-policy': {
      type: 'enum',
      choices: eouPolicies,
      valueName: 'P',
      description:
        "EOU policy: reset (research harness) or stop-chunk (production). Default: reset on cached frames; with --audio-manifest the schedule's own (harness resets, production and model schedules stop the chunk).",
    },
    'audio-manifest': {
      type: 'string',
      valueName: 'M',
      description:
        'Gate from audio: a NeMo JSONL, Kaldi wav.scp or data dir. Each --schedule encodes it once into a content-addressed corpus in the cache ($EOU_CACHE_DIR/corpora), then gates as on cached frames. Not with --data, --set or --synthetic.',
    },
    schedule: {
      type: 'list',
      valueName: 'S[,S]',
      description:
        "With --audio-manifest: chunk schedules (default the model's). Two or more gate the same candidates under each: <out>/<schedule>/ holds each full report, <out>/report.* puts them side by side.",
    },
    resample: scheduleFlags.resample,
    dtype: {
      type: 'enum',
      choices: ['float32', 'float16'],
      valueName: 'T',
      description: 'With --audio-manifest: storage of the encoded frames (default float32).',
    },
    vad: {
      type: 'string',
      valueName: 'PATH',
      description:
        'With --audio-manifest: a Silero VAD (.mlmodelc, .mlpackage or .onnx) for the end of speech of files whose manifest line has none (the report says which source each file used).',
    },
    ...eouDetectorFlags,
    'eou-listen-ms': {
      type: 'number',
      min: 0,
      valueName: 'MS',
      description:
        'EOU timing: audio the detector keeps listening to (assumed silence, no tokens) after each file ends, so a pending EOU can confirm (default 3000).',
    },
    concurrency: {
      type: 'integer',
      min: 1,
      expected: 'a positive integer',
      valueName: 'N',
      description: 'Decode worker threads (default: min(cores, 4)).',
    },
    batch: {
      type: 'integer',
      min: 1,
      expected: 'a positive integer',
      valueName: 'B',
      description: `Decode B files in lock step through batch-capable graphs built from the shipped weights (default ${defaultBatch}; 1: one file at a time). Only variants that decode the first 2B files as single-file decoding does run batched, and only those files are compared; the report says which variants and how many files were not compared.`,
    },
    shard: {
      type: 'custom',
      parse: (text: string): Shard | 'auto' => (text.trim() === 'auto' ? 'auto' : parseShard(text)),
      expected: `${SHARD_SYNTAX}, or auto`,
      valueName: 'i/n|auto',
      description:
        'Decode only slice i of n (merge the shards with `eou wer-gate merge`). auto: from the job engine: Kubernetes Indexed Job (JOB_COMPLETION_INDEX + EOU_SHARD_COUNT), Slurm array (SLURM_ARRAY_TASK_*), AWS Batch array (AWS_BATCH_JOB_ARRAY_INDEX/SIZE), or EOU_SHARD_INDEX (1-based) + EOU_SHARD_COUNT (a GitHub Actions matrix).',
    },
    files: {
      type: 'integer',
      min: 1,
      expected: 'a positive integer',
      valueName: 'N',
      description: 'Only the first N files of the manifest.',
    },
    out: {
      type: 'string',
      valueName: 'DIR',
      default: 'wer-gate-out',
      description: 'Output directory (results.jsonl, report.json, report.md, report.html).',
    },
    json: { type: 'boolean', description: 'Print report.json on stdout.' },
  },
  subcommands: { merge: async () => (await import('./werGateMerge')).default },
  flagErrors: 'expected',
  errorPrefix: '',
  examples: [
    'eou wer-gate',
    'eou wer-gate --set asterisk --eou-policy stop-chunk',
    'eou wer-gate --synthetic --candidates lean,lean-topk,projected',
    'eou wer-gate --model ./parakeet --data ./librispeech-frames --candidates lean,lean-topk --out gate',
    'eou wer-gate --shard 1/4 --out shard1   # then: eou wer-gate merge shard1 shard2 shard3 shard4 --out gate',
    'eou wer-gate --shard auto --out shards/$JOB_COMPLETION_INDEX   # in a Kubernetes Indexed Job (see docs/sharding.md)',
  ],
  async run(ctx) {
    const o = ctx.options;
    const log = (line: string) => ctx.stderr.write(`${line}\n`);
    const known = modelVariantNames('wer-gate', ctx.cwd, o.model, o.variant);
    const variants = variantsFrom(o.ref, o.candidates, known.names);
    const rules = rulesFrom(o, ctx.cwd);
    const declared = known.declared.length === 0 ? {} : { declaredVariants: known.declared };
    if (o['audio-manifest'] !== undefined)
      return (await import('./werGateAudio')).runAudioGateCommand(ctx, variants, rules, {
        ...eouSettings(o),
        ...declared,
      });
    for (const flag of ['schedule', 'dtype', 'vad'] as const)
      if (o[flag] !== undefined)
        throw new CLIError(
          `eou wer-gate: --${flag} needs --audio-manifest (cached frames are already encoded)`,
        );
    const given = (['model', 'data', 'set'] as const).filter((flag) => o[flag] !== undefined);
    if (o.synthetic && given.length > 0)
      throw new CLIError(`eou wer-gate: --synthetic makes its own model and corpus; drop --${given[0]}`);
    if (o.set !== undefined && (o.model !== undefined || o.data !== undefined))
      throw new CLIError(
        `eou wer-gate: --set names a set of the embedded model; drop --${o.model !== undefined ? 'model' : 'data'}`,
      );
    let modelDir: string;
    let dataDir: string;
    if (o.synthetic) {
      ({ modelDir, dataDir } = await prepareSynthetic(variants, ctx.env, log));
    } else {
      // Default: the embedded tiny EOU model with a shipped set; --model / --data replace either.
      modelDir = (await modelFor(ctx, 'wer-gate', o.model, variants)).dir;
      dataDir = o.data !== undefined ? path.resolve(ctx.cwd, o.data) : embeddedSetDir(o.set ?? DEFAULT_SET);
    }
    for (const [flag, dir] of [
      ['--model', modelDir],
      ['--data', dataDir],
    ] as const) {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new CLIError(`${flag}: ${dir} is not a directory`, 'E_BAD_INPUT');
    }
    const outDir = path.resolve(ctx.cwd, o.out);
    if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) {
      throw new CLIError(`--out: ${outDir} exists and is not a directory`);
    }
    let shard: Shard = WHOLE;
    let shardSource: string | undefined;
    if (o.shard === 'auto') {
      const found = shardFromEnvironment(ctx.env);
      shard = found.shard;
      shardSource = found.description;
      log(`eou wer-gate: shard ${shard.index}/${shard.count} from the ${found.description}`);
    } else if (o.shard !== undefined) shard = o.shard;
    const progress = lazyProgress(ctx, 'eou wer-gate');
    let result;
    try {
      result = await runGate({
        modelDir,
        dataDir,
        reference: o.ref,
        candidates: o.candidates,
        rules,
        blowupFraction: o['blowup-fraction'],
        normalizer: o.normalizer,
        eouPolicy: o['eou-policy'] ?? 'reset',
        ...eouSettings(o),
        ...(o.files === undefined ? {} : { maxFiles: o.files }),
        maxFailedFiles: o['max-failed-files'],
        outDir,
        shard,
        ...(shardSource === undefined ? {} : { shardSource }),
        // More threads than cores only hold more sessions in memory (200 workers peaked at 2.36 GB).
        workers:
          o.concurrency === undefined
            ? defaultWorkers()
            : capped('wer-gate', 'concurrency', o.concurrency, ctx.stderr),
        batch: o.batch ?? defaultBatch,
        provenance: { command: ['eou', ...ctx.argv].join(' '), versions: packageVersions() },
        onProgress: progress.onProgress,
        onNote: (line) => log(`eou wer-gate: ${line}`),
        ...declared,
      });
    } finally {
      progress.finish();
    }
    if (result.resumed > 0)
      log(`eou wer-gate: resumed ${result.resultsFile} (${result.resumed} files already done)`);
    if (!result.report) {
      const done = `${shard.index}/${shard.count}`;
      log(
        `eou wer-gate: shard ${done} done (${result.decodedNow} files decoded); merge the shards with \`eou wer-gate merge DIR...\``,
      );
      if (o.json)
        ctx.stdout.write(
          JSON.stringify({
            shard: done,
            ...(shardSource === undefined ? {} : { shardSource }),
            resultsFile: result.resultsFile,
            decoded: result.decodedNow,
          }) + '\n',
        );
      return ExitCode.ok;
    }
    const report = result.report;
    if (o.json) ctx.stdout.write(JSON.stringify(report) + '\n');
    else {
      ctx.stdout.write(
        `${report.verdict.pass ? 'PASS' : 'FAIL'}  ${report.corpus.scoredFiles} files, ${report.corpus.words} words (${dataDir})\n`,
      );
      for (const v of report.variants) {
        ctx.stdout.write(
          `  ${v.name.padEnd(10)} WER ${(100 * v.wer).toFixed(3)}%  errors ${v.errors}${v.role === 'candidate' ? `  Δ ${v.deltaWerPp >= 0 ? '+' : ''}${v.deltaWerPp.toFixed(3)} pp  seq diffs ${v.seqDiffVsRef}` : ''}\n`,
        );
      }
      for (const e of report.eou?.variants ?? [])
        ctx.stdout.write(
          `  ${e.variant.padEnd(10)} EOU latency p50/p90/p99 ${e.latencyMs ? `${e.latencyMs.p50}/${e.latencyMs.p90}/${e.latencyMs.p99} ms` : '—'}, early cuts ${e.earlyCuts}/${e.utterances}, missed ${e.missed}/${e.utterances}\n`,
        );
      for (const r of report.verdict.rules)
        ctx.stdout.write(`  rule ${r.name} [${r.variant}]: ${r.value} ${r.pass ? 'pass' : 'FAIL'}\n`);
      if (report.corpus.failed.length)
        ctx.stdout.write(`  ${report.corpus.failed.length} file(s) could not be decoded (see report.md)\n`);
      ctx.stdout.write(`  reports: ${path.join(outDir, 'report.md')}, report.json, report.html\n`);
    }
    return report.verdict.pass ? ExitCode.ok : ExitCode.gateFailed;
  },
});
