import { describe, expect, it } from 'vitest';
import type { Graph, Model } from '@eou/graph';
import { extractDecoderJointWeights } from './decoderJointWeights';
import { tinyPair } from './tinyPair.fixture';

const files = { decoder: 'm/decoder.onnx', joint: 'm/joint_decision.onnx' };
const withGraph = (m: Model, f: (g: Graph) => Partial<Graph>): Model => ({
  ...m,
  graph: { ...m.graph, ...f(m.graph) },
});

function refusal(decoder: Model, joint: Model): { name: string; code: string; message: string } {
  try {
    extractDecoderJointWeights(decoder, joint, files);
  } catch (e) {
    const err = e as { name: string; code: string; message: string };
    return { name: err.name, code: err.code, message: err.message };
  }
  throw new Error('expected a refusal');
}

describe(extractDecoderJointWeights, () => {
  it('finds dims, weights and rounding points of a canonical pair by following the graphs', () => {
    const p = tinyPair({ V: 11, H: 6, E: 5, J: 7, K: 4 }, 2);
    const w = extractDecoderJointWeights(p.decoder, p.joint, files);
    expect([w.vocabSize, w.hiddenSize, w.embedDim, w.encoderDim, w.jointDim, w.topK, w.batch]).toEqual([
      11, 6, 6, 5, 7, 4, 1,
    ]);
    const none = {
      hIn: false,
      cIn: false,
      x: false,
      enc: false,
      dec: false,
      f: false,
      g: false,
      sum: false,
      hidden: false,
      probs: false,
    };
    expect(w.rounding).toEqual({ ...none, h: true, c: true, y: true, logits: true });
    expect(w.embedding.dtype).toBe('float16');
    expect(w.lstm.w.dims).toEqual([1, 24, 6]);
    expect(w.lstm.b?.dims).toEqual([1, 48]);
    expect(w.out.weight.dims).toEqual([11, 7]);
    expect(w.opset).toBe(17);
  });

  it('does not depend on tensor names', () => {
    const p = tinyPair({ V: 7, H: 3, E: 2, J: 4, K: 2 }, 2);
    const rename = (g: Graph): Partial<Graph> => {
      const map = (n: string) => (g.initializers.has(n) ? `w${[...g.initializers.keys()].indexOf(n)}` : n);
      return {
        initializers: new Map([...g.initializers].map(([n, t]) => [map(n), t])),
        nodes: g.nodes.map((n) => ({ ...n, inputs: n.inputs.map(map) })),
      };
    };
    const w = extractDecoderJointWeights(withGraph(p.decoder, rename), withGraph(p.joint, rename), files);
    expect(w.hiddenSize).toBe(3);
    expect(w.out.bias.dims).toEqual([7]);
  });

  it('EXPECTED FAILURE - refuses a joint built for another hidden size', () => {
    const a = tinyPair({ V: 7, H: 4, E: 3, J: 5, K: 2 }, 1);
    const b = tinyPair({ V: 7, H: 6, E: 3, J: 5, K: 2 }, 1);
    expect(refusal(a.decoder, b.joint)).toEqual({
      name: 'FusionError',
      code: 'E_SHAPE',
      message:
        "m/joint_decision.onnx: input `decoder_step` has decoder dim 6, expected the decoder's hidden size 4",
    });
  });

  it('EXPECTED FAILURE - refuses a pair with a missing input or a missing weight', () => {
    const p = tinyPair({ V: 7, H: 4, E: 3, J: 5, K: 2 }, 1);
    const noH = withGraph(p.decoder, (g) => ({ inputs: g.inputs.filter((v) => v.name !== 'h_in') }));
    expect(refusal(noH, p.joint)).toEqual({
      name: 'FusionError',
      code: 'E_MISSING_TENSOR',
      message: 'm/decoder.onnx: missing input `h_in` (inputs: targets, target_length, c_in)',
    });
    const noBias = withGraph(p.joint, (g) => ({
      initializers: new Map([...g.initializers].filter(([n]) => n !== 'joint.out.bias')),
    }));
    expect(refusal(p.decoder, noBias)).toEqual({
      name: 'FusionError',
      code: 'E_MISSING_TENSOR',
      message: 'm/joint_decision.onnx: output layer bias `joint.out.bias` is not a constant tensor',
    });
  });

  it('EXPECTED FAILURE - refuses an unexpected op', () => {
    const p = tinyPair({ V: 7, H: 4, E: 3, J: 5, K: 2 }, 1);
    const extra = withGraph(p.joint, (g) => ({
      nodes: [
        ...g.nodes,
        {
          name: 'scale',
          opType: 'Mul',
          domain: '',
          inputs: ['token_prob', 'token_prob'],
          outputs: ['sq'],
          attributes: {},
        },
      ],
    }));
    expect(refusal(p.decoder, extra)).toEqual({
      name: 'FusionError',
      code: 'E_UNEXPECTED_GRAPH',
      message: 'm/joint_decision.onnx: unexpected op Mul (node `scale`)',
    });
    const twoLstms = withGraph(p.decoder, (g) => ({
      nodes: [
        ...g.nodes,
        ...g.nodes
          .filter((n) => n.opType === 'LSTM')
          .map((n) => ({ ...n, name: 'lstm2', outputs: ['a', 'b', 'c'] })),
      ],
    }));
    expect(refusal(twoLstms, p.joint).message).toBe(
      'm/decoder.onnx: expected exactly one LSTM node, found 2',
    );
  });

  it('EXPECTED FAILURE - refuses float64 weights', () => {
    const p = tinyPair({ V: 7, H: 4, E: 3, J: 5, K: 2 }, 1);
    const f64 = withGraph(p.decoder, (g) => ({
      initializers: new Map(
        [...g.initializers].map(([n, t]) => [
          n,
          n === 'lstm.R'
            ? { dtype: 'float64' as const, dims: t.dims, data: new Float64Array(t.data.length) }
            : t,
        ]),
      ),
    }));
    expect(refusal(f64, p.joint)).toEqual({
      name: 'FusionError',
      code: 'E_DTYPE',
      message: 'm/decoder.onnx: LSTM R `lstm.R` is float64, expected float16 or float32',
    });
  });
});
