import { defineCommand } from '../command';

// The gate lands in its own issue; until then the command says what it will do and refuses.
export default defineCommand({
  name: 'wer-gate',
  description: 'Run the N-way WER gate: reference and candidate variants on the same cached encoder frames.',
  options: {},
  async run(ctx) {
    ctx.stderr.write(
      'eou wer-gate: not available yet. It will decode every file of the embedded corpus with the ref, pipeline and lean variants, score them, and write report.md, report.json and results.jsonl.\n',
    );
    return 2;
  },
});
