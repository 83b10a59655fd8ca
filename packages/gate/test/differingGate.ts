/**
 * The results log of a gate whose candidates differ from the reference variant, built
 * deterministically (a seeded generator, no decoding): `lean` drops and swaps words on a few files
 * (two of them blowups), `lean-topk` changes one word on others. The report of these lines is what
 * `buildReport` makes of such a run; the tests render it and look at it in headless Chromium.
 */
import { presets, processWords, seededRandom } from '@eou/wer';
import { buildReport, type ReportContext } from '../src/buildReport';
import type { GateReport } from '../src/gateReport';
import type { FileResult, ResultsHeader } from '../src/resultsLog';
import { resolveSettings } from '../src/settings';

const VOCAB = (
  'the a cat dog sat ran on under mat table red blue quick slow house river over near ' +
  'light dark morning evening train station ticket window open closed'
).split(' ');

/** One variant's results line entry, scored as the gate's `toFileResult` scores it. */
function variant(text: string, reference: string, refText: string) {
  const c = processWords(reference, text, { normalizer: presets.harness });
  const hyp = presets.harness(text);
  return {
    tokens: hyp.map((w) => VOCAB.indexOf(w) + 1),
    text,
    errors: c.errors,
    substitutions: c.substitutions,
    deletions: c.deletions,
    insertions: c.insertions,
    seqDiff: text !== refText,
    decodeMs: 1 + ((hyp.length * 37) % 11),
    eouFrames: [],
    steps: hyp.length * 4,
  };
}

/** The log lines of a 60-file gate (`ref`, `lean`, `lean-topk`), in manifest order. */
export function differingGateFiles(count = 60): FileResult[] {
  const rnd = seededRandom(2026);
  const pick = () => VOCAB[Math.floor(rnd() * VOCAB.length)]!;
  const files: FileResult[] = [];
  for (let i = 0; i < count; i++) {
    const words = Array.from({ length: 4 + Math.floor(rnd() * 22) }, pick);
    const reference = words.join(' ');
    // The reference variant: one substitution on every third file.
    const refHyp = [...words];
    if (i % 3 === 0) refHyp[Math.floor(rnd() * refHyp.length)] = pick();
    const lean = [...refHyp];
    if (i % 13 === 2) {
      // A blowup: the second half dropped and a word inserted.
      lean.splice(Math.ceil(lean.length / 2), lean.length, 'uh');
    } else if (i % 5 === 1 && lean.length >= 12) {
      // A small regression (at most 2 errors in 12 words: under the blowup fraction).
      lean[0] = lean[0] === 'light' ? 'dark' : 'light';
      lean.splice(2, 1);
    }
    const topk = [...refHyp];
    if (i % 9 === 4) topk[topk.length - 1] = 'station';
    const texts: Record<string, string> = {
      ref: refHyp.join(' '),
      lean: lean.join(' '),
      'lean-topk': topk.join(' '),
    };
    files.push({
      kind: 'file',
      id: `spk${i % 4}-utt${String(i).padStart(3, '0')}`,
      index: i,
      status: 'ok',
      reference,
      words: words.length,
      frames: words.length * 12,
      variants: Object.fromEntries(
        Object.entries(texts).map(([v, t]) => [v, variant(t, reference, texts.ref!)]),
      ),
    });
  }
  return files;
}

/** The report of {@link differingGateFiles}, as `runGate` would build it from that log. */
export function differingGateReport(files = differingGateFiles()): GateReport {
  const settings = resolveSettings({
    modelDir: '/models/tiny-eou',
    dataDir: '/corpora/held-out',
    candidates: ['lean', 'lean-topk'],
  });
  const header: ResultsHeader = {
    kind: 'header',
    format: 'eou-wer-gate-results/1',
    settingsHash: 'ab'.repeat(32),
    settings: { modelFiles: { 'decoder.onnx': 'cd'.repeat(32) }, manifestSha256: 'ef'.repeat(32) },
    shard: '1/1',
  };
  const context: ReportContext = {
    settings,
    header,
    command: 'eou wer-gate --candidates lean,lean-topk',
    versions: { '@eou/gate': '0.1.0' },
    wallSec: 12.5,
    execution: { mode: 'in-process', resumedFiles: 0, workers: 1, identicalCheck: 'single thread' },
    frameMs: 80,
  };
  return buildReport(files, ['1/1'], context, [
    { variant: 'lean', margins: [0.01, 0.02, 0.4, 0.05], filesChecked: 60 },
    { variant: 'lean-topk', margins: [0.003], filesChecked: 60 },
  ]);
}
