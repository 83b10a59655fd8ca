/** `eou wer-gate merge DIR...`: `@eou/gate`'s `mergeShards` on shard output directories. */
import path from 'node:path';
import { mergeShards } from '@eou/gate';
import { ExitCode } from '../cliError';
import { defineCommand } from '../command';
import { packageVersions } from '../versions';

export default defineCommand({
  name: 'wer-gate merge',
  description: 'Combine the results of `eou wer-gate --shard i/n` runs into the report of one whole run.',
  options: {
    out: {
      type: 'string',
      valueName: 'DIR',
      default: 'wer-gate-out',
      description: 'Output directory for the merged reports.',
    },
    json: { type: 'boolean', description: 'Print report.json on stdout.' },
  },
  positionals: [
    {
      name: 'DIR...',
      description: 'Shard output directories (each holds results.jsonl).',
      required: true,
      variadic: true,
    },
  ],
  async run(ctx) {
    const dirs = ctx.positionals.map((d) => path.resolve(ctx.cwd, d));
    const report = await mergeShards(dirs, {
      outDir: path.resolve(ctx.cwd, ctx.options.out),
      provenance: { command: ['eou', ...ctx.argv].join(' '), versions: packageVersions() },
      onNote: (line) => ctx.stderr.write(`eou wer-gate merge: ${line}\n`),
    });
    if (ctx.options.json) ctx.stdout.write(JSON.stringify(report) + '\n');
    else
      ctx.stdout.write(
        `${report.verdict.pass ? 'PASS' : 'FAIL'}  merged ${dirs.length} shards: ${report.corpus.scoredFiles} files\n`,
      );
    return report.verdict.pass ? ExitCode.ok : ExitCode.gateFailed;
  },
});
