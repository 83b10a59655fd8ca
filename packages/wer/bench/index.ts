// Scoring throughput of @eou/wer on the two shapes of the anchors (docs/reference-system.md §6.2):
// short-form 2,620 utterances x 20 words and long-form 10 x 5,000 words, synthetic 5k-word
// vocabulary, ~8 % edits. Arms: full alignment (processWords: counts + chunks), the counts-only
// path (wer), and the naive O(n*m) Int32Array DP + backtrace the anchors measured (on short-form,
// and on a smaller long-form corpus with few rounds because it is slow). Arms must agree on the
// error count every round (compareOutputs).
// Peers measured side by side on the same corpora (bench/peers.ts): npm fastest-levenshtein as
// an interleaved arm, python3-levenshtein and sclite as separate programs when installed. And one
// 300,000-word utterance (60,000 in quick mode) per alignment mode, each in its own process
// (bench/longUtterance.ts) for its peak RSS.
// Run: `npm run bench` (EOU_BENCH_QUICK=1 for CI); writes bench-results/wer.json.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { interleave, quickMode, writeBenchResults } from '@eou/bench';
import { presets, processWords, seededRandom, Vocabulary, wer } from '../src/index';
import { externalPeers, fastestLevenshteinErrors } from './peers';
import { syntheticCorpus } from './syntheticCorpus';

const quick = quickMode();
const random = seededRandom(20_260_611);
const corpus = (utterances: number, words: number) => syntheticCorpus(random, utterances, words);

/** The anchors' baseline: full matrix in an Int32Array, then a backtrace for S/D/I. */
function naiveCounts(refs: string[], hyps: string[]): number {
  const vocab = new Vocabulary();
  let errors = 0;
  for (let u = 0; u < refs.length; u++) {
    const r = vocab.ids(presets.harness(refs[u]!));
    const h = vocab.ids(presets.harness(hyps[u]!));
    const n = r.length;
    const m = h.length;
    const w = m + 1;
    const d = new Int32Array((n + 1) * w);
    for (let j = 0; j <= m; j++) d[j] = j;
    for (let i = 1; i <= n; i++) {
      d[i * w] = i;
      for (let j = 1; j <= m; j++) {
        const sub = d[(i - 1) * w + j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1);
        d[i * w + j] = Math.min(sub, d[(i - 1) * w + j]! + 1, d[i * w + j - 1]! + 1);
      }
    }
    let i = n;
    let j = m;
    while (i > 0 || j > 0) {
      if (i > 0 && j > 0 && d[(i - 1) * w + j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1) === d[i * w + j]) {
        if (r[i - 1] !== h[j - 1]) errors++;
        i--;
        j--;
      } else if (i > 0 && d[(i - 1) * w + j]! + 1 === d[i * w + j]) {
        errors++;
        i--;
      } else {
        errors++;
        j--;
      }
    }
  }
  return errors;
}

const short = quick ? corpus(262, 20) : corpus(2620, 20);
const long = quick ? corpus(2, 5000) : corpus(10, 5000);
const harness = { normalizer: presets.harness };
const scliteCosts = { normalizer: presets.harness, costs: 'sclite' as const };

const shortSuite = await interleave({
  name: `short-form ${short.refs.length} x 20 words`,
  unit: 'corpus',
  arms: [
    { name: 'align', run: () => processWords(short.refs, short.hyps, harness).errors },
    { name: 'counts', run: () => Math.round(wer(short.refs, short.hyps, harness) * short.refWords) },
    { name: 'naive-dp', run: () => naiveCounts(short.refs, short.hyps) },
  ],
  compareOutputs: true,
  warmup: quick ? 3 : 10,
  rounds: quick ? 15 : 60,
});

const longSuite = await interleave({
  name: `long-form ${long.refs.length} x 5000 words`,
  unit: 'corpus',
  arms: [
    { name: 'align', run: () => processWords(long.refs, long.hyps, harness).errors },
    { name: 'counts', run: () => Math.round(wer(long.refs, long.hyps, harness) * long.refWords) },
  ],
  compareOutputs: true,
  warmup: quick ? 2 : 5,
  rounds: quick ? 10 : 40,
});

