import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import { decodeUtterance } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOnnx } from '@eou/graph';
import type { CoreMLModel, SyntheticAdjust } from '@eou/coreml-format';
import {
  encodeMlpackage,
  milToOnnx,
  readMlmodelc,
  readMlpackage,
  writeMlpackage,
  writeSyntheticMlmodelc,
} from '@eou/coreml-format';
import { eouDir, fixturesNote, haveFixtures } from '../../test/coremlFixtures';
import { buildDecoderModel, buildJointDecisionModel } from '../canonical/canonicalModels';
import { loopRunner } from '../parity/loopRunner';
import { frames } from '../parity/parity.fixture';
import { runParity } from '../parity/runParity';
import { openVariantStepper } from '../parity/variantStepper';
import { fuseModelDirectory } from '../variants/fuseModelDirectory';
import { leanMlProgramFromPair } from './leanCoreMLVariant';
import { pipelineMlProgramFromPair } from './pipelineCoreMLVariant';
import { milDecoderJointWeights, onnxWeightsOfMil } from './milDecoderJointWeights';

/** Raises the blank logit's bias so that decodes mix blanks (state kept) and emissions. */
const blankBoost: SyntheticAdjust = (name, v) => {
  if (name === 'joint_module_joint_net_2_bias_to_fp16') v[1026] = v[1026]! + 0.8;
};

const config = { blankId: 1026, eouId: 1024, vocabSize: 1027 };
const corpus = Array.from({ length: 3 }, (_, k) => ({
  id: `u${k}`,
  frames: frames(8, 512, 71 + k),
  frameCount: 8,
}));
const open = (dir: string, variant: string) => openVariantStepper(dir, variant, (p) => openOnnxSession(p));

