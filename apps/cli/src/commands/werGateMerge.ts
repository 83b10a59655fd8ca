import path from 'node:path';
import { CLIError, ExitCode } from '../cliError';
import { defineCommand } from '../command';
import { mergeShards } from '../gate/runGate';

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
    if (ctx.positionals.length === 0) throw new CLIError('eou wer-gate merge: name the shard directories');
    const dirs = ctx.positionals.map((d) => path.resolve(ctx.cwd, d));
    const report = await mergeShards(
      dirs,
      path.resolve(ctx.cwd, String(ctx.options.out)),
      ['eou', 'wer-gate', 'merge', ...ctx.positionals].join(' '),
      ctx.stderr,
    );
    if (ctx.options.json) ctx.stdout.write(JSON.stringify(report) + '\n');
    else
      ctx.stdout.write(
        `${report.verdict.pass ? 'PASS' : 'FAIL'}  merged ${dirs.length} shards: ${report.corpus.scoredFiles} files\n`,
      );
    return report.verdict.pass ? ExitCode.ok : ExitCode.gateFailed;
  },
});
