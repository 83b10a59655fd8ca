import { describe, expect, it } from 'vitest';
import { loadBinding } from './binding';
import { CoreMLRuntimeError } from './coremlRuntimeError';
import { type CoreMLSessionOptions, openCoreMLSession } from './coremlSession';

const model = 'models/decoder.mlmodelc';
const off = process.platform !== 'darwin';

function rejectsWith(options: unknown, name: string, message: string | RegExp) {
  return expect(openCoreMLSession(model, options as CoreMLSessionOptions)).rejects.toThrowError(
    expect.objectContaining({ name, message: typeof message === 'string' ? message : expect.stringMatching(message) }),
  );
}

describe('parseSessionOptions (native)', () => {
  it('fills every default for an empty or missing options object', () => {
    const defaults = { computeUnits: 'all', allowLowPrecisionAccumulationOnGPU: false, useOutputBackings: true, functionName: null };
    expect(loadBinding().parseSessionOptions({})).toEqual(defaults);
    expect(loadBinding().parseSessionOptions(undefined)).toEqual(defaults);
  });

  it('accepts each compute-unit name and keeps the other fields', () => {
    for (const computeUnits of ['cpuOnly', 'cpuAndGPU', 'cpuAndNeuralEngine', 'all'] as const) {
      expect(
        loadBinding().parseSessionOptions({ computeUnits, useOutputBackings: false, allowLowPrecisionAccumulationOnGPU: true, functionName: 'main' }),
      ).toEqual({ computeUnits, useOutputBackings: false, allowLowPrecisionAccumulationOnGPU: true, functionName: 'main' });
    }
  });
});

describe(openCoreMLSession, () => {
  it.runIf(off)('EXPECTED FAILURE - says CoreML runs only on macOS and points to @eou/onnx-runtime', async () => {
    const error = await openCoreMLSession(model, { computeUnits: 'cpuOnly' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreMLRuntimeError);
    expect(error).toMatchObject({
      name: 'CoreMLRuntimeError',
      code: 'E_UNSUPPORTED_PLATFORM',
      path: model,
      platform: process.platform,
      message: 'CoreML runs only on macOS; use @eou/onnx-runtime (convert with `eou convert MODEL --to onnx`)',
    });
  });

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
    await rejectsWith({ allowLowPrecisionAccumulationOnGPU: 'yes' }, 'TypeError', 'options.allowLowPrecisionAccumulationOnGPU must be a boolean, got string');
    await rejectsWith({ useOutputBackings: null }, 'TypeError', 'options.useOutputBackings must be a boolean, got null');
  });

  it('BAD CALL - refuses an empty functionName', () =>
    rejectsWith({ functionName: '' }, 'RangeError', /^options\.functionName must not be empty/));

  it('BAD CALL - refuses a path that is not a non-empty string', async () => {
    await expect(openCoreMLSession(42 as unknown as string)).rejects.toThrowError(
      expect.objectContaining({ name: 'TypeError', message: 'openCoreMLSession: path must be a string, got number' }),
    );
    await expect(openCoreMLSession('')).rejects.toThrowError(
      expect.objectContaining({ name: 'RangeError', message: 'openCoreMLSession: path must not be empty' }),
    );
  });
});
