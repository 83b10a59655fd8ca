import { describe, expect, it } from 'vitest';
import { extractDecoderJointWeights } from './decoderJointWeights';
import {
  buildProjectedDecoderGraph,
  buildProjectedEncoderGraph,
  buildProjectedJointGraph,
  projectedVariant,
} from './projectedVariant';
import { referenceStep, session, stepInputs, tensor, tinyPair } from './tinyPair.fixture';

const files = { decoder: 'decoder.onnx', joint: 'joint_decision.onnx' };

describe('projectedVariant', () => {
  it('names its three files as the loader expects', () => {
    const p = tinyPair({ V: 9, H: 4, E: 3, J: 5, K: 3 }, 1);
    const sources = {
      decoder: { file: files.decoder, sha256: '0'.repeat(64) },
      joint: { file: files.joint, sha256: '1'.repeat(64) },
    };
    const built = projectedVariant.build({
      decoder: p.decoder,
      joint: p.joint,
      weights: extractDecoderJointWeights(p.decoder, p.joint, files),
      sources,
    });
    expect(built.map((b) => [b.fileName, b.model.metadata['eou.kind']])).toEqual([
      ['projected_encoder.onnx', 'projected_encoder'],
      ['projected_decoder.onnx', 'projected_decoder'],
      ['projected_joint.onnx', 'projected_joint'],
    ]);
  });

  it('projects T frames at once, then joins per step to the reference step', async () => {
    const p = tinyPair({ V: 15, H: 6, E: 5, J: 8, K: 4 }, 7);
    const w = extractDecoderJointWeights(p.decoder, p.joint, files);
    const encoder = await session({ ...p.joint, graph: buildProjectedEncoderGraph(w) });
    const decoder = await session({ ...p.joint, graph: buildProjectedDecoderGraph(w) });
    const joint = await session({ ...p.joint, graph: buildProjectedJointGraph(w) });
    const steps = [0, 1, 2, 3].map((s) => stepInputs(p, s));
    const frames = await encoder({
      encoder_frames: tensor.f32(
        steps.flatMap((x) => [...x.enc]),
        [4, 5],
      ),
    });
    expect(frames.encoder_projected!.dims).toEqual([4, 8]);
    for (const [t, x] of steps.entries()) {
      const d = await decoder({
        targets: tensor.i32([x.token], [1, 1]),
        h_in: tensor.f32(x.h, [1, 1, 6]),
        c_in: tensor.f32(x.c, [1, 1, 6]),
      });
      const encRow = (frames.encoder_projected!.data as Float32Array).slice(t * 8, t * 8 + 8);
      const out = await joint({
        encoder_projected: tensor.f32(encRow, [1, 8]),
        decoder_projected: d.decoder_projected!,
      });
      const ref = referenceStep(p, x.token, x.h, x.c, x.enc);
      for (let k = 0; k < 6; k++) expect(d.h_out!.data[k] as number).toBeCloseTo(ref.h[k]!, 2);
      const sorted = Array.from(ref.logits).sort((a, b) => b - a);
      if (sorted[0]! - sorted[1]! > 0.05) expect(out.token_id!.data[0]).toBe(ref.tokenId);
      expect(Math.abs((out.token_prob!.data[0] as number) - ref.prob)).toBeLessThan(5e-3);
    }
  });
});
