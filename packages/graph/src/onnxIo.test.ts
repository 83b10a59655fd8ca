import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphError } from './graphError';
import type { AttributeValue, Graph, Model, TensorValue } from './graph';
import { checkOnnxWeights, weightDTypeProblems } from './checkOnnxWeights';
import { readOnnx } from './readOnnx';
import { onnxRoot } from './onnxSchema';
import { writeOnnx, writeOnnxFile } from './writeOnnx';

const encodeModel = (obj: object): Uint8Array =>
  onnxRoot().lookupType('onnx.ModelProto').encode(obj).finish();

const dims = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });

function tensorArb(): fc.Arbitrary<TensorValue> {
  return dims.chain((d) => {
    const n = d.reduce((a, b) => a * b, 1);
    return fc.oneof(
      fc
        .array(fc.float({ noNaN: true }), { minLength: n, maxLength: n })
        .map((v): TensorValue => ({ dtype: 'float32', dims: d, data: Float32Array.from(v) })),
      fc
        .array(fc.integer({ min: 0, max: 0xffff }), { minLength: n, maxLength: n })
        .map((v): TensorValue => ({ dtype: 'float16', dims: d, data: Uint16Array.from(v) })),
      fc
        .array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: n, maxLength: n })
        .map((v): TensorValue => ({ dtype: 'int64', dims: d, data: BigInt64Array.from(v) })),
      fc
        .array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n })
        .map((v): TensorValue => ({ dtype: 'int32', dims: d, data: Int32Array.from(v) })),
      fc
        .array(fc.double({ noNaN: true }), { minLength: n, maxLength: n })
        .map((v): TensorValue => ({ dtype: 'float64', dims: d, data: Float64Array.from(v) })),
      fc
        .array(fc.boolean(), { minLength: n, maxLength: n })
        .map((v): TensorValue => ({ dtype: 'bool', dims: d, data: Uint8Array.from(v, Number) })),
      fc
        .array(fc.string(), { minLength: n, maxLength: n })
        .map((v): TensorValue => ({ dtype: 'string', dims: d, data: v })),
    );
  });
}

const f32 = (x: number): number => Math.fround(x);
const name = fc.string({ minLength: 1, maxLength: 8 });
const attributeArb: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.integer().map((value): AttributeValue => ({ type: 'int', value })),
  fc.float({ noNaN: true }).map((value): AttributeValue => ({ type: 'float', value: f32(value) })),
  fc.string().map((value): AttributeValue => ({ type: 'string', value })),
  fc.array(fc.integer()).map((value): AttributeValue => ({ type: 'ints', value })),
  fc.array(fc.float({ noNaN: true })).map((value): AttributeValue => ({ type: 'floats', value })),
  fc.array(fc.string()).map((value): AttributeValue => ({ type: 'strings', value })),
  tensorArb().map((value): AttributeValue => ({ type: 'tensor', value })),
);

const graphArb: fc.Arbitrary<Graph> = fc.record({
  name,
  inputs: fc.array(
    fc.record({
      name,
      dtype: fc.constantFrom('float32' as const, 'int32' as const, 'float16' as const, 'int64' as const),
      shape: fc.array(fc.oneof(fc.nat(4096), fc.constantFrom('B', 'T'), fc.constant(-1)), { maxLength: 4 }),
    }),
    { maxLength: 3 },
  ),
  outputs: fc.array(
    fc.record({
      name,
      dtype: fc.constant('float32' as const),
      shape: fc.array(fc.nat(10), { maxLength: 3 }),
    }),
    {
      maxLength: 2,
    },
  ),
  initializers: fc
    .uniqueArray(fc.tuple(name, tensorArb()), { selector: ([n]) => n, maxLength: 4 })
    .map((e) => new Map(e)),
  nodes: fc.array(
    fc.record({
      name,
      opType: fc.constantFrom('Add', 'LSTM', 'Gemm'),
      domain: fc.constantFrom('', 'com.microsoft'),
      inputs: fc.array(fc.oneof(name, fc.constant('')), { maxLength: 3 }),
      outputs: fc.array(name, { minLength: 1, maxLength: 2 }),
      attributes: fc.dictionary(name, attributeArb, { maxKeys: 3 }),
    }),
    { maxLength: 4 },
  ),
});

