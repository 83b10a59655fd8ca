/**
 * The rebuilt variants keep each fp16 rounding point the source pair has: rounding is injected
 * into a canonical tiny joint at the encoder input, f, g, f + g and the softmax output, and lean
 * must then match that joint exactly on ONNX Runtime (and a lean that ignores them must not).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph, GraphNode, Model } from '@eou/graph';
import { writeOnnx } from '@eou/graph';
import { frames } from '../parity/parity.fixture';
import { runParity } from '../parity/runParity';
import { openVariantStepper } from '../parity/variantStepper';
import { fuseModelDirectory, readVariantBuildInput } from './fuseModelDirectory';
import { buildLeanGraph, leanFileName } from './leanVariant';
import { tinyPair } from './tinyPair.fixture';
import { VariantKind } from './variantKind';
import { variantModel } from './variantModel';

/** Rounds value `v` through fp16 for all its readers (inserted right after its producer). */
function roundAfter(g: Graph, v: string): Graph {
  const half = `${v}__f16`;
  const back = `${v}__r`;
  const casts: GraphNode[] = [
    {
      name: `${v}__c16`,
      opType: 'Cast',
      domain: '',
      inputs: [v],
      outputs: [half],
      attributes: { to: { type: 'int', value: 10 } },
    },
    {
      name: `${v}__c32`,
      opType: 'Cast',
      domain: '',
      inputs: [half],
      outputs: [back],
      attributes: { to: { type: 'int', value: 1 } },
    },
  ];
  const nodes: GraphNode[] = g.nodes.map((n) => ({
    ...n,
    inputs: n.inputs.map((i) => (i === v ? back : i)),
  }));
  const at = nodes.findIndex((n) => n.outputs.includes(v)) + 1; // 0 for a graph input
  nodes.splice(at, 0, ...casts);
  return { ...g, nodes };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('fp16 rounding points', () => {
  it('are found in the joint and kept by lean, which then matches it exactly', async () => {
    const p = tinyPair({ V: 12, H: 6, E: 5, J: 8, K: 4 }, 21);
    let joint: Graph = p.joint.graph;
    const [encGemm, predGemm] = joint.nodes.filter((n) => n.opType === 'Gemm');
    for (const v of ['encoder_step', encGemm!.outputs[0]!, predGemm!.outputs[0]!])
      joint = roundAfter(joint, v);
    joint = roundAfter(joint, joint.nodes.find((n) => n.opType === 'Add')!.outputs[0]!);
    joint = roundAfter(joint, joint.nodes.find((n) => n.opType === 'Softmax')!.outputs[0]!);
    const dir = mkdtempSync(join(tmpdir(), 'rounding-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'decoder.onnx'), writeOnnx(p.decoder));
    writeFileSync(join(dir, 'joint_decision.onnx'), writeOnnx({ ...p.joint, graph: joint } satisfies Model));

    const input = readVariantBuildInput(dir);
    expect(input.weights.rounding).toMatchObject({
      enc: true,
      f: true,
      g: true,
      sum: true,
      probs: true,
      hidden: false,
      hIn: false,
    });

    const corpus = [0, 1, 2].map((k) => ({ id: `u${k}`, frames: frames(8, 5, k + 3), frameCount: 8 }));
    const config = { blankId: 11, eouId: 9, vocabSize: 12 };
    const compare = async () => {
      const open = (name: string) => openVariantStepper(dir, name, (path) => openOnnxSession(path));
      const [ref, lean] = [await open('ref'), await open('lean')];
      const report = await runParity(ref, lean, corpus, { config });
      await ref.close();
      await lean.close();
      return report;
    };
    fuseModelDirectory(dir, { variant: 'lean' });
    const kept = await compare();
    expect(kept.verdict.label).toBe('STRICT');
    expect(kept.summary.teacherForced.maxAbsDProb).toBe(0);

    // The same lean without the joint's extra rounding points: probabilities now differ.
    const canonical = { ...input.weights.rounding, enc: false, f: false, g: false, sum: false, probs: false };
    const model = variantModel(
      VariantKind.Lean,
      'fused',
      buildLeanGraph({ ...input.weights, rounding: canonical }),
      input,
    );
    writeFileSync(join(dir, leanFileName), writeOnnx(model));
    const dropped = await compare();
    expect(dropped.summary.teacherForced.maxAbsDProb).toBeGreaterThan(1e-6);
    expect(dropped.verdict.label).not.toBe('STRICT');
  });
});
