// One very long utterance (default 300,000 words, ~8 % edits), scored in its own process so that
// its peak memory is its own: `tsx bench/longUtterance.ts [words] [unit|unit-linear|sclite]`.
// Prints one JSON line: words, mode, wall time of the scoring (splitting, vocabulary, alignment
// with chunks) and the process's peak RSS. `bench/index.ts` runs it; run it under
// `/usr/bin/time -v` for an outside view of the peak.
import { alignIdsWith } from '../src/alignIds';
import { alignIdsScliteWith } from '../src/alignIdsSclite';
import { presets, seededRandom, Vocabulary } from '../src/index';
import { syntheticCorpus } from './syntheticCorpus';

const words = Number(process.argv[2] ?? 300_000);
const mode = process.argv[3] ?? 'unit';
if (!(words > 0) || !['unit', 'unit-linear', 'sclite'].includes(mode)) {
  console.error('usage: longUtterance.ts [words] [unit|unit-linear|sclite]');
  process.exit(2);
}
const { refs, hyps } = syntheticCorpus(seededRandom(300_000), 1, words);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const vocab = new Vocabulary();
const ref = vocab.ids(presets.harness(refs[0]!));
const hyp = vocab.ids(presets.harness(hyps[0]!));
const a =
  mode === 'sclite'
    ? alignIdsScliteWith(ref, hyp, 'auto')
    : alignIdsWith(ref, hyp, mode === 'unit-linear' ? 'linear' : 'auto');
const ms = performance.now() - t0;
console.log(
  JSON.stringify({
    words,
    hypothesisWords: hyp.length,
    mode,
    ms: Math.round(ms),
    substitutions: a.substitutions,
    deletions: a.deletions,
    insertions: a.insertions,
    chunks: a.chunks.length,
    rssBeforeBytes: rssBefore,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
