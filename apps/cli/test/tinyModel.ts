/**
 * The tiny model directory the CLI tests share: canonical decoder and joint_decision graphs
 * (docs/onnx-layout.md) from seeded fp16 weights, with model.json and vocab.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildDecoderModel,
  buildJointDecisionModel,
  roundDecoderWeightsToFp16,
  roundJointWeightsToFp16,
} from '@eou/fusion';
import { writeOnnx } from '@eou/graph';

/** Default sizes: V = 9 text pieces + EOU + EOB + blank. */
export const TINY_DIMS = { V: 12, H: 6, E: 5, J: 8 } as const;

/** A seeded LCG giving values in [-0.5, 0.5). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32 - 0.5);
}

export interface TinyModelOptions {
  readonly dims?: { readonly V: number; readonly H: number; readonly E: number; readonly J: number };
  /** Text pieces, ids 0..; default `▁w0`, `▁w1`, ... for the V - 3 text ids. */
  readonly pieces?: readonly string[];
  /** Top-k width of joint_decision (default 4). */
  readonly topK?: number;
  /** Added to the blank logit's bias, so a model emits a few tokens per utterance instead of many. */
  readonly blankBias?: number;
  readonly producer?: string;
}

export function writeTinyModel(dir: string, seed: number, options: TinyModelOptions = {}): string {
  const { V, H, E, J } = options.dims ?? TINY_DIMS;
  const topK = options.topK ?? 4;
  const r = lcg(seed);
  const a = (n: number, k: number) => Float32Array.from({ length: n }, () => r() * k);
  const dw = roundDecoderWeightsToFp16({
    vocabSize: V,
    hiddenSize: H,
    embed: a(V * H, 2),
    W: a(4 * H * H, 1.6),
    R: a(4 * H * H, 1.6),
    B: a(8 * H, 0.6),
  });
  const outBias = a(V, 0.6);
  outBias[V - 1] = outBias[V - 1]! + (options.blankBias ?? 0);
  const jw = roundJointWeightsToFp16({
    vocabSize: V,
    hiddenSize: H,
    encoderDim: E,
    jointDim: J,
    encWeight: a(J * E, 1.6),
    encBias: a(J, 0.6),
    predWeight: a(J * H, 1.6),
    predBias: a(J, 0.6),
    outWeight: a(V * J, 3),
    outBias,
  });
  const producer = options.producer ?? 'cli test fixture';
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'decoder.onnx'), writeOnnx(buildDecoderModel(dw, { producer })));
  writeFileSync(join(dir, 'joint_decision.onnx'), writeOnnx(buildJointDecisionModel(jw, { topK, producer })));
  const pieces = options.pieces ?? Array.from({ length: V - 3 }, (_, k) => `▁w${k}`);
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({
      format: 'eou-model/1',
      blankId: V - 1,
      eouId: V - 3,
      eobId: V - 2,
      vocabSize: V,
      hiddenSize: H,
      encoderDim: E,
      jointDim: J,
      topK,
      maxSymbolsPerFrame: 2,
      frameMs: 80,
      batch: false,
      producer,
      ext: 'onnx',
    }),
  );
  writeFileSync(
    join(dir, 'vocab.json'),
    JSON.stringify(Object.fromEntries(pieces.map((p, i) => [String(i), p]))),
  );
  return dir;
}
