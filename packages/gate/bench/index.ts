/**
 * Gate throughput: a whole `runGate` (decode three variants, score, report) at one and at two decode
 * workers, interleaved. Quick mode (CI) uses the small seeded fixture; the full mode
 * runs on any model and corpus given by EOU_GATE_BENCH_MODEL / EOU_GATE_BENCH_DATA (for example
 * the 2,620-file parakeet-shaped synthetic corpus of the README) and records wall time, files/s
 * and peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { interleave, quickMode, writeBenchResults } from '@eou/bench';
import { makeCorpus, makeModel } from '../test/fixture';
// The built package (the bench target builds first), so workers run `dist/decodeWorker.js` as installed.
import { runGate } from '@eou/gate';

const quick = quickMode();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-gate-bench-'));
const modelDir = process.env.EOU_GATE_BENCH_MODEL ?? makeModel(path.join(scratch, 'model'));
const dataDir =
  process.env.EOU_GATE_BENCH_DATA ??
  makeCorpus(path.join(scratch, 'corpus'), modelDir, { files: quick ? 24 : 200, framesPerFile: 60 });

const files = fs
  .readFileSync(path.join(dataDir, 'manifest.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean).length;
let run = 0;
const gate = (workers: number) => async () => {
  const outDir = path.join(scratch, `out-${run++}`);
  const result = await runGate({
    modelDir,
    dataDir,
    candidates: ['pipeline', 'lean'],
    outDir,
    workers,
    provenance: { command: 'bench' },
  });
  fs.rmSync(outDir, { recursive: true, force: true });
  return result.report!.variants.map((v) => v.errors);
};

const suite = await interleave({
  name: 'wer-gate-run',
  arms: [
    { name: '1 worker', run: gate(1) },
    { name: '2 workers', run: gate(2) },
  ],
  warmup: 1,
  rounds: quick ? 3 : 5,
  compareOutputs: true,
  unit: `gate run (${files} files x 3 variants)`,
});
const medianSec = (arm: number) => suite.arms[arm]!.summary.median / 1e9;
await writeBenchResults({
  project: 'gate',
  suites: [suite],
  extra: {
    files,
    modelDir,
    dataDir,
    filesPerSecond: { oneWorker: files / medianSec(0), twoWorkers: files / medianSec(1) },
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  },
});
fs.rmSync(scratch, { recursive: true, force: true });
