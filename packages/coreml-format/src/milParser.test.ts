import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eouDir, fixturesNote, haveFixtures, sileroMlmodelc } from '../test/coremlFixtures';
import { CoreMLFormatError } from './coremlFormatError';
import { parseMil, parseMilNumber } from './milParser';
import { hexFloat, printMil } from './milPrinter';

const tiny = `program(1.0)
[buildInfo = dict<tensor<string, []>, tensor<string, []>>({{"k", "v"}})]
{
    func main<ios17>(tensor<int32, [1]> t, tensor<fp32, [1, 2]> x) {
            tensor<fp16, [2]> w = const()[name = tensor<string, []>("w"), val = tensor<fp16, [2]>([0x1p+0, -0x1.8p-1])];
            tensor<fp16, [2, 3]> big = const()[name = tensor<string, []>("big"), val = tensor<fp16, [2, 3]>(BLOBFILE(path = tensor<string, []>("@model_path/weights/weight.bin"), offset = tensor<uint64, []>(64)))];
            tensor<int32, []> ax = const()[name = tensor<string, []>("ax"), val = tensor<int32, []>(-1)];
            tensor<fp32, [2, 2]> c = concat(axis = ax, interleave = tensor<bool, []>(false), values = (x, x))[name = tensor<string, []>("concat_0")];
            tensor<fp32, [2]> a, tensor<int32, [2]> b = topk(k = tensor<int32, []>(2), x = c)[name = tensor<string, []>("topk_0")];
        } -> (a, b);
}`;

const ios18 = `program(1.3)
{
    func main<ios18>(tensor<fp16, [4]> x) {
            fp16 s = const()[name = string("s"), val = fp16(0x1p-1)];
            tensor<fp16, [4]> w = const()[name = string("w"), val = tensor<fp16, [4]>(BLOBFILE(path = string("@model_path/weights/weight.bin"), offset = uint64(64)))];
            tensor<fp16, [4]> y = mul(x = x, y = s)[name = string("mul_0")];
        } -> (y);
}`;

function syntaxError(text: string): CoreMLFormatError {
  try {
    parseMil(text, 'm/model.mil');
  } catch (e) {
    expect(e).toBeInstanceOf(CoreMLFormatError);
    expect((e as Error).message).not.toContain('\n');
    return e as CoreMLFormatError;
  }
  throw new Error('expected a CoreMLFormatError');
}