describe.skipIf(!haveFixtures)(
  `MIL lean and pipeline variants from a real-structure .mlmodelc pair${fixturesNote}`,
  () => {
    let tmp = '';
    let dec: CoreMLModel;
    let jnt: CoreMLModel;
    let canonical = '';
    beforeAll(() => {
      tmp = mkdtempSync(join(tmpdir(), 'eou-mil-variants-'));
      writeSyntheticMlmodelc(join(eouDir, 'decoder.mlmodelc'), join(tmp, 'decoder.mlmodelc'), 3);
      writeSyntheticMlmodelc(
        join(eouDir, 'joint_decision.mlmodelc'),
        join(tmp, 'joint_decision.mlmodelc'),
        3,
        blankBoost,
      );
      dec = readMlmodelc(join(tmp, 'decoder.mlmodelc'));
      jnt = readMlmodelc(join(tmp, 'joint_decision.mlmodelc'));
      canonical = join(tmp, 'canonical');
      mkdirSync(canonical);
      const w = onnxWeightsOfMil(milDecoderJointWeights(dec, jnt));
      writeFileSync(join(canonical, 'decoder.onnx'), writeOnnx(buildDecoderModel(w.decoder)));
      writeFileSync(join(canonical, 'joint_decision.onnx'), writeOnnx(buildJointDecisionModel(w.joint)));
    });
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('builds the lean program with the seed ops in order and says what it was built from', () => {
      const dir = join(tmp, 'lean.mlpackage');
      writeMlpackage(dir, leanMlProgramFromPair(dec, jnt));
      const back = readMlpackage(dir);
      const ops = back.program.functions[0]!.operations.filter((o) => o.type !== 'const').map((o) => o.type);
      expect(ops).toEqual([
        'cast',
        'gather',
        'transpose',
        'cast',
        'squeeze',
        'cast',
        'squeeze',
        'lstm',
        'expand_dims',
        'cast',
        'expand_dims',
        'cast',
        'cast',
        'transpose',
        'linear',
        'linear',
        'expand_dims',
        'expand_dims',
        'add',
        'relu',
        'linear',
        'reduce_argmax',
        'softmax',
        'expand_dims',
        'cast',
        'gather_along_axis',
        'squeeze',
        'cast',
      ]);
      expect(back.specificationVersion).toBe(8);
      expect(back.program.functions[0]!.opset).toBe('ios17');
      const meta = back.description.metadata.userDefined;
      expect(meta['eou.variant']).toBe('lean');
      const inputs = JSON.parse(meta['eou.inputs']!);
      const weightHash = createHash('sha256')
        .update(readFileSync(join(tmp, 'decoder.mlmodelc', 'weights', 'weight.bin')))
        .digest('hex');
      expect(inputs[join(tmp, 'decoder.mlmodelc')]['weights/weight.bin']).toBe(weightHash);
    });

    it('writes byte-identical lean packages for the same inputs', () => {
      const a = encodeMlpackage(leanMlProgramFromPair(dec, jnt, { withTopK: true }));
      const b = encodeMlpackage(leanMlProgramFromPair(dec, jnt, { withTopK: true }));
      for (const k of Object.keys(a)) expect(Buffer.from(a[k]!).equals(Buffer.from(b[k]!))).toBe(true);
    });

    it.each([
      { variant: 'lean', withTopK: false },
      { variant: 'lean-topk', withTopK: true },
    ] as const)(
      're-read and converted, the $variant package decodes like the ONNX $variant variant',
      async ({ variant, withTopK }) => {
        const pkg = join(tmp, `${variant}.mlpackage`);
        writeMlpackage(pkg, leanMlProgramFromPair(dec, jnt, { withTopK }));
        fuseModelDirectory(canonical, { variant });
        const fromMil = join(tmp, `mil-${variant}`);
        mkdirSync(fromMil);
        const file =
          variant === 'lean' ? 'decoder_joint_decision_fused.onnx' : 'decoder_joint_decision_fused_topk.onnx';
        writeFileSync(join(fromMil, file), writeOnnx(milToOnnx(readMlpackage(pkg))));
        const a = await open(fromMil, variant);
        const b = await open(canonical, variant);
        const report = await runParity(a, b, corpus, {
          config,
          runner: loopRunner(decodeUtterance),
          runnerName: 'rnnt-decode',
        });
        await a.close();
        await b.close();
        expect(report.summary.sequencesIdentical).toBe(corpus.length);
        expect(report.summary.teacherForced.flips).toBe(0);
        expect(report.summary.teacherForced.maxAbsDH).toBe(0);
        expect(report.files.every((f) => f.freeRunning.tokensA.length > 0)).toBe(true);
        // blanks happen too: fewer tokens than steps
        expect(report.files.reduce((n, f) => n + f.freeRunning.tokensA.length, 0)).toBeLessThan(
          report.summary.steps,
        );
      },
    );

    it('builds the pipeline program, which decodes bit-identically to the converted split pair', async () => {
      const pkg = join(tmp, 'pipeline.mlpackage');
      writeMlpackage(pkg, pipelineMlProgramFromPair(dec, jnt));
      const pipe = readMlpackage(pkg);
      expect(pipe.description.inputs.map((i) => i.name)).toEqual([
        'targets',
        'target_length',
        'h_in',
        'c_in',
        'encoder_step',
      ]);
      expect(pipe.description.outputs.map((o) => o.name)).toEqual([
        'token_id',
        'token_prob',
        'top_k_ids',
        'top_k_logits',
        'h_out',
        'c_out',
      ]);
      const split = join(tmp, 'mil-split');
      const fused = join(tmp, 'mil-pipeline');
      mkdirSync(split);
      mkdirSync(fused);
      writeFileSync(join(split, 'decoder.onnx'), writeOnnx(milToOnnx(dec)));
      writeFileSync(join(split, 'joint_decision.onnx'), writeOnnx(milToOnnx(jnt)));
      writeFileSync(join(fused, 'decoder_joint_decision_pipeline.onnx'), writeOnnx(milToOnnx(pipe)));
      const a = await open(split, 'ref');
      const b = await open(fused, 'pipeline');
      const report = await runParity(a, b, corpus, {
        config,
        runner: loopRunner(decodeUtterance),
        runnerName: 'rnnt-decode',
      });
      await a.close();
      await b.close();
      expect(report.verdict.label).toBe('STRICT');
      expect(report.summary.teacherForced).toMatchObject({
        flips: 0,
        maxAbsDProb: 0,
        maxAbsDH: 0,
        maxAbsDC: 0,
      });
    });
  },
);
