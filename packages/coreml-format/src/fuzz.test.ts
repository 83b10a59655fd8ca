/**
 * Seeded mutation fuzzing of every CoreML reader: truncated and bit-flipped weight.bin,
 * model.mlmodel and Manifest.json, and mangled model.mil text. Each case must either read (and
 * convert) or fail with a one-line CoreMLFormatError naming the file; anything else is a crash.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesNote, haveFixtures, sileroMlmodelc, sileroMlpackage } from '../test/coremlFixtures';
import { CoreMLFormatError } from './coremlFormatError';
import { writeBlobStorage } from './blobStorage';
import { descriptionFromFunction } from './coremlModel';
import { parseMil } from './milParser';
import { printMil } from './milPrinter';
import { milToOnnx } from './milToOnnx';
import { readMlmodelc } from './mlmodelc';
import { readMlpackage, writeMlpackage } from './mlpackage';

const CASES = 120;
const tmp = mkdtempSync(join(tmpdir(), 'eou-coreml-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    s ^= s >>> 13;
    return (s >>> 0) % Math.max(1, n);
  };
}

const MIL = `program(1.0)
{
    func main<ios17>(tensor<fp32, [1, 1, 4]> x) {
            tensor<fp16, [8, 4]> w = const()[name = tensor<string, []>("w"), val = tensor<fp16, [8, 4]>(BLOBFILE(path = tensor<string, []>("@model_path/weights/weight.bin"), offset = tensor<uint64, []>(64)))];
            tensor<fp16, [8]> b = const()[name = tensor<string, []>("b"), val = tensor<fp16, [8]>(BLOBFILE(path = tensor<string, []>("@model_path/weights/weight.bin"), offset = tensor<uint64, []>(192)))];
            tensor<string, []> d = const()[name = tensor<string, []>("d"), val = tensor<string, []>("fp16")];
            tensor<fp16, [1, 1, 4]> x16 = cast(dtype = d, x = x)[name = tensor<string, []>("cast_0")];
            tensor<fp16, [1, 1, 8]> y16 = linear(bias = b, weight = w, x = x16)[name = tensor<string, []>("linear_0")];
            tensor<int32, []> ax = const()[name = tensor<string, []>("ax"), val = tensor<int32, []>(-1)];
            tensor<fp16, [1, 1, 8]> p = softmax(axis = ax, x = y16)[name = tensor<string, []>("softmax_0")];
            tensor<string, []> d32 = const()[name = tensor<string, []>("d32"), val = tensor<string, []>("fp32")];
            tensor<fp32, [1, 1, 8]> y = cast(dtype = d32, x = p)[name = tensor<string, []>("cast_1")];
        } -> (y);
}`;

function writeValidMlmodelc(dir: string): void {
  const { bytes, offsets } = writeBlobStorage([
    { dtype: 'float16', dims: [8, 4], data: Uint16Array.from({ length: 32 }, (_, i) => 0x3000 + i) },
    { dtype: 'float16', dims: [8], data: Uint16Array.from({ length: 8 }, (_, i) => 0x2c00 + i) },
  ]);
  expect(offsets).toEqual([64, 192]);
  mkdirSync(join(dir, 'weights'), { recursive: true });
  writeFileSync(join(dir, 'weights', 'weight.bin'), bytes);
  writeFileSync(join(dir, 'model.mil'), MIL);
}

function mutate(bytes: Uint8Array, r: (n: number) => number): Uint8Array {
  const out = new Uint8Array(bytes);
  switch (r(4)) {
    case 0:
      return out.slice(0, r(out.length));
    case 1: {
      for (let k = 1 + r(4); k > 0; k--) {
        const at = r(out.length);
        out[at] = out[at]! ^ (1 << r(8));
      }
      return out;
    }
    case 2: {
      const at = r(out.length);
      return Uint8Array.from([...out.slice(0, at), r(256), ...out.slice(at)]);
    }
    default: {
      const at = r(out.length);
      return Uint8Array.from([...out.slice(0, at), ...out.slice(at + 1 + r(8))]);
    }
  }
}

function expectCleanOutcome(read: () => unknown, file: string): 'ok' | 'refused' {
  try {
    read();
    return 'ok';
  } catch (e) {
    if (!(e instanceof CoreMLFormatError))
      throw new Error(`crash on mutated ${file}: ${(e as Error).stack}`, { cause: e });
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain(tmp);
    return 'refused';
  }
}

describe('CoreML readers on seeded mutations', () => {
  it(`refuse or read ${CASES} mangled .mlmodelc directories without crashing`, () => {
    const r = rng(20261124);
    const base = join(tmp, 'base.mlmodelc');
    writeValidMlmodelc(base);
    const counts = { ok: 0, refused: 0 };
    for (let i = 0; i < CASES; i++) {
      const dir = join(tmp, `c${i}.mlmodelc`);
      cpSync(base, dir, { recursive: true });
      const target = r(2) === 0 ? join(dir, 'weights', 'weight.bin') : join(dir, 'model.mil');
      writeFileSync(target, mutate(readFileSync(target), r));
      counts[expectCleanOutcome(() => milToOnnx(readMlmodelc(dir)), target)]++;
      rmSync(dir, { recursive: true });
    }
    expect(counts.refused).toBeGreaterThan(CASES / 2);
  });

  it(`refuse or read ${CASES} mangled .mlpackage directories without crashing`, () => {
    const r = rng(424242);
    const src = join(tmp, 'src.mlmodelc');
    writeValidMlmodelc(src);
    const model = readMlmodelc(src);
    const base = join(tmp, 'base.mlpackage');
    writeMlpackage(base, {
      ...model,
      description: descriptionFromFunction(parseMil(printMil(model.program)).functions[0]!, 'x'),
    });
    const files = [
      'Manifest.json',
      'Data/com.apple.CoreML/model.mlmodel',
      'Data/com.apple.CoreML/weights/weight.bin',
    ];
    const counts = { ok: 0, refused: 0 };
    for (let i = 0; i < CASES; i++) {
      const dir = join(tmp, `p${i}.mlpackage`);
      cpSync(base, dir, { recursive: true });
      const target = join(dir, files[r(files.length)]!);
      writeFileSync(target, mutate(readFileSync(target), r));
      counts[expectCleanOutcome(() => milToOnnx(readMlpackage(dir)), target)]++;
      rmSync(dir, { recursive: true });
    }
    expect(counts.refused).toBeGreaterThan(CASES / 3);
  });
});

describe.skipIf(!haveFixtures)(
  `CoreML readers on seeded mutations of the real Silero VAD${fixturesNote}`,
  () => {
    it('refuse or read 40 mangled copies of the real model.mlmodelc and model.mil without crashing', () => {
      const r = rng(777);
      const pkg = join(tmp, 'silero.mlpackage');
      const compiled = join(tmp, 'silero.mlmodelc');
      cpSync(sileroMlpackage, pkg, { recursive: true });
      cpSync(sileroMlmodelc, compiled, { recursive: true });
      const protoFile = join(pkg, 'Data/com.apple.CoreML/model.mlmodel');
      const milFile = join(compiled, 'model.mil');
      const proto = readFileSync(protoFile);
      const mil = readFileSync(milFile);
      let refused = 0;
      for (let i = 0; i < 40; i++) {
        const [file, original, read] =
          i % 2 === 0
            ? [protoFile, proto, () => milToOnnx(readMlpackage(pkg))]
            : [milFile, mil, () => milToOnnx(readMlmodelc(compiled))];
        writeFileSync(file, mutate(original, r));
        if (expectCleanOutcome(read, file) === 'refused') refused++;
      }
      expect(refused).toBeGreaterThan(10);
    });
  },
);
