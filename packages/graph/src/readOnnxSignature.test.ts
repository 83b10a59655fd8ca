import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graphBuilder';
import { GraphError } from './graphError';
import { readOnnx } from './readOnnx';
import { readOnnxSignature } from './readOnnxSignature';
import { writeOnnx } from './writeOnnx';

describe(readOnnxSignature, () => {
  it('gives the inputs, outputs and metadata of a full read, symbolic dims included, weights left out', () => {
    const b = new GraphBuilder('signature');
    const x = b.input('x', 'float32', ['N', 3]);
    const y = b.input('y', 'int64', [1, 2]);
    const w = b.weight('w', Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2], 'float16');
    b.relu(b.matMul(x, w), 'out');
    b.output('out', 'float32', ['N', 2]);
    void y;
    const model = { ...b.toModel({ producerName: 'test' }), metadata: { context_size: '2' } };
    const bytes = writeOnnx(model);
    const full = readOnnx(bytes);
    const sig = readOnnxSignature(bytes, 'm.onnx');
    expect(sig.inputs).toEqual(full.graph.inputs);
    expect(sig.outputs).toEqual(full.graph.outputs);
    expect(sig.metadata).toEqual({ context_size: '2' });
    expect(sig.inputs.map((i) => i.shape)).toEqual([
      ['N', 3],
      [1, 2],
    ]);
  });

  it('EXPECTED FAILURE - bytes that are not protobuf name the file', () => {
    expect(() => readOnnxSignature(Uint8Array.of(0xff, 0xff, 0xff), 'bad.onnx')).toThrow(GraphError);
    expect(() => readOnnxSignature(Uint8Array.of(0xff, 0xff, 0xff), 'bad.onnx')).toThrow(
      /^bad\.onnx: not a valid ONNX model/,
    );
  });
});
