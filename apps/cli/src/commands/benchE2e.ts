/**
 * `eou bench --e2e`: wires `@eou/gate`'s `benchEndToEnd` (the whole streaming loop of each variant on
 * the same audio, interleaved per file, RTFx with bootstrap intervals, the stage split and the
 * decode-loop-to-end-to-end ratio) and prints or writes what it measured. The timing is the
 * package's; this file parses, wires and prints.
 */
import { modelVariantNames } from '../modelVariants';
import path from 'node:path';
import { machineInfo, writeFileAtomic } from '@eou/bench';
import { benchEndToEnd, type EndToEndResult } from '@eou/gate';
import { audioModelDir, existingPath } from '../audioFlags';
import { CLIError, ExitCode } from '../cliError';
import type { CommandContext } from '../command';
import { rangeErrorAsBadInput } from '../errors';

/** The bench flags this mode reads. */
interface E2eFlags {
  readonly model: string | undefined;
  readonly variants: readonly string[] | undefined;
  readonly variant: readonly string[];
  readonly manifest: string | undefined;
  readonly schedule: string | undefined;
  readonly resample: boolean;
  readonly files: number | undefined;
  readonly rounds: number | undefined;
  readonly warmup: number | undefined;
  readonly out: string | undefined;
  readonly quick: boolean;
  readonly json: boolean;
}

const f = (v: number, d = 1) => v.toFixed(d);
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function table(r: EndToEndResult): string {
  const head = [
    'variant',
    'RTFx median [95% CI]',
    'total RTFx',
    'features',
    'encoder',
    'decode',
    'other',
    'e2e speed-up [95% CI]',
    'decode speed-up [95% CI]',
    'decode/e2e',
    'predicted e2e',
    'identical',
  ];
  const rows = r.variants.map((v) => {
    const s = v.vsBaseline;
    return [
      v.name,
      `${f(v.rtfx.median)} [${f(v.rtfx.ciLow)}, ${f(v.rtfx.ciHigh)}]`,
      f(v.totalRtfx),
      pct(v.stages.shares.features),
      pct(v.stages.shares.encoder),
      pct(v.stages.shares.decode),
      pct(v.stages.shares.other),
      s === null
        ? '1'
        : `${f(s.e2eSpeedup.ratio, 3)} [${f(s.e2eSpeedup.ciLow, 3)}, ${f(s.e2eSpeedup.ciHigh, 3)}]`,
      s === null
        ? '1'
        : `${f(s.decodeSpeedup.ratio, 3)} [${f(s.decodeSpeedup.ciLow, 3)}, ${f(s.decodeSpeedup.ciHigh, 3)}]`,
      s === null ? '—' : f(s.decodeToE2eRatio, 3),
      s === null ? '—' : f(s.predictedE2eSpeedup, 3),
      `${v.identicalFiles}/${r.files}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** Runs `eou bench --e2e`; returns the exit code. */
export async function runBenchE2e(ctx: CommandContext<E2eFlags>): Promise<number> {
  const o = ctx.options;
  if (o.manifest === undefined)
    throw new CLIError(
      'eou bench: --e2e needs --manifest M (an audio manifest: NeMo JSONL, Kaldi wav.scp or data dir)',
    );
  if (o.variants === undefined || o.variants.length === 0)
    throw new CLIError('eou bench: --e2e needs --variants V,V (the first is the baseline)');
  const known = modelVariantNames('bench', ctx.cwd, o.model, o.variant);
  for (const v of o.variants)
    if (!known.names.includes(v))
      throw new CLIError(`eou bench: unknown variant '${v}' (expected one of ${known.names.join(', ')})`);
  // --model, else the embedded tiny EOU model; missing fused variants are built in the cache.
  const modelDir = await audioModelDir(o.model, o.variants, ctx, 'bench');
  const passes = o.rounds ?? (o.quick ? 1 : 2);
  const warmupFiles = o.warmup ?? (o.quick ? 1 : 2);
  ctx.stderr.write(
    `eou bench: end to end, ${o.variants.join(', ')}, ${passes} pass(es) per file after ${warmupFiles} warm-up file(s), interleaved per file\n`,
  );
  let result: EndToEndResult;
  try {
    result = await benchEndToEnd({
      modelDir,
      manifest: existingPath(o.manifest, '--manifest', ctx, 'bench'),
      variants: o.variants,
      ...(known.declared.length === 0 ? {} : { declaredVariants: known.declared }),
      ...(o.schedule === undefined ? {} : { schedule: o.schedule }),
      passes,
      warmupFiles,
      ...(o.files === undefined ? {} : { maxFiles: o.files }),
      resample: o.resample,
    });
  } catch (error) {
    rangeErrorAsBadInput('bench', error);
  }
  const doc = { suite: 'e2e', model: modelDir, machine: machineInfo(), ...result };
  if (o.out !== undefined) writeFileAtomic(path.resolve(ctx.cwd, o.out), JSON.stringify(doc, null, 2) + '\n');
  if (o.json) ctx.stdout.write(JSON.stringify(doc) + '\n');
  else {
    ctx.stdout.write(
      `end to end (schedule ${result.schedule}, ${result.files} files, ${f(result.audioSeconds, 2)} s of audio, ${result.passes} pass(es) after ${result.warmupFiles} warm-up file(s), ${result.order}):\n${table(result)}`,
    );
    ctx.stdout.write(
      'RTFx = audio s / wall s of process + finish, median over files; speed-ups are ratios of medians paired by file (bootstrap 95% CI); decode/e2e = decode-loop speed-up / end-to-end speed-up; predicted = what the decode speed-up gives end to end from the baseline decode share\n',
    );
    if (o.out !== undefined) ctx.stdout.write(`wrote ${path.resolve(ctx.cwd, o.out)}\n`);
  }
  return ExitCode.ok;
}
