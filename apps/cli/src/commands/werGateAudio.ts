/**
 * `eou wer-gate --audio-manifest`: wires `@eou/gate`'s `runAudioGate` (each schedule encodes the
 * audio once into the cache, then the ordinary gate runs) and prints each schedule's verdict with
 * its EOU timing, and the side-by-side comparison when there are several schedules.
 */
import path from 'node:path';
import { defaultWorkers, eouHandling, runAudioGate, type GateReport } from '@eou/gate';
import type { GateRule } from '@eou/wer';
import { audioModelDir, existingPath } from '../audioFlags';
import { CLIError, ExitCode } from '../cliError';
import type { CommandContext } from '../command';
import { cacheDir } from '../embeddedDefault';
import { rangeErrorAsBadInput } from '../errors';
import { lazyProgress } from '../progress';
import { capped } from '../workerCaps';
import { packageVersions } from '../versions';

/** The flags this mode reads (the wer-gate table's). */
interface AudioGateFlags {
  readonly model: string | undefined;
  readonly data: string | undefined;
  readonly set: string | undefined;
  readonly synthetic: boolean;
  readonly ref: string;
  readonly candidates: readonly string[];
  readonly rules: string | undefined;
  readonly 'audio-manifest': string | undefined;
  readonly schedule: readonly string[] | undefined;
  readonly resample: boolean;
  readonly dtype: string | undefined;
  readonly vad: string | undefined;
  readonly 'eou-policy': 'reset' | 'stop-chunk' | undefined;
  readonly 'blowup-fraction': number;
  readonly normalizer: 'harness' | 'production' | 'none';
  readonly files: number | undefined;
  readonly 'max-failed-files': number;
  readonly concurrency: number | undefined;
  readonly shard: unknown;
  readonly out: string;
  readonly json: boolean;
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)}`);

function printSchedule(ctx: CommandContext<unknown>, report: GateReport, outDir: string): void {
  const w = (s: string) => ctx.stdout.write(s);
  w(
    `${report.verdict.pass ? 'PASS' : 'FAIL'}  schedule ${report.schedule?.name ?? '?'} (${eouHandling(report)}): ${report.corpus.scoredFiles} files, ${report.corpus.words} words\n`,
  );
  for (const v of report.variants) {
    const e = report.eou?.variants.find((x) => x.variant === v.name);
    const eou =
      e === undefined
        ? ''
        : `  EOU p50/p90 ${ms(e.latencyMs?.p50)}/${ms(e.latencyMs?.p90)} ms, early ${e.earlyCuts}, missed ${e.missed}`;
    w(
      `  ${v.name.padEnd(10)} WER ${(100 * v.wer).toFixed(3)}%  errors ${v.errors}${v.role === 'candidate' ? `  Δ ${v.deltaWerPp >= 0 ? '+' : ''}${v.deltaWerPp.toFixed(3)} pp  seq diffs ${v.seqDiffVsRef}` : ''}${eou}\n`,
    );
  }
  for (const r of report.verdict.rules.filter((x) => !x.pass))
    w(`  rule ${r.name} [${r.variant}]: ${r.value} FAIL\n`);
  if (report.corpus.failed.length)
    w(`  ${report.corpus.failed.length} file(s) could not be decoded (see report.md)\n`);
  w(`  reports: ${path.join(outDir, 'report.md')}, report.json, report.html\n`);
}

/** Runs the gate from audio; returns the exit code. */
export async function runAudioGateCommand(
  ctx: CommandContext<AudioGateFlags>,
  variants: readonly string[],
  rules: GateRule[],
  eou: Record<string, unknown>,
): Promise<number> {
  const o = ctx.options;
  for (const flag of ['data', 'set'] as const)
    if (o[flag] !== undefined)
      throw new CLIError(`eou wer-gate: --audio-manifest gates audio; drop --${flag} (a frames corpus)`);
  if (o.synthetic) throw new CLIError('eou wer-gate: --audio-manifest gates audio; drop --synthetic');
  if (o.shard !== undefined)
    throw new CLIError(
      'eou wer-gate: --shard is for cached frames; encode with `eou encode`, then shard the gate on --data',
    );
  const manifest = existingPath(o['audio-manifest']!, '--audio-manifest', ctx, 'wer-gate');
  const modelDir = await audioModelDir(o.model, variants, ctx, 'wer-gate');
  const outDir = path.resolve(ctx.cwd, o.out);
  const log = (line: string) => ctx.stderr.write(`${line}\n`);
  const progress = lazyProgress(ctx, 'eou wer-gate');
  // Encoding progress, one display per schedule.
  let encoding = lazyProgress(ctx, 'eou wer-gate: encoding');
  let result;
  try {
    result = await runAudioGate({
      modelDir,
      audioManifest: manifest,
      ...(o.schedule === undefined ? {} : { schedules: o.schedule }),
      cacheDir: cacheDir(ctx.env),
      resample: o.resample,
      ...(o.dtype === undefined ? {} : { dtype: o.dtype as 'float32' | 'float16' }),
      ...(o.vad === undefined ? {} : { vad: existingPath(o.vad, '--vad', ctx, 'wer-gate') }),
      reference: o.ref,
      candidates: o.candidates,
      rules,
      blowupFraction: o['blowup-fraction'],
      normalizer: o.normalizer,
      ...(o['eou-policy'] === undefined ? {} : { eouPolicy: o['eou-policy'] }),
      ...(o.files === undefined ? {} : { maxFiles: o.files }),
      maxFailedFiles: o['max-failed-files'],
      ...eou,
      outDir,
      workers:
        o.concurrency === undefined
          ? defaultWorkers()
          : capped('wer-gate', 'concurrency', o.concurrency, ctx.stderr),
      provenance: { command: ['eou', ...ctx.argv].join(' '), versions: packageVersions() },
      onEncodeProgress: (_, p) => encoding.onProgress(p),
      onSchedule: (schedule, dir, encoded) => {
        encoding.finish();
        encoding = lazyProgress(ctx, 'eou wer-gate: encoding');
        log(
          `eou wer-gate: schedule ${schedule}: ${encoded.files - encoded.failed.length}/${encoded.files} files encoded (${encoded.encodedNow} now, ${encoded.resumed} from the cache) in ${dir}`,
        );
        for (const f of encoded.failed) log(`eou wer-gate: ${f.reason}`);
      },
      onProgress: progress.onProgress,
      onNote: (line) => ctx.stderr.write(`eou wer-gate: ${line}\n`),
    });
  } catch (error) {
    rangeErrorAsBadInput('wer-gate', error);
  } finally {
    encoding.finish();
    progress.finish();
  }
  if (o.json) ctx.stdout.write(JSON.stringify(result.comparison ?? result.runs[0]!.run.report) + '\n');
  else {
    for (const r of result.runs) printSchedule(ctx, r.run.report, r.outDir);
    if (result.comparison)
      ctx.stdout.write(
        `${result.pass ? 'PASS' : 'FAIL'}  ${result.runs.length} schedules side by side: ${path.join(outDir, 'report.md')}, report.json, report.html\n`,
      );
  }
  return result.pass ? ExitCode.ok : ExitCode.gateFailed;
}
