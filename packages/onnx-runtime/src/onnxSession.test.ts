import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TensorMap } from '@eou/rnnt-decode';
import { describe, expect, it } from 'vitest';
import { checkSessionIO, diffSessionIO } from './checkSessionIO';
import { OnnxRuntimeError } from './onnxRuntimeError';
import { openOnnxSession } from './onnxSession';
import { toOrtSessionOptions } from './sessionOptions';

const fixture = (name: string): string => fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url));
const MIXED = fixture('mixed.onnx');

const feeds = (rows = 2): TensorMap => ({
  a: {
    dtype: 'float32',
    dims: [1, rows, 3],
    data: Float32Array.from({ length: rows * 3 }, (_, k) => k - 2.5),
  },
  i: { dtype: 'int32', dims: [2], data: Int32Array.of(7, -8) },
  h: { dtype: 'float16', dims: [2], data: Uint16Array.of(0x3c00, 0xc000) },
  l: { dtype: 'int64', dims: [3], data: BigInt64Array.of(1n, -(2n ** 62n), 3n) },
});

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<OnnxRuntimeError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxRuntimeError);
    return e as OnnxRuntimeError;
  }
  throw new Error('expected a rejection');
}

describe('openOnnxSession', () => {
  it('reports inputs and outputs with contract dtypes and symbolic dims', async () => {
    const s = await openOnnxSession(MIXED);
    expect(s.inputs).toEqual([
      { name: 'a', dtype: 'float32', shape: [1, 'B', 3] },
      { name: 'i', dtype: 'int32', shape: [2] },
      { name: 'h', dtype: 'float16', shape: [2] },
      { name: 'l', dtype: 'int64', shape: [-1] },
    ]);
    expect(s.outputs.map((o) => o.name)).toEqual(['a_relu', 'i_out', 'h_out', 'l_out']);
    expect(s.path).toBe(MIXED);
    expect(s.options).toMatchObject({
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      executionProviders: ['cpu'],
    });
    await s.close();
  });

  for (const callPath of ['sync', 'async'] as const) {
    it(`runs every contract dtype on the ${callPath} path, and writes into preallocated outputs`, async () => {
      const s = await openOnnxSession(MIXED, { callPath });
      expect(s.callPath).toBe(callPath);
      expect(s.isSync).toBe(callPath === 'sync');
      const out = await s.run(feeds());
      expect(Array.from(out.a_relu!.data as Float32Array)).toEqual([0, 0, 0, 0.5, 1.5, 2.5]);
      expect(out.a_relu!.dims).toEqual([1, 2, 3]);
      expect(out.i_out).toMatchObject({ dtype: 'int32', data: Int32Array.of(7, -8) });
      expect(out.h_out).toMatchObject({ dtype: 'float16', data: Uint16Array.of(0x3c00, 0xc000) });
      expect(out.l_out).toMatchObject({ dtype: 'int64', data: BigInt64Array.of(1n, -(2n ** 62n), 3n) });
      const pre = { dtype: 'float32' as const, dims: [1, 2, 3], data: new Float32Array(6) };
      const out2 = await s.run(feeds(), { a_relu: pre });
      expect(out2.a_relu).toBe(pre);
      expect(Array.from(pre.data)).toEqual([0, 0, 0, 0.5, 1.5, 2.5]);
      await s.close();
    });
  }

  it('loads from bytes under a given name', async () => {
    const s = await openOnnxSession({ bytes: readFileSync(MIXED), name: 'mem.onnx' });
    expect(s.path).toBe('mem.onnx');
    expect((await s.run(feeds(1))).a_relu!.dims).toEqual([1, 1, 3]);
    await s.close();
  });

  it('EXPECTED FAILURE - a missing file, a truncated file and float64 IO are refused naming the file', async () => {
    const missing = await rejection(openOnnxSession('/nonexistent/decoder.onnx'));
    expect(missing.code).toBe('E_LOAD');
    expect(missing.message).toBe('/nonexistent/decoder.onnx: model file not found');
    const bytes = readFileSync(MIXED);
    const cut = await rejection(
      openOnnxSession({ bytes: bytes.subarray(0, bytes.length - 40), name: 'cut.onnx' }),
    );
    expect(cut.code).toBe('E_LOAD');
    expect(cut.message).toMatch(/^cut\.onnx: ONNX Runtime cannot load the model \(.+\)$/);
    expect(cut.message).not.toContain('\n');
    const f64 = await rejection(openOnnxSession(fixture('float64-io.onnx')));
    expect(f64.code).toBe('E_DTYPE');
    expect(f64.message).toMatch(
      /float64-io\.onnx: input "x" is float64; the session contract carries float32, float16, int32, int64$/,
    );
  });

  it('EXPECTED FAILURE - bad feeds are named with expected vs actual before ONNX Runtime sees them', async () => {
    const s = await openOnnxSession(MIXED);
    const { a: _a, ...noA } = feeds();
    const cases: [TensorMap, string, string][] = [
      [noA, 'E_MISSING', `${MIXED}: input "a" was not fed (model inputs: a, i, h, l)`],
      [
        { ...feeds(), zz: feeds().i! },
        'E_UNKNOWN',
        `${MIXED}: fed "zz", which is not an input of the model (inputs: a, i, h, l)`,
      ],
      [
        { ...feeds(), i: { dtype: 'int64', dims: [2], data: BigInt64Array.of(1n, 2n) } },
        'E_DTYPE',
        `${MIXED}: input "i" expects int32 (Int32Array), got int64`,
      ],
      [
        { ...feeds(), h: { dtype: 'float16', dims: [2], data: Float32Array.of(1, 2) } as never },
        'E_DTYPE',
        `${MIXED}: input "h" expects float16 (Uint16Array), got float16 with Float32Array storage`,
      ],
      [
        { ...feeds(), a: { dtype: 'float32', dims: [1, 2, 4], data: new Float32Array(8) } },
        'E_SHAPE',
        `${MIXED}: input "a" expects shape [1,B,3], got [1,2,4]`,
      ],
      [
        { ...feeds(), a: { dtype: 'float32', dims: [1, 2, 3], data: new Float32Array(5) } },
        'E_SHAPE',
        `${MIXED}: input "a" has 5 values for dims [1,2,3] (expected 6)`,
      ],
    ];
    for (const [f, code, message] of cases) {
      const e = await rejection(() => s.run(f));
      expect([e.code, e.message]).toEqual([code, message]);
    }
    await s.close();
    const closed = await rejection(() => s.run(feeds()));
    expect(closed.code).toBe('E_CLOSED');
  });

  it('BAD CALL - invalid options are refused naming the option', async () => {
    await expect(openOnnxSession(MIXED, { intraOpNumThreads: -1 })).rejects.toThrowError(
      new RangeError('options.intraOpNumThreads must be a non-negative integer, got -1'),
    );
    await expect(openOnnxSession(MIXED, { callPath: 'fast' as never })).rejects.toThrowError(RangeError);
    await expect(openOnnxSession(42 as never)).rejects.toThrowError(TypeError);
    expect(() => toOrtSessionOptions({ executionProviders: ['coreml'] }, 'linux')).toThrowError(
      expect.objectContaining({
        name: 'OnnxRuntimeError',
        code: 'E_OPTIONS',
        message:
          'options.executionProviders[0]: the CoreML execution provider exists only on macOS (this is linux)',
      }),
    );
  });

  it('maps CoreML settings to COREML_FLAG bits on macOS', () => {
    const o = toOrtSessionOptions(
      { executionProviders: [{ name: 'coreml', createMLProgram: true, cpuOnly: true }, 'cpu'] },
      'darwin',
    );
    expect(o.executionProviders).toEqual([{ name: 'coreml', coreMlFlags: 0x011 }, 'cpu']);
  });
});

