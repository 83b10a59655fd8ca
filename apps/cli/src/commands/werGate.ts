import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultGateRules, parseRules, parseRuleText, type GateRule } from '@eou/wer';
import { eouPolicies, type EouPolicy } from '@eou/rnnt-decode';
import { CLIError, ExitCode } from '../cliError';
import { defineCommand, type CommandContext } from '../command';
import {
  DEFAULT_SET,
  embeddedSetDir,
  embeddedSetNames,
  prepareEmbeddedModel,
  prepareSyntheticDefault,
} from '../gate/embeddedDefault';
import { runGate, type NormalizerName } from '../gate/runGate';
import { parseShard, WHOLE } from '../gate/shard';

function rulesFrom(ctx: CommandContext): GateRule[] {
  const { options } = ctx;
  if (typeof options.rules === 'string') {
    if (options['max-delta-wer-pp'] !== undefined || options['max-blowups'] !== undefined) {
      throw new CLIError(
        'eou wer-gate: --rules replaces --max-delta-wer-pp/--max-blowups; give one or the other',
      );
    }
    const file = path.resolve(ctx.cwd, options.rules);
    if (!fs.existsSync(file)) throw new CLIError(`--rules: ${file} not found`, 'E_BAD_INPUT');
    try {
      return parseRules(fs.readFileSync(file, 'utf8'), file);
    } catch (error) {
      throw new CLIError(error instanceof Error ? error.message : String(error), 'E_BAD_INPUT');
    }
  }
  const rules = defaultGateRules.map((r) => ({ ...r }));
  const number = (flag: string, integer: boolean) => {
    const text = options[flag];
    if (typeof text !== 'string') return undefined;
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || (integer && (!Number.isInteger(v) || v < 0))) {
      throw new CLIError(
        `--${flag}: expected ${integer ? 'a non-negative integer' : 'a number'}, got '${text}'`,
      );
    }
    return v;
  };
  const maxDelta = number('max-delta-wer-pp', false);
  const maxBlowups = number('max-blowups', true);
  if (maxDelta !== undefined) rules[0] = { metric: 'deltaWerPp', op: '<=', threshold: maxDelta };
  if (maxBlowups !== undefined) rules[1] = { metric: 'blowups', op: '<=', threshold: maxBlowups };
  for (const text of (options.rule as string[] | undefined) ?? []) {
    try {
      rules.push(parseRuleText(text, '--rule', 'rule'));
    } catch (error) {
      throw new CLIError(error instanceof Error ? error.message : String(error));
    }
  }
  return rules;
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
      type: 'string',
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
      type: 'string',
      valueName: 'V,V',
      default: 'pipeline,lean',
      description: 'Candidate variants, comma-separated.',
    },
    rules: {
      type: 'string',
      valueName: 'FILE',
      description: 'Gate rules as JSON (replaces the two flags below).',
    },
    'max-delta-wer-pp': {
      type: 'string',
      valueName: 'X',
      description: 'Rule: candidate WER minus reference WER, pp, at most X (default 0.10).',
    },
    'max-blowups': {
      type: 'string',
      valueName: 'N',
      description: 'Rule: at most N blowup files (default 0).',
    },
    'max-failed-files': {
      type: 'string',
      valueName: 'N',
      default: '0',
      description: 'Rule: at most N files that cannot be decoded (bad .npy, NaN frames).',
    },
    rule: {
      type: 'string',
      multiple: true,
      valueName: 'TEXT',
      description: "An extra rule, e.g. 'seqDiffs <= 5' (repeatable).",
    },
    'blowup-fraction': {
      type: 'string',
      valueName: 'F',
      default: '0.20',
      description: 'A blowup is a file whose errors exceed the reference by more than F x its words.',
    },
    normalizer: {
      type: 'string',
      valueName: 'NAME',
      default: 'harness',
      description: 'Text normaliser: harness, production or none.',
    },
    'eou-policy': {
      type: 'string',
      valueName: 'P',
      default: 'reset',
      description: 'EOU policy: reset (research harness) or stop-chunk (production).',
    },
    concurrency: {
      type: 'string',
      valueName: 'N',
      description: 'Decode worker threads (default: min(cores, 4)).',
    },
    shard: {
      type: 'string',
      valueName: 'i/n',
      description: 'Decode only slice i of n (merge the shards with `eou wer-gate merge`).',
    },
    files: { type: 'string', valueName: 'N', description: 'Only the first N files of the manifest.' },
    out: {
      type: 'string',
      valueName: 'DIR',
      default: 'wer-gate-out',
      description: 'Output directory (results.jsonl, report.json, report.md, report.html).',
    },
    json: { type: 'boolean', description: 'Print report.json on stdout.' },
  },
  subcommands: { merge: async () => (await import('./werGateMerge')).default },
  examples: [
    'eou wer-gate',
    'eou wer-gate --set asterisk --eou-policy stop-chunk',
    'eou wer-gate --synthetic --candidates lean,lean-topk,projected',
    'eou wer-gate --model ./parakeet --data ./librispeech-frames --candidates lean,lean-topk --out gate',
    'eou wer-gate --shard 1/4 --out shard1   # then: eou wer-gate merge shard1 shard2 shard3 shard4 --out gate',
  ],
  async run(ctx) {
    const o = ctx.options;
    const log = (line: string) => ctx.stderr.write(`${line}\n`);
    const reference = String(o.ref);
    const candidates = String(o.candidates)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (candidates.length === 0) throw new CLIError('--candidates: name at least one variant');
    const normalizer = String(o.normalizer) as NormalizerName;
    if (!['harness', 'production', 'none'].includes(normalizer))
      throw new CLIError(`--normalizer: expected harness, production or none, got '${normalizer}'`);
    const eouPolicy = String(o['eou-policy']) as EouPolicy;
    if (!(eouPolicies as readonly string[]).includes(eouPolicy))
      throw new CLIError(`--eou-policy: expected ${eouPolicies.join(' or ')}, got '${eouPolicy}'`);
    const blowupFraction = Number(o['blowup-fraction']);
    if (!(blowupFraction >= 0))
      throw new CLIError(`--blowup-fraction: expected a number >= 0, got '${String(o['blowup-fraction'])}'`);
    const positiveInt = (flag: string) => {
      if (o[flag] === undefined) return undefined;
      const v = Number(o[flag]);
      if (!Number.isInteger(v) || v < 1)
        throw new CLIError(`--${flag}: expected a positive integer, got '${String(o[flag])}'`);
      return v;
    };
    const workers = positiveInt('concurrency') ?? Math.max(1, Math.min(os.availableParallelism(), 4));
    const maxFiles = positiveInt('files');
    const maxFailedFiles = Number(o['max-failed-files']);
    if (!Number.isInteger(maxFailedFiles) || maxFailedFiles < 0) {
      throw new CLIError(
        `--max-failed-files: expected a non-negative integer, got '${String(o['max-failed-files'])}'`,
      );
    }
    const shard = typeof o.shard === 'string' ? parseShard(o.shard) : WHOLE;
    const rules = rulesFrom(ctx);

    const variants = [reference, ...candidates];
    const given = (['model', 'data', 'set'] as const).filter((flag) => typeof o[flag] === 'string');
    if (o.synthetic && given.length > 0)
      throw new CLIError(`eou wer-gate: --synthetic makes its own model and corpus; drop --${given[0]}`);
    if (typeof o.set === 'string' && (typeof o.model === 'string' || typeof o.data === 'string'))
      throw new CLIError(
        `eou wer-gate: --set names a set of the embedded model; drop --${typeof o.model === 'string' ? 'model' : 'data'}`,
      );
    if (typeof o.set === 'string' && !embeddedSetNames.includes(o.set))
      throw new CLIError(`--set: expected ${embeddedSetNames.join(', ')}, got '${o.set}'`);
    let modelDir: string;
    let dataDir: string;
    if (o.synthetic) {
      ({ modelDir, dataDir } = await prepareSyntheticDefault(variants, ctx.env, log));
    } else {
      // Default: the embedded tiny EOU model with a shipped set; --model / --data replace either.
      modelDir =
        typeof o.model === 'string'
          ? path.resolve(ctx.cwd, o.model)
          : prepareEmbeddedModel(variants, ctx.env, log);
      dataDir =
        typeof o.data === 'string'
          ? path.resolve(ctx.cwd, o.data)
          : embeddedSetDir(typeof o.set === 'string' ? o.set : DEFAULT_SET);
    }
    for (const [flag, dir] of [
      ['--model', modelDir],
      ['--data', dataDir],
    ] as const) {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new CLIError(`${flag}: ${dir} is not a directory`, 'E_BAD_INPUT');
    }
    const outDir = path.resolve(ctx.cwd, String(o.out));
    if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) {
      throw new CLIError(`--out: ${outDir} exists and is not a directory`);
    }
    const workerFile = fileURLToPath(new URL('./gate/decodeWorker.js', import.meta.url));
    const result = await runGate({
      modelDir,
      dataDir,
      reference,
      candidates,
      rules,
      blowupFraction,
      normalizer,
      eouPolicy,
      ...(maxFiles === undefined ? {} : { maxFiles }),
      maxFailedFiles,
      outDir,
      shard,
      workers,
      ...(fs.existsSync(workerFile) ? { workerUrl: new URL(`file://${workerFile}`) } : {}),
      command: ['eou', 'wer-gate', ...process.argv.slice(3)].join(' '),
      stderr: ctx.stderr,
      showProgress: ctx.stderrIsTTY && !o.json,
    });
    if (result.resumed > 0)
      log(`eou wer-gate: resumed ${result.resultsFile} (${result.resumed} files already done)`);
    if (!result.report) {
      log(
        `eou wer-gate: shard ${o.shard} done (${result.decodedNow} files decoded); merge the shards with \`eou wer-gate merge DIR...\``,
      );
      if (o.json)
        ctx.stdout.write(
          JSON.stringify({ shard: o.shard, resultsFile: result.resultsFile, decoded: result.decodedNow }) +
            '\n',
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
      for (const r of report.verdict.rules)
        ctx.stdout.write(`  rule ${r.name} [${r.variant}]: ${r.value} ${r.pass ? 'pass' : 'FAIL'}\n`);
      if (report.corpus.failed.length)
        ctx.stdout.write(`  ${report.corpus.failed.length} file(s) could not be decoded (see report.md)\n`);
      ctx.stdout.write(`  reports: ${path.join(outDir, 'report.md')}, report.json, report.html\n`);
    }
    return report.verdict.pass ? ExitCode.ok : ExitCode.gateFailed;
  },
});
