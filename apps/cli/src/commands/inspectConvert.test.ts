import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descriptionFromFunction, parseMil, writeMlpackage } from '@eou/coreml-format';
import { fixturesRoot, sharedFixture } from '@eou/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

const tmp = mkdtempSync(join(tmpdir(), 'eou-cli-convert-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const silero = join(fixturesRoot(), 'silero-vad-coreml/silero-vad-unified-v6.0.0.mlmodelc');
const haveSilero =
  sharedFixture('silero-vad-coreml/silero-vad-unified-v6.0.0.mlmodelc') !== undefined &&
  sharedFixture('parakeet-eou-160ms/decoder.mlmodelc') !== undefined;

/** A two-op ML Program written as an .mlpackage (no fixtures needed). */
function smallPackage(name: string): string {
  const program = parseMil(`program(1.0)
{
    func main<ios17>(tensor<fp32, [1, 3]> x) {
            tensor<fp32, [3]> b = const()[name = tensor<string, []>("b"), val = tensor<fp32, [3]>([0x1p+0, 0x1p+1, 0x1p+2])];
            tensor<fp32, [1, 3]> s = add(x = x, y = b)[name = tensor<string, []>("add_0")];
            tensor<fp32, [1, 3]> y = relu(x = s)[name = tensor<string, []>("relu_0")];
        } -> (y);
}`);
  const dir = join(tmp, name);
  writeMlpackage(dir, {
    specificationVersion: 8,
    program,
    description: {
      ...descriptionFromFunction(program.functions[0]!, 'x'),
      metadata: { author: 'cli test', userDefined: {} },
    },
  });
  return dir;
}

describe('eou inspect', () => {
  it('summarises an .mlpackage: format, inputs, outputs, ops and weight bytes', async () => {
    const dir = smallPackage('small.mlpackage');
    const r = await runCli(['inspect', dir, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      format: 'mlpackage',
      version: 8,
      opset: 'ios17',
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 3] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 3] }],
      ops: { add: 1, relu: 1 },
      weightBytes: { float32: 12 },
    });
    const human = await runCli(['inspect', dir]);
    expect(human.stdout).toMatch(/^format {3}mlpackage \(spec 8, ios17\)$/m);
    expect(human.stdout).toMatch(/^ops {6}2: add 1, relu 1$/m);
  });

  it.skipIf(!haveSilero)(
    'summarises the Silero VAD .mlmodelc (SKIPPED when the shared fixtures are absent)',
    async () => {
      const s = JSON.parse((await runCli(['inspect', silero, '--json'])).stdout);
      expect(s.format).toBe('mlmodelc');
      expect(s.opset).toBe('ios15');
      expect(s.ops.lstm).toBe(1);
      expect(s.inputs.map((i: { name: string }) => i.name)).toEqual([
        'audio_input',
        'hidden_state',
        'cell_state',
      ]);
    },
  );

  it.skipIf(!haveSilero)(
    'says when a compiled model ships without its weights (SKIPPED when the shared fixtures are absent)',
    async () => {
      const decoder = join(fixturesRoot(), 'parakeet-eou-160ms/decoder.mlmodelc');
      const r = await runCli(['inspect', decoder]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^ops {6}15: cast 6, expand_dims 2, gather 1, identity 1, lstm 1, squeeze 2, transpose 2$/m,
      );
      expect(r.stdout).toMatch(
        /float16 7,873,280 B.*\(weight file absent: sizes from the declared types\)$/m,
      );
    },
  );

  it('EXPECTED FAILURE - a missing or mangled model exits 2 with one line naming the file', async () => {
    const missing = await runCli(['inspect', join(tmp, 'nope.mlpackage')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^eou inspect: .*nope\.mlpackage: no such file or directory\n$/);
    const dir = smallPackage('bad.mlpackage');
    writeFileSync(join(dir, 'Manifest.json'), '{');
    const bad = await runCli(['inspect', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/bad\.mlpackage\/Manifest\.json: not JSON/);
  });
});

describe('eou convert', () => {
  it('converts an .mlpackage to ONNX next to it and prints the path', async () => {
    const dir = smallPackage('conv.mlpackage');
    const r = await runCli(['convert', dir, '--to', 'onnx']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(tmp, 'conv.onnx'));
    const s = JSON.parse((await runCli(['inspect', join(tmp, 'conv.onnx'), '--json'])).stdout);
    expect(s.format).toBe('onnx');
    expect(s.ops).toMatchObject({ Add: 1, Relu: 1 });
  });

  it('with --json prints input, format, output and its size in bytes', async () => {
    const dir = smallPackage('json.mlpackage');
    const r = await runCli([
      'convert',
      dir,
      '--to',
      'mlpackage',
      '--out',
      join(tmp, 'json-out.mlpackage'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = join(tmp, 'json-out.mlpackage');
    const files = [
      'Manifest.json',
      'Data/com.apple.CoreML/model.mlmodel',
      'Data/com.apple.CoreML/weights/weight.bin',
    ];
    expect(JSON.parse(r.stdout)).toEqual({
      input: dir,
      to: 'mlpackage',
      output: out,
      bytes: files.reduce((sum, f) => sum + readFileSync(join(out, f)).length, 0),
    });
  });

  it('rewrites an .mlpackage to --out byte-for-byte reproducibly', async () => {
    const dir = smallPackage('src.mlpackage');
    expect(
      (await runCli(['convert', dir, '--to', 'mlpackage', '--out', join(tmp, 'a.mlpackage')])).code,
    ).toBe(0);
    expect(
      (await runCli(['convert', dir, '--to', 'mlpackage', '--out', join(tmp, 'b.mlpackage')])).code,
    ).toBe(0);
    for (const f of [
      'Manifest.json',
      'Data/com.apple.CoreML/model.mlmodel',
      'Data/com.apple.CoreML/weights/weight.bin',
    ]) {
      expect(
        readFileSync(join(tmp, 'a.mlpackage', f)).equals(readFileSync(join(tmp, 'b.mlpackage', f))),
      ).toBe(true);
    }
  });

  it('BAD CALL - a missing or unknown --to exits 2', async () => {
    const dir = smallPackage('to.mlpackage');
    expect(await runCli(['convert', dir])).toMatchObject({
      code: 2,
      stderr: 'eou convert: missing --to (one of onnx, mlpackage)\n',
    });
    expect(await runCli(['convert', dir, '--to', 'tflite'])).toMatchObject({
      code: 2,
      stderr: "eou convert: --to must be one of onnx, mlpackage, got 'tflite'\n",
    });
  });

  it('EXPECTED FAILURE - ONNX input and overwriting the input are refused in one line', async () => {
    const dir = smallPackage('self.mlpackage');
    const self = await runCli(['convert', dir, '--to', 'mlpackage']);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/would overwrite the input/);
    await runCli(['convert', dir, '--to', 'onnx', '--out', join(tmp, 'x.onnx')]);
    const onnx = await runCli(['convert', join(tmp, 'x.onnx'), '--to', 'mlpackage']);
    expect(onnx.code).toBe(2);
    expect(onnx.stderr).toMatch(/x\.onnx: converting ONNX to mlpackage is not supported/);
  });
});
