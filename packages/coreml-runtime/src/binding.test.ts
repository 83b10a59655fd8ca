import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBinding, type NativeTensorInfo } from './binding';
import { CoreMLRuntimeError } from './coremlRuntimeError';

const empty = mkdtempSync(join(tmpdir(), 'coreml-runtime-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe(loadBinding, () => {
  it('loads the built addon with every portable function', () => {
    const binding = loadBinding();
    for (const name of [
      'halfToFloat',
      'floatToHalf',
      'stridedToDense',
      'denseToStrided',
      'checkTensor',
      'parseSessionOptions',
      'listBackends',
    ]) {
      expect(typeof (binding as unknown as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(loadBinding()).toBe(binding);
  });

  it('EXPECTED FAILURE - says where it looked and which npm script builds the addon', () => {
    const error = (() => {
      try {
        loadBinding(empty);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CoreMLRuntimeError);
    expect(error).toMatchObject({ name: 'CoreMLRuntimeError', code: 'E_NATIVE_MISSING', path: empty });
    const message = (error as Error).message;
    expect(message).toContain(`no native addon for ${process.platform}-${process.arch}`);
    expect(message).toContain(join(empty, 'build', 'Release'));
    expect(message).toContain('`npm run build:native -w @eou/coreml-runtime`');
    expect(message).not.toContain('\n');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe('checkTensor (native; the argument check of CoreMLSession.run on every feed and output)', () => {
  const hIn: NativeTensorInfo = { name: 'h_in', dtype: 'float32', shape: [1, 1, 640] };
  const frames: NativeTensorInfo = { name: 'encoder_step', dtype: 'float16', shape: [1, 512, -1] };
  const check = (tensor: unknown, info: NativeTensorInfo, path = 'CoreMLSession.run: feeds.' + info.name) =>
    loadBinding().checkTensor(tensor, info, path);
  const throwsWith = (tensor: unknown, info: NativeTensorInfo, name: string, message: string) =>
    expect(() => check(tensor, info)).toThrowError(expect.objectContaining({ name, message }));

  it('accepts a tensor with the declared dtype and dims and returns its element count', () => {
    expect(check({ dtype: 'float32', dims: [1, 1, 640], data: new Float32Array(640) }, hIn)).toBe(640);
  });

  it('accepts any size in a flexible (-1) dimension', () => {
    expect(check({ dtype: 'float16', dims: [1, 512, 3], data: new Uint16Array(1536) }, frames)).toBe(1536);
    expect(check({ dtype: 'float16', dims: [1, 512, 0], data: new Uint16Array(0) }, frames)).toBe(0);
  });

  it('BAD CALL - refuses another dtype than the declared one (int64 where CoreML has int32)', () => {
    throwsWith(
      { dtype: 'int64', dims: [1, 1], data: new BigInt64Array(1) },
      { name: 'targets', dtype: 'int32', shape: [1, 1] },
      'TypeError',
      "CoreMLSession.run: feeds.targets.dtype must be 'int32' (declared by the model), got 'int64'",
    );
  });

  it('BAD CALL - refuses a fixed dimension of another size', () => {
    throwsWith(
      { dtype: 'float32', dims: [1, 1, 64], data: new Float32Array(64) },
      hIn,
      'RangeError',
      'CoreMLSession.run: feeds.h_in.dims[2] must be 640 (declared), got 64',
    );
  });

  it('BAD CALL - refuses another rank', () => {
    throwsWith(
      { dtype: 'float32', dims: [1, 640], data: new Float32Array(640) },
      hIn,
      'RangeError',
      'CoreMLSession.run: feeds.h_in.dims must have 3 entries (declared rank), got 2',
    );
  });

  it('BAD CALL - refuses fp16 data given as floats', () => {
    throwsWith(
      { dtype: 'float16', dims: [1, 512, 1], data: new Float32Array(512) },
      frames,
      'TypeError',
      "CoreMLSession.run: feeds.encoder_step.data must be a Uint16Array (dtype 'float16'), got Float32Array",
    );
  });

  it('BAD CALL - refuses data whose length is not the product of dims', () => {
    throwsWith(
      { dtype: 'float32', dims: [1, 1, 640], data: new Float32Array(639) },
      hIn,
      'RangeError',
      'CoreMLSession.run: feeds.h_in.data.length must be 640 (product of dims), got 639',
    );
  });

  it('BAD CALL - refuses a fractional dimension and a non-object tensor', () => {
    throwsWith(
      { dtype: 'float16', dims: [1, 512, 1.5], data: new Uint16Array(768) },
      frames,
      'RangeError',
      'CoreMLSession.run: feeds.encoder_step.dims[2] must be a non-negative integer, got 1.5',
    );
    throwsWith(
      new Float32Array(640),
      hIn,
      'TypeError',
      'CoreMLSession.run: feeds.h_in must be a tensor {dtype, dims, data}, got Float32Array',
    );
  });
});
