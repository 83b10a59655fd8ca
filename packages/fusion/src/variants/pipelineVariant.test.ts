import { describe, expect, it } from 'vitest';
import { extractDecoderJointWeights } from './decoderJointWeights';
import { buildPipelineGraph, pipelineVariant } from './pipelineVariant';
import { session, stepInputs, tensor, tinyPair } from './tinyPair.fixture';

const files = { decoder: 'decoder.onnx', joint: 'joint_decision.onnx' };

describe(buildPipelineGraph, () => {
  it('is bit-exact with running decoder then joint_decision, on every output', async () => {
    const p = tinyPair({ V: 21, H: 8, E: 6, J: 10, K: 7 }, 3);
    const sources = {
      decoder: { file: files.decoder, sha256: '0'.repeat(64) },
      joint: { file: files.joint, sha256: '1'.repeat(64) },
    };
    const [built] = pipelineVariant.build({
      decoder: p.decoder,
      joint: p.joint,
      weights: extractDecoderJointWeights(p.decoder, p.joint, files),
      sources,
    });
    expect(built!.fileName).toBe('decoder_joint_decision_pipeline.onnx');
    const pipe = await session(built!.model);
    const dec = await session(p.decoder);
    const joint = await session(p.joint);
    for (let seed = 0; seed < 10; seed++) {
      const x = stepInputs(p, seed);
      const feeds = {
        targets: tensor.i32([x.token], [1, 1]),
        target_length: tensor.i32([1], [1]),
        h_in: tensor.f32(x.h, [1, 1, 8]),
        c_in: tensor.f32(x.c, [1, 1, 8]),
      };
      const d = await dec(feeds);
      const j = await joint({ encoder_step: tensor.f32(x.enc, [1, 6, 1]), decoder_step: d.decoder! });
      const out = await pipe({ ...feeds, encoder_step: tensor.f32(x.enc, [1, 6, 1]) });
      expect(Object.keys(out).sort()).toEqual([
        'c_out',
        'h_out',
        'token_id',
        'token_prob',
        'top_k_ids',
        'top_k_logits',
      ]);
      for (const [name, want] of Object.entries({ ...j, h_out: d.h_out!, c_out: d.c_out! })) {
        expect(out[name]!.dims, name).toEqual(want.dims);
        expect(out[name]!.data, name).toEqual(want.data);
      }
    }
  });

  it('keeps the interface names and prefixes everything else', () => {
    const p = tinyPair({ V: 9, H: 4, E: 3, J: 5, K: 3 }, 1);
    const g = buildPipelineGraph(p.decoder.graph, p.joint.graph, files);
    expect(g.inputs.map((v) => v.name)).toEqual(['targets', 'target_length', 'h_in', 'c_in', 'encoder_step']);
    expect(g.outputs.map((v) => v.name)).toEqual([
      'token_id',
      'token_prob',
      'top_k_ids',
      'top_k_logits',
      'h_out',
      'c_out',
    ]);
    expect(g.nodes.length).toBe(p.decoder.graph.nodes.length + p.joint.graph.nodes.length);
    expect(g.initializers.size).toBe(p.decoder.graph.initializers.size + p.joint.graph.initializers.size);
    expect([...g.initializers.keys()].every((n) => n.startsWith('decoder/') || n.startsWith('joint/'))).toBe(
      true,
    );
    // The boundary survives: the joint reads the decoder's `decoder` output through its Transpose.
    const consumer = g.nodes.find((n) => n.inputs.includes('decoder/decoder'));
    expect(consumer?.opType).toBe('Transpose');
  });

  it('EXPECTED FAILURE - refuses a joint without `decoder_step`', () => {
    const p = tinyPair({ V: 9, H: 4, E: 3, J: 5, K: 3 }, 1);
    const joint = { ...p.joint.graph, inputs: p.joint.graph.inputs.filter((v) => v.name !== 'decoder_step') };
    expect(() => buildPipelineGraph(p.decoder.graph, joint, files)).toThrow(
      expect.objectContaining({
        name: 'FusionError',
        code: 'E_MISSING_TENSOR',
        message: 'joint_decision.onnx: missing input `decoder_step`',
      }),
    );
  });
});
