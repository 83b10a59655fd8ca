import type { TensorMap } from '@eou/rnnt-decode';
import { describe, expect, it } from 'vitest';
import { type Binding, loadBinding, type NativeCoreMLSession, type NativeTensorInfo } from './binding';
import { CoreMLRuntimeError } from './coremlRuntimeError';
import { type CoreMLSessionOptions, openCoreMLSession, openCoreMLSessionWith } from './coremlSession';

const model = 'models/decoder.mlmodelc';
const off = process.platform !== 'darwin';

function rejectsWith(options: unknown, name: string, message: string | RegExp) {
  return expect(openCoreMLSession(model, options as CoreMLSessionOptions)).rejects.toThrowError(
    expect.objectContaining({
      name,
      message: typeof message === 'string' ? message : expect.stringMatching(message),
    }),
  );
}

describe('parseSessionOptions (native)', () => {
  it('fills every default for an empty or missing options object', () => {
    const defaults = {
      computeUnits: 'all',
      allowLowPrecisionAccumulationOnGPU: false,
      useOutputBackings: true,
      functionName: null,
    };
    expect(loadBinding().parseSessionOptions({})).toEqual(defaults);
    expect(loadBinding().parseSessionOptions(undefined)).toEqual(defaults);
  });

  it('accepts each compute-unit name and keeps the other fields', () => {
    for (const computeUnits of ['cpuOnly', 'cpuAndGPU', 'cpuAndNeuralEngine', 'all'] as const) {
      expect(
        loadBinding().parseSessionOptions({
          computeUnits,
          useOutputBackings: false,
          allowLowPrecisionAccumulationOnGPU: true,
          functionName: 'main',
        }),
      ).toEqual({
        computeUnits,
        useOutputBackings: false,
        allowLowPrecisionAccumulationOnGPU: true,
        functionName: 'main',
      });
    }
  });
});

