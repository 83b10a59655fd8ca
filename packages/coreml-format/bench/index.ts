/**
 * CoreML format benchmarks (JSON to `bench-results/coreml-format.json`): parse and convert times
 * of the shared fixtures, each arm one whole operation on one artefact.
 *
 * - `coreml-parse`: `model.mil` text -> program for the Parakeet EOU decoder, joint_decision and
 *   streaming encoder (614 KB of MIL) and Silero VAD; whole `.mlmodelc` / `.mlpackage` reads
 *   (weights included) of Silero VAD.
 * - `coreml-convert`: MIL -> ONNX bytes for Silero VAD and the real-structure EOU decoder and
 *   joint (real `model.mil` + synthetic weights); Silero VAD re-encoded as an `.mlpackage`.
 *
 * Needs the shared fixtures (`../shared/fixtures` next to the repo); without them it writes a
 * result with no suites and says why. Quick mode (`EOU_BENCH_QUICK=1`): few rounds. Run:
 * `npm run bench` (`tsx bench/index.ts`). The fused variant packages are benchmarked by
 * `@eou/fusion`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arm } from '@eou/bench';
import { interleave, quickMode, writeBenchResults } from '@eou/bench';
import { writeOnnx } from '@eou/graph';
import {
  encodeMlpackage,
  milToOnnx,
  parseMil,
  readMlmodelc,
  readMlpackage,
  writeSyntheticMlmodelc,
} from '../src/index';

const quick = quickMode();
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(dirname(repoRoot), 'shared', 'fixtures');
const eou = join(fixtures, 'parakeet-eou-160ms');
const silero = join(fixtures, 'silero-vad-coreml');

if (!existsSync(eou) || !existsSync(silero)) {
  process.stderr.write(`bench coreml: SKIPPED, shared CoreML fixtures not found at ${fixtures}\n`);
  await writeBenchResults({
    project: 'coreml-format',
    suites: [],
    extra: { skipped: `fixtures not found at ${fixtures}` },
  });
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'coreml-format-bench-'));
  try {
    const milFiles = {
      'decoder.mil': join(eou, 'decoder.mlmodelc', 'model.mil'),
      'joint_decision.mil': join(eou, 'joint_decision.mlmodelc', 'model.mil'),
      'streaming_encoder.mil': join(eou, 'streaming_encoder.mlmodelc', 'model.mil'),
      'silero.mil': join(silero, 'silero-vad-unified-v6.0.0.mlmodelc', 'model.mil'),
    };
    const texts = Object.fromEntries(Object.entries(milFiles).map(([k, p]) => [k, readFileSync(p, 'utf8')]));
    const sileroC = join(silero, 'silero-vad-unified-v6.0.0.mlmodelc');
    const sileroP = join(silero, 'silero-vad-unified-v6.0.0.mlpackage');
    const parseArms: Arm[] = [
      ...Object.keys(texts).map((name): Arm => ({
        name: `parse ${name}`,
        run: () => parseMil(texts[name]!, name).functions[0]!.operations.length,
      })),
      {
        name: 'read silero.mlmodelc',
        run: () => readMlmodelc(sileroC).program.functions[0]!.operations.length,
      },
      {
        name: 'read silero.mlpackage',
        run: () => readMlpackage(sileroP).program.functions[0]!.operations.length,
      },
    ];
    const parse = await interleave({
      name: 'coreml-parse',
      arms: parseArms,
      warmup: quick ? 2 : 5,
      rounds: quick ? 10 : 60,
      unit: 'file',
    });

    writeSyntheticMlmodelc(join(eou, 'decoder.mlmodelc'), join(tmp, 'decoder.mlmodelc'));
    writeSyntheticMlmodelc(join(eou, 'joint_decision.mlmodelc'), join(tmp, 'joint_decision.mlmodelc'));
    const models = {
      silero: readMlmodelc(sileroC),
      decoder: readMlmodelc(join(tmp, 'decoder.mlmodelc')),
      joint: readMlmodelc(join(tmp, 'joint_decision.mlmodelc')),
    };
    const convertArms: Arm[] = [
      ...Object.entries(models).map(([name, m]): Arm => ({
        name: `${name} -> onnx`,
        run: () => writeOnnx(milToOnnx(m)).byteLength,
      })),
      {
        name: 'silero -> mlpackage',
        run: () => encodeMlpackage(models.silero)['Manifest.json']!.byteLength,
      },
    ];
    const convert = await interleave({
      name: 'coreml-convert',
      arms: convertArms,
      warmup: quick ? 2 : 3,
      rounds: quick ? 6 : 30,
      unit: 'model',
    });
    await writeBenchResults({
      project: 'coreml-format',
      suites: [parse, convert],
      extra: {
        fixtures,
        bytes: Object.fromEntries(Object.entries(texts).map(([k, t]) => [k, Buffer.byteLength(t)])),
        note: 'decoder/joint are the real EOU model.mil files with synthetic weights at the declared offsets',
      },
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
