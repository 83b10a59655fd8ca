import { join } from 'node:path';
import { readOnnxFile, type Model } from '@eou/graph';
import { fixturesRoot, sharedFixture } from '@eou/test-support';
import { describe, expect, it } from 'vitest';
import { GraphDraft, value } from '../variants/graphDraft';
import { statelessJoinerProjections } from './statelessJoinerProjections';

const zipformer = sharedFixture('zipformer-kws-gigaspeech-3.3M');
const note = zipformer ? '' : ` (SKIPPED: shared fixture not found at ${fixturesRoot()})`;

const D = 4;
const w = (rows: number, cols: number) => ({
  dtype: 'float32' as const,
  dims: [rows, cols],
  data: new Float32Array(rows * cols),
});

/** A joiner in the older layout: its own Linears on each input before the add. */
function joinerWithProjections(): Model {
  const g = new GraphDraft();
  const enc = g.op('Gemm', ['encoder_out', g.init('enc.w', w(D, D))], {}, 'enc_proj');
  const dec = g.op('Gemm', [g.op('Relu', ['decoder_out']), g.init('dec.w', w(D, D))], {}, 'dec_proj');
  g.op('MatMul', [g.op('Tanh', [g.op('Add', [enc, dec])]), g.init('out.w', w(D, 3))], {}, 'logit');
  return {
    graph: g.toGraph(
      'joiner',
      [value('encoder_out', 'float32', ['N', D]), value('decoder_out', 'float32', ['N', D])],
      [value('logit', 'float32', ['N', 3])],
    ),
    opsetImports: [{ domain: '', version: 13 }],
    irVersion: 8,
    producerName: 'test',
    producerVersion: '0',
    metadata: {},
  };
}

describe(statelessJoinerProjections, () => {
  it('names the Linears a joiner applies to one input alone', () => {
    expect(statelessJoinerProjections(joinerWithProjections())).toEqual({
      meetingNode: 'Add_1',
      encoderProjection: ['Gemm_1'],
      decoderProjection: ['Gemm_2'],
      hoisted: false,
    });
  });

  it('BAD INPUT - a graph without the stateless joiner inputs, or that never combines them', () => {
    const m = joinerWithProjections();
    const renamed = {
      ...m,
      graph: { ...m.graph, inputs: [value('x', 'float32', ['N', D]), m.graph.inputs[1]!] },
    };
    expect(() => statelessJoinerProjections(renamed, 'j.onnx')).toThrow(
      'j.onnx: no input `encoder_out` (a stateless joiner takes encoder_out and decoder_out)',
    );
    const split = { ...m, graph: { ...m.graph, nodes: m.graph.nodes.filter((n) => n.opType === 'Gemm') } };
    expect(() => statelessJoinerProjections(split, 'j.onnx')).toThrow(
      'j.onnx: no node combines encoder_out and decoder_out',
    );
  });

  describe.skipIf(!zipformer)(`on the zipformer transducer (icefall export)${note}`, () => {
    it('has nothing left to hoist: the encoder and the prediction net end with the projections', () => {
      const dir = zipformer!;
      const joiner = readOnnxFile(join(dir, 'joiner.onnx'));
      expect(statelessJoinerProjections(joiner)).toEqual({
        meetingNode: '/Add',
        encoderProjection: [],
        decoderProjection: [],
        hoisted: true,
      });
      // joiner.onnx is output_linear(tanh(encoder_out + decoder_out)).
      expect(joiner.graph.nodes.map((n) => n.opType)).toEqual(['Add', 'Tanh', 'Gemm']);
      const producer = (file: string, output: string) =>
        readOnnxFile(join(dir, file)).graph.nodes.find((n) => n.outputs.includes(output))!.name;
      expect(producer('decoder.onnx', 'decoder_out')).toBe('/decoder_proj/Gemm');
      expect(producer('encoder.int8.onnx', 'encoder_out')).toMatch(/^\/encoder_proj\//);
    });
  });
});