describe('checkSessionIO', () => {
  const session = {
    path: 'decoder.onnx',
    inputs: [{ name: 'h_in', dtype: 'float32' as const, shape: [1, 1, 320] }],
    outputs: [{ name: 'h_out', dtype: 'float32' as const, shape: [1, 'B', 640] }],
  };

  it('accepts a conforming session, with symbolic dims matching any size', () => {
    expect(
      diffSessionIO(
        { ...session, inputs: [{ name: 'h_in', dtype: 'float32', shape: [1, 'B', 640] }] },
        {
          inputs: [{ name: 'h_in', dtype: 'float32', shape: [1, 1, 640] }],
          outputs: [{ name: 'h_out', dtype: 'float32', shape: [1, 1, 640] }],
        },
      ),
    ).toEqual([]);
  });

  it('EXPECTED FAILURE - a wrong hidden size, dtype or name is one line with expected vs actual', () => {
    const want = {
      inputs: [{ name: 'h_in', dtype: 'float32' as const, shape: [1, 1, 640] }],
      outputs: [
        { name: 'h_out', dtype: 'float16' as const, shape: [1, 1, 640] },
        { name: 'c_out', dtype: 'float32' as const, shape: [1, 1, 640] },
      ],
    };
    expect(diffSessionIO(session, want).map((m) => m.message)).toEqual([
      'decoder.onnx: input "h_in" has shape [1,1,320], expected [1,1,640]',
      'decoder.onnx: output "h_out" is float32, expected float16',
      'decoder.onnx: output "c_out" is missing (model outputs: h_out)',
    ]);
    expect(() => checkSessionIO(session, want)).toThrowError(
      expect.objectContaining({
        code: 'E_SHAPE',
        tensor: 'h_in',
        expected: '[1,1,640]',
        actual: '[1,1,320]',
      }),
    );
    expect(
      diffSessionIO({ ...session, inputs: [{ name: 'h', dtype: 'float32', shape: [1, 1, 640] }] }, want)[0]!
        .message,
    ).toBe('decoder.onnx: input "h_in" is missing (model inputs: h)');
  });
});