// The quadratic baseline on long-form, few rounds: it is what "not quadratic-slow" is measured against.
const longNaive = quick ? corpus(1, 5000) : corpus(3, 5000);
const longNaiveSuite = await interleave({
  name: `long-form vs naive DP ${longNaive.refs.length} x 5000 words`,
  unit: 'corpus',
  arms: [
    { name: 'align', run: () => processWords(longNaive.refs, longNaive.hyps, harness).errors },
    { name: 'naive-dp', run: () => naiveCounts(longNaive.refs, longNaive.hyps) },
  ],
  compareOutputs: true,
  warmup: 1,
  rounds: quick ? 3 : 8,
});

// Peers on the same corpora, interleaved with our counts-only path; sclite-cost alignment beside
// them (its error count differs: compare: false).
const peerArms = (c: typeof short) => [
  { name: 'counts', run: () => Math.round(wer(c.refs, c.hyps, harness) * c.refWords) },
  { name: 'fastest-levenshtein', run: () => fastestLevenshteinErrors(c.refs, c.hyps) },
  { name: 'align-sclite-costs', run: () => processWords(c.refs, c.hyps, scliteCosts).errors, compare: false },
];
const shortPeers = await interleave({
  name: `peers short-form ${short.refs.length} x 20 words`,
  unit: 'corpus',
  arms: peerArms(short),
  compareOutputs: true,
  warmup: quick ? 3 : 10,
  rounds: quick ? 15 : 60,
});
const longPeers = await interleave({
  name: `peers long-form ${long.refs.length} x 5000 words`,
  unit: 'corpus',
  arms: peerArms(long),
  compareOutputs: true,
  warmup: quick ? 1 : 3,
  rounds: quick ? 5 : 20,
});
const external = {
  short: externalPeers(short, { python: quick ? 3 : 7, sclite: quick ? 1 : 3 }),
  long: quick ? [] : externalPeers(long, { python: 3, sclite: 1 }),
};

// One long utterance per mode, each in its own process (its maxRSS is then its own).
const longWords = quick ? 60_000 : 300_000;
const child = fileURLToPath(new URL('./longUtterance.ts', import.meta.url));
const longUtterance = (quick ? ['unit', 'sclite'] : ['unit', 'unit-linear', 'sclite']).map((mode) => {
  const r = spawnSync(process.execPath, [...process.execArgv, child, String(longWords), mode], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`longUtterance ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
});

function wordsPerSecond(suite: typeof shortSuite, refWords: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const arm of suite.arms) out[arm.name] = Math.round(refWords / (arm.summary.median / 1e9));
  return out;
}

await writeBenchResults({
  project: 'wer',
  suites: [shortSuite, longSuite, longNaiveSuite, shortPeers, longPeers],
  extra: {
    quick,
    data: 'synthetic, 5,000-word vocabulary, ~8 % edits (a third each S, D, I), harness normaliser',
    referenceWords: { short: short.refWords, long: long.refWords, longNaive: longNaive.refWords },
    referenceWordsPerSecond: {
      short: wordsPerSecond(shortSuite, short.refWords),
      long: wordsPerSecond(longSuite, long.refWords),
      longNaive: wordsPerSecond(longNaiveSuite, longNaive.refWords),
      peersShort: wordsPerSecond(shortPeers, short.refWords),
      peersLong: wordsPerSecond(longPeers, long.refWords),
    },
    externalPeers: external,
    // Errors of our sclite-cost alignment, to set beside sclite's own count in externalPeers.
    scliteCostErrors: {
      short: processWords(short.refs, short.hyps, scliteCosts).errors,
      long: processWords(long.refs, long.hyps, scliteCosts).errors,
    },
    longUtterance,
    goal: { short: 1_500_000, long: 500_000, armMeasured: 'align' },
    // Quoted from jiwer's own benchmark on another machine (jiwer does not install here).
    jiwerQuotedNotMeasured: { short: 720_000, long: 450_000 },
  },
});
