/**
 * CoreML variant benchmarks (JSON to `bench-results/fusion-coreml.json`): building each fused
 * variant's `.mlpackage` (weights found in the pair, the ML Program built, the package encoded)
 * from the real-structure Parakeet EOU decoder / joint_decision (the real `model.mil` files of the
 * shared fixtures with synthetic weights at the declared offsets), all arms interleaved.
 *
 * Needs the shared fixtures (`../shared/fixtures` next to the repo); without them it writes a
 * result with no suites and says why. Quick mode (`EOU_BENCH_QUICK=1`): few rounds. Imported by
 * `bench/index.ts`; runs on its own with `tsx bench/coreml.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Arm } from '@eou/bench';
import { interleave, quickMode, writeBenchResults } from '@eou/bench';
import { encodeMlpackage, readMlmodelc, writeSyntheticMlmodelc } from '@eou/coreml-format';
import { eouDir, haveFixtures } from '../test/coremlFixtures';
import { coremlVariants } from '../src/index';

const quick = quickMode();

if (!haveFixtures) {
  process.stderr.write(`bench fusion-coreml: SKIPPED, Parakeet EOU fixtures not found at ${eouDir}\n`);
  await writeBenchResults({
    project: 'fusion-coreml',
    suites: [],
    extra: { skipped: `fixtures not found at ${eouDir}` },
  });
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'fusion-coreml-bench-'));
  try {
    writeSyntheticMlmodelc(join(eouDir, 'decoder.mlmodelc'), join(tmp, 'decoder.mlmodelc'));
    writeSyntheticMlmodelc(join(eouDir, 'joint_decision.mlmodelc'), join(tmp, 'joint_decision.mlmodelc'));
    const decoder = readMlmodelc(join(tmp, 'decoder.mlmodelc'));
    const joint = readMlmodelc(join(tmp, 'joint_decision.mlmodelc'));
    const arms = Object.values(coremlVariants).map((v): Arm => ({
      name: `${v.kind} -> mlpackage`,
      run: () => encodeMlpackage(v.build(decoder, joint))['Manifest.json']!.byteLength,
    }));
    const fuse = await interleave({
      name: 'coreml-fuse',
      arms,
      warmup: quick ? 2 : 3,
      rounds: quick ? 6 : 30,
      unit: 'package',
    });
    await writeBenchResults({
      project: 'fusion-coreml',
      suites: [fuse],
      extra: {
        fixtures: eouDir,
        note: 'decoder/joint are the real EOU model.mil files with synthetic weights at the declared offsets; each arm hashes the input files for provenance, as `eou fuse --format mlpackage` does',
      },
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
