import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Model } from './graph';
import { GraphBuilder } from './graphBuilder';
import { GraphError } from './graphError';
import { readOnnx } from './readOnnx';
import { readOnnxMetadata } from './readOnnxMetadata';
import { writeOnnx } from './writeOnnx';

/** A small model with a weight, so that the skipped graph field is not trivial. */
function baseModel(): Model {
  const b = new GraphBuilder('metadata');
  const x = b.input('x', 'float32', [1, 3]);
  const w = b.weight('w', Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2], 'float16');
  b.relu(b.matMul(x, w), 'y');
  b.output('y', 'float32', [1, 2]);
  return b.toModel({ producerName: 'readOnnxMetadata test' });
}

describe(readOnnxMetadata, () => {
  it('gives the same metadata_props as a full read, for any entries', () => {
    const base = baseModel();
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string(), { maxKeys: 5 }), (metadata) => {
        const bytes = writeOnnx({ ...base, metadata });
        expect(readOnnxMetadata(bytes)).toEqual(readOnnx(bytes).metadata);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps a metadata key named __proto__ as a key (found by the property above)', () => {
    const metadata = JSON.parse('{"__proto__":"","a":"b"}') as Record<string, string>;
    const read = readOnnxMetadata(writeOnnx({ ...baseModel(), metadata }));
    expect(Object.keys(read)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
  });

  it('EXPECTED FAILURE - bytes that are not protobuf are refused naming the file', () => {
    expect(() => readOnnxMetadata(new Uint8Array([0x0a, 0xff, 0xff]), 'x.onnx')).toThrow(
      expect.objectContaining({
        name: 'GraphError',
        code: 'E_ONNX_DECODE',
        message: expect.stringMatching(/^x\.onnx: not a valid ONNX model/),
      }),
    );
    expect(() => readOnnxMetadata(new Uint8Array([0x0a, 0xff, 0xff]))).toThrow(GraphError);
  });

  it('BAD CALL - bytes that are not a Uint8Array are a TypeError', () => {
    expect(() => readOnnxMetadata('model.onnx' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'readOnnxMetadata: `bytes` must be a Uint8Array',
      }),
    );
  });
});
