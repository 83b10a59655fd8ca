/**
 * The per-file cost curve of lock-step batching: each variant of the default gate (`cached` for
 * `ref`, `pipeline`, `lean`) decodes the same files one at a time from the shipped graphs and in
 * lock step with refill (`decodeRefill`) at B = 1, 2, 4, 8 and 16 from the batch-capable graphs
 * built from the same weights, interleaved; tokens are compared with the single-file decode every
 * round. Per-file time is a sample's wall time over its files. Quick mode uses the small seeded
 * fixture; the full mode runs on EOU_GATE_BENCH_MODEL / EOU_GATE_BENCH_DATA (for example the
 * 2,620-file parakeet-shaped corpus of the README), on its first EOU_GATE_BENCH_FILES files (default 64).
 * Runs in 3 fresh processes (1 in quick mode), pooled with a two-level bootstrap (`@eou/bench`
 * `replicate`). Writes bench-results/gate-batch.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  interleave,
  quickMode,
  replicate,
  type SuiteResult,
  type WriteBenchResultsOptions,
} from '@eou/bench';
import { writeBatchedModelDirectory } from '@eou/fusion';
import { openOnnxSession } from '@eou/onnx-runtime';
import {
  decodeRefill,
  decodeUtterance,
  loadModelDirectory,
  parseNpy,
  type BatchUtterance,
  type ModelDirectoryIO,
} from '@eou/rnnt-decode';
import { makeCorpus, makeModel } from '../test/fixture';

const quick = quickMode();

/** One process's curve; {@link replicate} runs it in fresh processes and pools them. */
async function runSuites(): Promise<WriteBenchResultsOptions> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-gate-batch-bench-'));
  try {
    const modelDir = process.env.EOU_GATE_BENCH_MODEL ?? makeModel(path.join(scratch, 'model'));
    const dataDir =
      process.env.EOU_GATE_BENCH_DATA ??
      makeCorpus(path.join(scratch, 'corpus'), modelDir, { files: 24, framesPerFile: 60 });
    const fileCount = Number(process.env.EOU_GATE_BENCH_FILES ?? (quick ? 16 : 64));
    const rowsList = [1, 2, 4, 8, 16];
    const variants = ['cached', 'pipeline', 'lean'];

    const io: ModelDirectoryIO = {
      readText: (p) => fs.readFileSync(p, 'utf8'),
      exists: (p) => fs.existsSync(p),
      openSession: (p) => openOnnxSession(p, { intraOpNumThreads: 1, interOpNumThreads: 1 }),
    };

    const files: BatchUtterance[] = fs
      .readFileSync(path.join(dataDir, 'manifest.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, fileCount)
      .map((line) => {
        const file = path.join(dataDir, (JSON.parse(line) as { frames: string }).frames);
        const npy = parseNpy(new Uint8Array(fs.readFileSync(file)), file);
        return { frames: npy.data, frameCount: npy.dims[0] };
      });
    const batchedDir = path.join(scratch, 'batched');
    writeBatchedModelDirectory(modelDir, batchedDir, variants);

    const suites: SuiteResult[] = [];
    const perFileMs: Record<string, Record<string, number>> = {};
    for (const variant of variants) {
      const one = await loadModelDirectory(modelDir, variant, io);
      const many = await loadModelDirectory(batchedDir, variant, io);
      const single = async () => {
        const out: number[][] = [];
        for (const f of files)
          out.push(
            Array.from((await decodeUtterance(one.model, f.frames, f.frameCount, one.decodeConfig)).tokens),
          );
        return out;
      };
      const batched = (rows: number) => async () =>
        (await decodeRefill(many.model, files, many.decodeConfig, { rows })).utterances.map((u) =>
          Array.from(u.tokens),
        );
      const suite = await interleave({
        name: `gate-batch-${variant}`,
        arms: [
          { name: 'single file', run: single },
          ...rowsList.map((rows) => ({ name: `B=${rows}`, run: batched(rows) })),
        ],
        warmup: 1,
        rounds: quick ? 3 : 7,
        compareOutputs: true,
        unit: `${files.length} files`,
      });
      await Promise.all([one.close(), many.close()]);
      suites.push(suite);
      perFileMs[variant] = Object.fromEntries(
        suite.arms.map((a) => [a.name, a.summary.median / 1e6 / files.length]),
      );
    }
    return {
      project: 'gate-batch',
      suites,
      extra: {
        files: files.length,
        frames: files.reduce((a, f) => a + f.frameCount, 0),
        modelDir,
        dataDir,
        perFileMs,
        loadavg: os.loadavg(),
        note: 'per-file ms = median sample / files (in replicated runs, of the first process); a mismatch count above 0 means lock-step tokens differed from single-file tokens',
      },
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

await replicate({}, runSuites);