describe('a kernel that fails inside ONNX Runtime', () => {
  const RESHAPE = fixture('reshape-fails.onnx');
  const expected = `${RESHAPE}: ONNX Runtime failed in node \`Reshape_0\` (Reshape): The input tensor cannot be reshaped to the requested shape. Input shape:{3}, requested shape:{2,2}`;

  for (const callPath of ['sync', 'async'] as const) {
    it(`BAD INPUT - is one line naming the file, the node and the op, without ONNX Runtime's source location (${callPath})`, async () => {
      const s = await openOnnxSession(RESHAPE, { callPath });
      const e = await rejection(async () =>
        s.run({ x: { dtype: 'float32', dims: [3], data: Float32Array.of(1, 2, 3) } }),
      );
      expect(e.code).toBe('E_RUN');
      expect(e.node).toBe('Reshape_0');
      expect(e.file).toBe(RESHAPE);
      expect(e.message).toBe(expected);
      // The same model runs when the input fits.
      const ok = (await s.run({
        x: { dtype: 'float32', dims: [4], data: Float32Array.of(1, 2, 3, 4) },
      }));
      expect(ok['y']!.dims).toEqual([2, 2]);
      await s.close();
    });
  }

  it("prints nothing of ONNX Runtime's own to stderr (its error log is folded into the error)", () => {
    const script = fileURLToPath(new URL('../test/runFailing.ts', import.meta.url));
    for (const callPath of ['sync', 'async']) {
      const r = spawnSync(
        process.execPath,
        ['--conditions=@eou/source', '--import', 'tsx', script, RESHAPE, callPath],
        {
          encoding: 'utf8',
        },
      );
      expect(r.stdout).toBe(`${expected}\n`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });
});
