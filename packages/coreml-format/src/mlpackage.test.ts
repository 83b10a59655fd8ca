import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesNote, haveFixtures, sileroMlmodelc, sileroMlpackage } from '../test/coremlFixtures';
import { CoreMLFormatError } from './coremlFormatError';
import { milToGraph } from './milGraph';
import { readMlmodelc } from './mlmodelc';
import { encodeMlpackage, readMlpackage, writeMlpackage } from './mlpackage';
import { parseMil } from './milParser';
import { printMil } from './milPrinter';
import type { CoreMLModel } from './coremlModel';

const tmp = mkdtempSync(join(tmpdir(), 'eou-mlpackage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A small program with one blob and one immediate, built in memory. */
function smallModel(): CoreMLModel {
  const text = `program(1.0)
{
    func main<ios17>(tensor<fp32, [1, 4]> x) {
            tensor<fp32, [3, 4]> w = const()[name = tensor<string, []>("w"), val = tensor<fp32, [3, 4]>(BLOBFILE(path = tensor<string, []>("@model_path/weights/weight.bin"), offset = tensor<uint64, []>(64)))];
            tensor<fp32, [3]> b = const()[name = tensor<string, []>("b"), val = tensor<fp32, [3]>([0x1p+0, 0x1p+1, 0x1p-1])];
            tensor<fp32, [1, 3]> y = linear(bias = b, weight = w, x = x)[name = tensor<string, []>("linear_0")];
        } -> (y);
}`;
  const p = parseMil(text);
  const op = p.functions[0]!.operations[0]!;
  const val = op.attributes[1]!.value;
  const withData = {
    ...val,
    data: { dtype: 'float32', dims: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i / 4) },
  } as typeof val;
  const program = {
    ...p,
    functions: [
      {
        ...p.functions[0]!,
        operations: [
          { ...op, attributes: [op.attributes[0]!, { name: 'val', value: withData }] },
          ...p.functions[0]!.operations.slice(1),
        ],
      },
    ],
  };
  return {
    format: 'mlpackage',
    path: '',
    specificationVersion: 8,
    descriptionSource: 'test',
    program,
    description: {
      inputs: [{ name: 'x', type: { kind: 'multiArray', shape: [1, 4], dataType: 'float32' } }],
      outputs: [{ name: 'y', type: { kind: 'multiArray', shape: [1, 3], dataType: 'float32' } }],
      states: [],
      metadata: { author: 'test', userDefined: { 'eou.producer': 'unit test' } },
    },
  };
}

const strip = (m: CoreMLModel) => ({
  d: m.description,
  s: m.specificationVersion,
  g: milToGraph({ ...m, path: '' }).graph,
});

describe('writeMlpackage / readMlpackage', () => {
  it('round-trips description, program and weights', () => {
    const dir = join(tmp, 'small.mlpackage');
    writeMlpackage(dir, smallModel());
    const back = readMlpackage(dir);
    expect(strip(back)).toEqual(strip(smallModel()));
  });

  it('writes byte-identical packages for the same input, with a sorted 4-space manifest', () => {
    const a = encodeMlpackage(smallModel());
    const b = encodeMlpackage(smallModel());
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const k of Object.keys(a)) expect(Buffer.from(a[k]!).equals(Buffer.from(b[k]!))).toBe(true);
    const manifest = new TextDecoder().decode(a['Manifest.json']);
    expect(manifest).toMatch(/^\{\n {4}"fileFormatVersion": "1\.0\.0",\n {4}"itemInfoEntries"/);
    expect(JSON.parse(manifest).rootModelIdentifier).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/,
    );
  });

  it('replaces an existing package atomically and leaves no temp directories', () => {
    const dir = join(tmp, 'replace.mlpackage');
    writeMlpackage(dir, smallModel());
    writeMlpackage(dir, smallModel());
    expect(readdirSync(tmp).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(readMlpackage(dir).program.functions[0]!.operations.length).toBe(3);
  });

  const mangled = (name: string, edit: (dir: string) => void) => {
    const dir = join(tmp, name);
    writeMlpackage(dir, smallModel());
    edit(dir);
    try {
      readMlpackage(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(CoreMLFormatError);
      expect((e as Error).message).not.toContain('\n');
      return e as CoreMLFormatError;
    }
    throw new Error('expected a CoreMLFormatError');
  };

  it('EXPECTED FAILURE - a bad Manifest.json names the file and field', () => {
    expect(
      mangled('m1.mlpackage', (d) => writeFileSync(join(d, 'Manifest.json'), '{"fileFormatVersion": "1.0.0"'))
        .message,
    ).toMatch(/Manifest\.json: not JSON/);
    expect(
      mangled('m2.mlpackage', (d) =>
        writeFileSync(join(d, 'Manifest.json'), '{"fileFormatVersion": "2.0.0"}'),
      ).message,
    ).toMatch(/Manifest\.json \(fileFormatVersion\): must be "1\.0\.0"/);
    const e = mangled('m3.mlpackage', (d) => {
      const m = JSON.parse(readFileSync(join(d, 'Manifest.json'), 'utf8'));
      m.rootModelIdentifier = 'NOPE';
      writeFileSync(join(d, 'Manifest.json'), JSON.stringify(m));
    });
    expect(e.code).toBe('E_MANIFEST');
    expect(e.message).toMatch(/no entry for rootModelIdentifier NOPE/);
  });

  it('EXPECTED FAILURE - a truncated weight.bin names the weight file and byte offset', () => {
    const e = mangled('w1.mlpackage', (d) => {
      const p = join(d, 'Data/com.apple.CoreML/weights/weight.bin');
      writeFileSync(p, readFileSync(p).subarray(0, 100));
    });
    expect(e.code).toBe('E_BLOB');
    expect(e.message).toMatch(/weights\/weight\.bin \(byte 64\): .*past the end/);
  });

  it('EXPECTED FAILURE - a model.mlmodel that is not an ML Program', () => {
    const e = mangled('p1.mlpackage', (d) =>
      writeFileSync(join(d, 'Data/com.apple.CoreML/model.mlmodel'), Uint8Array.of(8, 5)),
    );
    expect(e.code).toBe('E_PROTO');
    expect(e.message).toMatch(/model\.mlmodel \(field 502\): not an ML Program/);
  });
});

describe.skipIf(!haveFixtures)(`Silero VAD .mlmodelc and .mlpackage${fixturesNote}`, () => {
  it('parse to the same description, graph and weights', () => {
    const c = readMlmodelc(sileroMlmodelc);
    const p = readMlpackage(sileroMlpackage);
    expect(c.descriptionSource).toBe('coremldata.bin');
    expect(c.specificationVersion).toBe(6);
    expect(p.specificationVersion).toBe(6);
    expect(strip(c)).toEqual(strip(p));
    expect(milToGraph(p).graph.initializers.get('concat_1')!.dims).toEqual([512, 128]);
  });

  it('prints the package program as the compiled model.mil, except the build info coremlc adds', () => {
    const printed = printMil(readMlpackage(sileroMlpackage).program).split('\n');
    const compiled = readFileSync(join(sileroMlmodelc, 'model.mil'), 'utf8').split('\n');
    expect(printed.length).toBe(compiled.length);
    const differing = printed.flatMap((line, i) => (line === compiled[i] ? [] : [i]));
    expect(differing).toEqual([1]);
    expect(compiled[1]).toContain('coremlc-version');
  });

  it('round-trips through writeMlpackage with the same weight.bin bytes as the original', () => {
    const p = readMlpackage(sileroMlpackage);
    const dir = join(tmp, 'silero.mlpackage');
    writeMlpackage(dir, p);
    const back = readMlpackage(dir);
    expect(strip(back)).toEqual(strip(p));
    const orig = readFileSync(join(sileroMlpackage, 'Data/com.apple.CoreML/weights/weight.bin'));
    expect(Buffer.compare(readFileSync(join(dir, 'Data/com.apple.CoreML/weights/weight.bin')), orig)).toBe(0);
  });
});