const modelArb: fc.Arbitrary<Model> = fc.record({
  graph: graphArb,
  opsetImports: fc.array(
    fc.record({ domain: fc.constantFrom('', 'ai.onnx.ml'), version: fc.integer({ min: 1, max: 21 }) }),
    { maxLength: 2 },
  ),
  irVersion: fc.integer({ min: 3, max: 10 }),
  producerName: fc.string(),
  producerVersion: fc.string(),
  metadata: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
});

/** Plain-object form for deep comparison (typed arrays to arrays, -0 kept apart by Object.is). */
function plain(value: unknown): unknown {
  if (value instanceof Map) return [...value].map(([k, v]) => [k, plain(v)]);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

describe('ONNX read/write', () => {
  it('round-trips any model the IR can hold, and writes identical bytes twice', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const bytes = writeOnnx(model);
        const back = readOnnx(bytes);
        expect(plain(back)).toEqual(plain(model));
        expect(writeOnnx(back)).toEqual(bytes);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a metadata key named __proto__ as a key (found by the property above)', () => {
    const metadata = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const model: Model = {
      graph: { name: 'g', inputs: [], outputs: [], nodes: [], initializers: new Map() },
      opsetImports: [],
      irVersion: 3,
      producerName: '',
      producerVersion: '',
      metadata,
    };
    const back = readOnnx(writeOnnx(model));
    expect(Object.keys(back.metadata)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(back.metadata)).toBe(Object.prototype);
  });

  it('reads typed-field tensors (float_data, int32_data fp16 bits, int64_data, double_data) as upstream tools write them', () => {
    const bytes = encodeModel({
      ir_version: 8,
      graph: {
        name: 'g',
        initializer: [
          { name: 'a', dims: [2], data_type: 1, float_data: [1.5, -2] },
          { name: 'h', dims: [2], data_type: 10, int32_data: [0x3c00, 0xc000] },
          { name: 'i', dims: [1, 2], data_type: 7, int64_data: [-3, -9007199254740991] },
          { name: 'd', dims: [], data_type: 11, double_data: [0.1] },
          { name: 'u', dims: [1], data_type: 12, uint64_data: [4000000000] },
        ],
      },
    });
    const init = readOnnx(bytes).graph.initializers;
    expect(Array.from(init.get('a')!.data as Float32Array)).toEqual([1.5, -2]);
    expect(Array.from(init.get('h')!.data as Uint16Array)).toEqual([0x3c00, 0xc000]);
    expect(Array.from(init.get('i')!.data as BigInt64Array)).toEqual([-3n, -9007199254740991n]);
    expect(init.get('i')!.dims).toEqual([1, 2]);
    expect(Array.from(init.get('d')!.data as Float64Array)).toEqual([0.1]);
    expect(Array.from(init.get('u')!.data as Uint32Array)).toEqual([4000000000]);
  });

  it('copies raw_data so tensors at odd byte offsets come out aligned and independent of the input buffer', () => {
    const model: Model = {
      graph: {
        name: 'g',
        inputs: [],
        outputs: [],
        nodes: [],
        initializers: new Map([['w', { dtype: 'float32', dims: [3], data: Float32Array.of(1, 2, 3) }]]),
      },
      opsetImports: [{ domain: '', version: 17 }],
      irVersion: 8,
      producerName: 'p',
      producerVersion: '',
      metadata: {},
    };
    const bytes = writeOnnx(model);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const w = readOnnx(shifted.subarray(1)).graph.initializers.get('w')!;
    shifted.fill(0);
    expect(Array.from(w.data as Float32Array)).toEqual([1, 2, 3]);
  });

  it('writes INT64_MAX sentinels in ints attributes saturated, as ONNX Slice expects', () => {
    const model: Model = {
      graph: {
        name: 'g',
        inputs: [],
        outputs: [],
        initializers: new Map(),
        nodes: [
          {
            name: 's',
            opType: 'X',
            domain: '',
            inputs: [],
            outputs: ['y'],
            attributes: { ends: { type: 'ints', value: [Number.MAX_VALUE, -Infinity] } },
          },
        ],
      },
      opsetImports: [],
      irVersion: 8,
      producerName: '',
      producerVersion: '',
      metadata: {},
    };
    // Varints of INT64_MAX and INT64_MIN, each after the `ints` tag (field 8, varint: 0x40).
    const hex = Buffer.from(writeOnnx(model)).toString('hex');
    expect(hex).toContain('40' + 'ffffffffffffffff7f' + '40' + '80808080808080808001');
  });

  it('EXPECTED FAILURE - external data is refused with the tensor named', () => {
    const bytes = encodeModel({
      ir_version: 8,
      graph: {
        name: 'g',
        initializer: [
          {
            name: 'w',
            dims: [4],
            data_type: 1,
            data_location: 1,
            external_data: [{ key: 'location', value: 'w.bin' }],
          },
        ],
      },
    });
    expect(() => readOnnx(bytes, { path: 'm.onnx' })).toThrowError(
      expect.objectContaining({
        name: 'GraphError',
        code: 'E_EXTERNAL_DATA',
        message: expect.stringMatching(/^m\.onnx: initializer "w" stores its data in an external file/),
      }),
    );
  });

  it('EXPECTED FAILURE - a truncated file is refused as not decodable', () => {
    const bytes = writeOnnx({
      graph: {
        name: 'g',
        inputs: [],
        outputs: [],
        nodes: [],
        initializers: new Map([['w', { dtype: 'float32', dims: [64], data: new Float32Array(64) }]]),
      },
      opsetImports: [],
      irVersion: 8,
      producerName: '',
      producerVersion: '',
      metadata: {},
    });
    let error: unknown;
    try {
      readOnnx(bytes.subarray(0, bytes.length - 10), { path: 'cut.onnx' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe('E_ONNX_DECODE');
    expect((error as GraphError).message).toMatch(/^cut\.onnx: not a valid ONNX model/);
  });

  it('EXPECTED FAILURE - a raw_data length that disagrees with dims is refused', () => {
    const bytes = encodeModel({
      ir_version: 8,
      graph: {
        name: 'g',
        initializer: [{ name: 'w', dims: [3], data_type: 1, raw_data: new Uint8Array(8) }],
      },
    });
    expect(() => readOnnx(bytes, { path: 'm.onnx' })).toThrowError(
      'm.onnx: initializer "w" has 8 bytes of raw_data, expected 12 from its dims',
    );
  });

  it('EXPECTED FAILURE - unsupported element types (bfloat16) are named', () => {
    const bytes = encodeModel({
      ir_version: 8,
      graph: {
        name: 'g',
        initializer: [{ name: 'w', dims: [1], data_type: 16, raw_data: new Uint8Array(2) }],
      },
    });
    expect(() => readOnnx(bytes, { path: 'm.onnx' })).toThrowError(
      'm.onnx: initializer "w" has unsupported data type BFLOAT16',
    );
  });

  it('EXPECTED FAILURE - an empty file and bytes without a graph are refused', () => {
    expect(() => readOnnx(new Uint8Array(), { path: 'e.onnx' })).toThrowError(
      'e.onnx: empty file, expected an ONNX model',
    );
    expect(() => readOnnx(encodeModel({ ir_version: 8 }), { path: 'n.onnx' })).toThrowError(
      /^n\.onnx: ONNX model has no graph/,
    );
  });

  it('BAD CALL - readOnnx rejects a non-Uint8Array', () => {
    expect(() => readOnnx('x' as unknown as Uint8Array)).toThrowError(TypeError);
  });

  it('EXPECTED FAILURE - float64 weights are refused naming the file and initializer; float16/float32 pass', () => {
    const model = (dtype: 'float64' | 'float16'): Model => ({
      graph: {
        name: 'g',
        inputs: [],
        outputs: [],
        nodes: [],
        initializers: new Map<string, TensorValue>([
          ['ok', { dtype: 'float32', dims: [1], data: Float32Array.of(1) }],
          [
            'w',
            dtype === 'float64'
              ? { dtype, dims: [2], data: Float64Array.of(1, 2) }
              : { dtype, dims: [2], data: Uint16Array.of(1, 2) },
          ],
        ]),
      },
      opsetImports: [],
      irVersion: 8,
      producerName: '',
      producerVersion: '',
      metadata: {},
    });
    expect(weightDTypeProblems(model('float16'), 'm.onnx')).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'eou-onnx-'));
    try {
      writeOnnxFile(join(dir, 'm.onnx'), model('float64'));
      expect(() => checkOnnxWeights(join(dir, 'm.onnx'))).toThrowError(
        expect.objectContaining({
          code: 'E_DTYPE',
          message: `${join(dir, 'm.onnx')}: initializer "w" is float64; weights must be stored as float16 or float32`,
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
