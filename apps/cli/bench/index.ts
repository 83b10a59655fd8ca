/**
 * Gate throughput: the whole `eou wer-gate` run (decode three variants, score, report) at one and
 * at two decode workers, interleaved. Quick mode (CI) uses the small seeded fixture; the full mode
 * runs on any model and corpus given by EOU_GATE_BENCH_MODEL / EOU_GATE_BENCH_DATA (for example
 * the 2,620-file parakeet-shaped synthetic corpus of the README) and records wall time, files/s
 * and peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, quickMode, writeBenchResults } from '@eou/bench';
import { defaultGateRules } from '@eou/wer';
import { makeCorpus, makeModelDir } from '../test/gateFixture';
import { runGate, type GateRunOptions } from '../src/gate/runGate';
import { WHOLE } from '../src/gate/shard';

const quick = quickMode();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-gate-bench-'));
const modelDir = process.env.EOU_GATE_BENCH_MODEL ?? makeModelDir(path.join(scratch, 'model'));
const dataDir =
  process.env.EOU_GATE_BENCH_DATA ??
  makeCorpus(path.join(scratch, 'corpus'), { files: quick ? 24 : 200, frames: 60 });
const workerFile = fileURLToPath(new URL('../dist/gate/decodeWorker.js', import.meta.url));
if (!fs.existsSync(workerFile))
  throw new Error(`${workerFile} is missing: build the CLI first (npx nx run cli:build)`);

const files = fs
  .readFileSync(path.join(dataDir, 'manifest.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean).length;
let run = 0;
const gate = (workers: number) => async () => {
  const outDir = path.join(scratch, `out-${run++}`);
  const options: GateRunOptions = {
    modelDir,
    dataDir,
    reference: 'ref',
    candidates: ['pipeline', 'lean'],
    rules: defaultGateRules,
    maxFailedFiles: 0,
    blowupFraction: 0.2,
    normalizer: 'harness',
    eouPolicy: 'reset',
    outDir,
    shard: WHOLE,
    workers,
    workerUrl: new URL(`file://${workerFile}`),
    command: 'bench',
    stderr: process.stderr,
    showProgress: false,
  };
  const result = await runGate(options);
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
  project: 'cli',
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
