/**
 * The shipped Parakeet EOU decoder / joint_decision structure (the real `model.mil` files of the
 * shared fixtures; their weights are not public, so seeded fp16 values fill the blob files at the
 * real offsets), converted to ONNX by this package's MIL converter: the variants are built from
 * it and must match it step for step on ONNX Runtime. This is the seed's pair, fp16 rounding
 * after every op included.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { milToOnnx, readMlmodelc, writeBlobStorage } from '@eou/coreml-format';
import { readOnnx, writeOnnx } from '@eou/graph';
import { eouDir, fixturesNote, haveFixtures } from '../../test/coremlFixtures';
import { frames } from '../parity/parity.fixture';
import { runParity } from '../parity/runParity';
import { openVariantStepper } from '../parity/variantStepper';
import { toFloat16Array } from '../reference/fp16';
import { Random } from '../synth/random';
import { extractDecoderJointWeights } from './decoderJointWeights';
import { fuseModelDirectory } from './fuseModelDirectory';

let dir = '';

/** Copies a fixture `.mlmodelc` and fills its weight.bin with seeded fp16 values at the offsets its model.mil names. */
function withSyntheticWeights(name: string, rnd: Random): string {
  const target = join(dir, `${name}.mlmodelc`);
  cpSync(join(eouDir, `${name}.mlmodelc`), target, { recursive: true });
  mkdirSync(join(target, 'weights'), { recursive: true });
  const mil = readFileSync(join(target, 'model.mil'), 'utf8');
  const blobs = [
    ...mil.matchAll(
      /tensor<fp16, \[([\d, ]+)\]> \w+ = const\(\)[^\n]*?offset = tensor<uint64, \[\]>\((\d+)\)/g,
    ),
  ]
    .map((m) => ({ dims: m[1]!.split(',').map(Number), offset: Number(m[2]) }))
    .sort((a, b) => a.offset - b.offset);
  const tensors = blobs.map((b) => {
    const n = b.dims.reduce((x, y) => x * y, 1);
    return {
      dtype: 'float16' as const,
      dims: b.dims,
      data: toFloat16Array(Float32Array.from({ length: n }, () => rnd.uniform(-0.1, 0.1))),
    };
  });
  const { bytes, offsets } = writeBlobStorage(tensors);
  expect(offsets).toEqual(blobs.map((b) => b.offset));
  writeFileSync(join(target, 'weights', 'weight.bin'), bytes);
  return target;
}

beforeAll(() => {
  if (!haveFixtures) return;
  dir = mkdtempSync(join(tmpdir(), 'shipped-pair-'));
  const rnd = new Random(3);
  for (const name of ['decoder', 'joint_decision']) {
    writeFileSync(
      join(dir, `${name}.onnx`),
      writeOnnx(milToOnnx(readMlmodelc(withSyntheticWeights(name, rnd)))),
    );
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveFixtures)(
  `variants of the shipped decoder / joint_decision structure${fixturesNote}`,
  () => {
    it('finds the shipped fp16 rounding points, inputs and intermediate values included', async () => {
      const read = (n: string) => readFileSync(join(dir, n));
      const w = extractDecoderJointWeights(
        readOnnx(read('decoder.onnx')),
        readOnnx(read('joint_decision.onnx')),
        { decoder: 'decoder.onnx', joint: 'joint_decision.onnx' },
      );
      expect([w.vocabSize, w.hiddenSize, w.encoderDim, w.jointDim, w.topK]).toEqual([
        1027, 640, 512, 640, 64,
      ]);
      expect(w.rounding).toMatchObject({
        hIn: true,
        cIn: true,
        h: true,
        c: true,
        y: true,
        enc: true,
        f: true,
        g: true,
        sum: true,
        logits: true,
        probs: true,
      });
    });

    it('builds pipeline, lean, lean-topk and projected that match it exactly on ONNX Runtime', async () => {
      for (const variant of ['pipeline', 'lean', 'lean-topk', 'projected'])
        fuseModelDirectory(dir, { variant });
      const open = (name: string) => openVariantStepper(dir, name, (p) => openOnnxSession(p));
      const ref = await open('ref');
      const corpus = [0, 1].map((k) => ({ id: `f${k}`, frames: frames(6, 512, k + 1), frameCount: 6 }));
      for (const name of ['pipeline', 'lean', 'lean-topk', 'projected']) {
        const b = await open(name);
        const report = await runParity(ref, b, corpus, {
          config: { blankId: 1026, eouId: 1024, vocabSize: 1027 },
        });
        expect(report.verdict.label, name).toBe('STRICT');
        expect(report.summary.teacherForced.maxAbsDProb, name).toBe(0);
        await b.close();
      }
      await ref.close();
    });
  },
);