describe(openCoreMLSession, () => {
  it.runIf(off)(
    'EXPECTED FAILURE - says CoreML runs only on macOS and points to @eou/onnx-runtime',
    async () => {
      const error = await openCoreMLSession(model, { computeUnits: 'cpuOnly' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CoreMLRuntimeError);
      expect(error).toMatchObject({
        name: 'CoreMLRuntimeError',
        code: 'E_UNSUPPORTED_PLATFORM',
        path: model,
        platform: process.platform,
        message:
          'CoreML runs only on macOS; use @eou/onnx-runtime (convert with `eou convert MODEL --to onnx`)',
      });
    },
  );

  it('BAD CALL - refuses an unknown computeUnits value', () =>
    rejectsWith(
      { computeUnits: 'gpu' },
      'RangeError',
      "options.computeUnits must be one of 'cpuOnly', 'cpuAndGPU', 'cpuAndNeuralEngine', 'all', got 'gpu'",
    ));

  it('BAD CALL - refuses a computeUnits that is not a string', () =>
    rejectsWith({ computeUnits: 2 }, 'TypeError', 'options.computeUnits must be a string, got number'));

  it('BAD CALL - refuses a misspelt option instead of ignoring it', () =>
    rejectsWith(
      { computeUnit: 'all' },
      'TypeError',
      'options.computeUnit is not a known option; expected one of computeUnits, allowLowPrecisionAccumulationOnGPU, useOutputBackings, functionName',
    ));

  it('BAD CALL - refuses options that are not an object', async () => {
    await rejectsWith(5, 'TypeError', 'options must be an object, got number');
    await rejectsWith(['all'], 'TypeError', 'options must be an object, got array');
  });

  it('BAD CALL - refuses a boolean option given as a string', async () => {
    await rejectsWith(
      { allowLowPrecisionAccumulationOnGPU: 'yes' },
      'TypeError',
      'options.allowLowPrecisionAccumulationOnGPU must be a boolean, got string',
    );
    await rejectsWith(
      { useOutputBackings: null },
      'TypeError',
      'options.useOutputBackings must be a boolean, got null',
    );
  });

  it('BAD CALL - refuses an empty functionName', () =>
    rejectsWith({ functionName: '' }, 'RangeError', /^options\.functionName must not be empty/));

  it('BAD CALL - refuses a path that is not a non-empty string', async () => {
    await expect(openCoreMLSession(42 as unknown as string)).rejects.toThrowError(
      expect.objectContaining({
        name: 'TypeError',
        message: 'openCoreMLSession: path must be a string, got number',
      }),
    );
    await expect(openCoreMLSession('')).rejects.toThrowError(
      expect.objectContaining({ name: 'RangeError', message: 'openCoreMLSession: path must not be empty' }),
    );
  });
});

// A scripted stand-in for the darwin-only native class: "adds one" to a [1, 3] float input, using
// the addon's real argument check. It lets every OS test what the TypeScript wrapper adds.
class ScriptedNative implements NativeCoreMLSession {
  static closes = 0;
  readonly inputs: NativeTensorInfo[] = [{ name: 'x', dtype: 'float32', shape: [1, 3] }];
  readonly outputs: NativeTensorInfo[] = [{ name: 'y', dtype: 'float32', shape: [1, 3] }];

  constructor(path: string) {
    if (path.includes('broken')) throw new Error(`CoreMLSession: cannot load '${path}': model is corrupt`);
  }

  run(feeds: TensorMap): TensorMap {
    loadBinding().checkTensor(feeds.x, this.inputs[0]!, 'CoreMLSession.run: feeds.x');
    const x = feeds.x!.data as Float32Array;
    if (Number.isNaN(x[0])) throw new Error('CoreMLSession.run: prediction failed: NaN input');
    return { y: { dtype: 'float32', dims: [1, 3], data: x.map((v) => v + 1) } };
  }

  close(): void {
    ScriptedNative.closes++;
  }
}

const scripted = (): Binding => ({ ...loadBinding(), CoreMLSession: ScriptedNative });
const x = (values: number[]) => ({
  x: { dtype: 'float32' as const, dims: [1, 3], data: Float32Array.from(values) },
});

describe('CoreMLSession (driven by a scripted native session)', () => {
  it('exposes the declared tensors as frozen copies and runs synchronously', () => {
    const session = openCoreMLSessionWith(scripted, 'darwin', 'add.mlmodelc');
    expect(session).toMatchObject({ path: 'add.mlmodelc', isSync: true });
    expect(session.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [1, 3] }]);
    expect(Object.isFrozen(session.inputs) && Object.isFrozen(session.inputs[0]!.shape)).toBe(true);
    expect(Array.from(session.run(x([1, 2, 3])).y!.data as Float32Array)).toEqual([2, 3, 4]);
  });

  it('BAD CALL - passes the native argument errors through unchanged', () => {
    const session = openCoreMLSessionWith(scripted, 'darwin', 'add.mlmodelc');
    expect(() =>
      session.run({ x: { dtype: 'float32', dims: [1, 4], data: new Float32Array(4) } }),
    ).toThrowError(
      expect.objectContaining({
        name: 'RangeError',
        message: 'CoreMLSession.run: feeds.x.dims[1] must be 3 (declared), got 4',
      }),
    );
  });

  it('EXPECTED FAILURE - reports a model CoreML refuses as E_LOAD naming the file', () => {
    expect(() => openCoreMLSessionWith(scripted, 'darwin', 'broken.mlmodelc')).toThrowError(
      expect.objectContaining({
        name: 'CoreMLRuntimeError',
        code: 'E_LOAD',
        path: 'broken.mlmodelc',
        message: "broken.mlmodelc: CoreMLSession: cannot load 'broken.mlmodelc': model is corrupt",
      }),
    );
  });

  it('EXPECTED FAILURE - reports a failed prediction as E_RUN with the native error as cause', () => {
    const session = openCoreMLSessionWith(scripted, 'darwin', 'add.mlmodelc');
    const error = (() => {
      try {
        session.run(x([NaN, 0, 0]));
      } catch (e) {
        return e as CoreMLRuntimeError;
      }
      return undefined;
    })();
    expect(error).toMatchObject({
      name: 'CoreMLRuntimeError',
      code: 'E_RUN',
      message: 'add.mlmodelc: CoreMLSession.run: prediction failed: NaN input',
    });
    expect(error?.cause).toBeInstanceOf(Error);
  });

  it('EXPECTED FAILURE - refuses run after close, and closes the native session once', () => {
    const session = openCoreMLSessionWith(scripted, 'darwin', 'add.mlmodelc');
    const before = ScriptedNative.closes;
    session.close();
    session.close();
    expect(ScriptedNative.closes - before).toBe(1);
    expect(() => session.run(x([1, 2, 3]))).toThrowError(
      expect.objectContaining({
        name: 'CoreMLRuntimeError',
        code: 'E_SESSION_CLOSED',
        message: 'add.mlmodelc: run() after close(); open a new session with openCoreMLSession',
      }),
    );
  });

  it('EXPECTED FAILURE - refuses to open when the addon was built without CoreML, even on darwin', () => {
    const portableOnly = (): Binding => ({ ...loadBinding(), CoreMLSession: undefined });
    expect(() => openCoreMLSessionWith(portableOnly, 'darwin', 'add.mlmodelc')).toThrowError(
      expect.objectContaining({ name: 'CoreMLRuntimeError', code: 'E_UNSUPPORTED_PLATFORM' }),
    );
  });

  it('EXPECTED FAILURE - off macOS names the platform, not the missing addon', () => {
    const missing = (): Binding => {
      throw new CoreMLRuntimeError('E_NATIVE_MISSING', 'no addon');
    };
    expect(() => openCoreMLSessionWith(missing, 'linux', 'add.mlmodelc')).toThrowError(
      expect.objectContaining({
        name: 'CoreMLRuntimeError',
        code: 'E_UNSUPPORTED_PLATFORM',
        platform: 'linux',
      }),
    );
    expect(() => openCoreMLSessionWith(missing, 'darwin', 'add.mlmodelc')).toThrowError(
      expect.objectContaining({ name: 'CoreMLRuntimeError', code: 'E_NATIVE_MISSING' }),
    );
  });
});