describe('parseMil', () => {
  it('reads version, attributes, typed inputs, literals, BLOBFILE, tuples and multi-output ops', () => {
    const p = parseMil(tiny);
    expect(p.version).toBe('1.0');
    const f = p.functions[0]!;
    expect(f.opset).toBe('ios17');
    expect(f.inputs.map((i) => i.name)).toEqual(['t', 'x']);
    expect(f.outputs).toEqual(['a', 'b']);
    const [w, big, ax, concat, topk] = f.operations;
    const wv = w!.attributes[1]!.value;
    expect(wv.kind === 'tensor' && Array.from(wv.data.data as Uint16Array)).toEqual([0x3c00, 0xba00]);
    expect(big!.attributes[1]!.value).toMatchObject({
      kind: 'blob',
      path: '@model_path/weights/weight.bin',
      offset: 64,
    });
    const axv = ax!.attributes[1]!.value;
    expect(axv.kind === 'tensor' && Array.from(axv.data.data as Int32Array)).toEqual([-1]);
    expect(concat!.inputs.map((a) => [a.param, a.tuple, a.bindings.length])).toEqual([
      ['axis', false, 1],
      ['interleave', false, 1],
      ['values', true, 2],
    ]);
    expect(topk!.outputs.map((o) => o.name)).toEqual(['a', 'b']);
  });

  it('reads the ios18 bare scalar dialect', () => {
    const p = parseMil(ios18);
    const [s, w] = p.functions[0]!.operations;
    expect(s!.outputs[0]!.type).toEqual({ kind: 'tensor', dtype: 'fp16', shape: [] });
    expect(w!.attributes[1]!.value).toMatchObject({ kind: 'blob', offset: 64 });
    expect(printMil(p)).toBe(ios18);
  });

  it('prints what it parsed byte for byte', () => {
    expect(printMil(parseMil(tiny))).toBe(tiny);
  });

  it('parses hex floats, decimals, inf and nan', () => {
    expect(parseMilNumber('0x1p+0')).toBe(1);
    expect(parseMilNumber('-0x1.e28358p-6')).toBe(-0x1e28358 * 2 ** -30);
    expect(parseMilNumber('0x1.388p+13')).toBe(10000);
    expect(parseMilNumber('-inf')).toBe(-Infinity);
    expect(Number.isNaN(parseMilNumber('nan'))).toBe(true);
    expect(parseMilNumber('1.5e-3')).toBe(0.0015);
  });

  it('hexFloat and parseMilNumber are inverse on every double', () => {
    fc.assert(fc.property(fc.double(), (x) => Object.is(parseMilNumber(hexFloat(x)), x)));
  });

  it('EXPECTED FAILURE - malformed text is refused with file:line:col', () => {
    expect(
      syntaxError('program(1.0)\n{\n    func main<ios17>(tensor<fp32, [1]> x) {\n        } -> (x)\n}')
        .message,
    ).toBe("m/model.mil:5:1: expected ';', got '}'");
    expect(syntaxError('program(1.0) { func main<ios17>(tensor<fq32, [1]> x) {} -> (x); }').message).toMatch(
      /model\.mil:1:40: unknown element type 'fq32'/,
    );
    expect(
      syntaxError(
        'program(1.0) { func main<ios17>() { tensor<int32, [2]> c = const()[val = tensor<int32, [2]>([1])]; } -> (c); }',
      ).code,
    ).toBe('E_MIL_TYPE');
    expect(syntaxError('program(1.0) {').message).toMatch(/end of file/);
    expect(syntaxError('program(1.0) { } ').message).toMatch(/no functions/);
    expect(
      syntaxError(
        'program(1.0) { func main<ios17>() { tensor<string, []> s = const()[val = tensor<string, []>("abc)]; } -> (s); }',
      ).message,
    ).toMatch(/unterminated string/);
    expect(
      syntaxError(
        'program(1.0) { func main<ios17>() { tensor<int8, []> c = const()[val = tensor<int8, []>(300)]; } -> (c); }',
      ).message,
    ).toMatch(/300 is not a valid int8/);
  });

  it('never throws anything but a one-line CoreMLFormatError on truncated or mangled text', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: tiny.length }),
        fc.nat({ max: tiny.length }),
        fc.string({ maxLength: 3 }),
        (cut, at, junk) => {
          const text = tiny.slice(0, at) + junk + tiny.slice(at + 1, Math.max(at + 1, cut));
          try {
            parseMil(text);
          } catch (e) {
            expect(e).toBeInstanceOf(CoreMLFormatError);
            expect((e as Error).message).not.toContain('\n');
          }
        },
      ),
      { numRuns: 300, seed: 1234 },
    );
  });
});

describe.skipIf(!haveFixtures)(`parseMil on the real compiled models${fixturesNote}`, () => {
  const files = [
    join(eouDir, 'decoder.mlmodelc', 'model.mil'),
    join(eouDir, 'joint_decision.mlmodelc', 'model.mil'),
    join(eouDir, 'parakeet_eou_preprocessor.mlmodelc', 'model.mil'),
    join(eouDir, 'streaming_encoder.mlmodelc', 'model.mil'),
    join(sileroMlmodelc, 'model.mil'),
  ];
  it.each(files)('prints %s back byte for byte', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(printMil(parseMil(text, file))).toBe(text);
  });

  it('reads the decoder signature and its LSTM with three outputs', () => {
    const p = parseMil(readFileSync(files[0]!, 'utf8'));
    const f = p.functions[0]!;
    expect(f.inputs.map((i) => i.name)).toEqual(['c_in', 'h_in', 'target_length', 'targets']);
    expect(f.outputs).toEqual(['decoder', 'h_out', 'c_out']);
    const lstm = f.operations.find((o) => o.type === 'lstm')!;
    expect(lstm.outputs.map((o) => o.type)).toEqual([
      { kind: 'tensor', dtype: 'fp16', shape: [1, 1, 640] },
      { kind: 'tensor', dtype: 'fp16', shape: [1, 640] },
      { kind: 'tensor', dtype: 'fp16', shape: [1, 640] },
    ]);
    const blobs = f.operations.flatMap((o) =>
      o.attributes.filter((a) => a.value.kind === 'blob').map((a) => (a.value as { offset: number }).offset),
    );
    expect(blobs).toEqual([64, 1314688, 4591552, 7868416]);
  });
});
