import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBinding } from './binding';
import { CoreMLRuntimeError } from './coremlRuntimeError';

const empty = mkdtempSync(join(tmpdir(), 'coreml-runtime-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe(loadBinding, () => {
  it('loads the built addon with every portable function', () => {
    const binding = loadBinding();
    for (const name of ['halfToFloat', 'floatToHalf', 'stridedToDense', 'denseToStrided', 'parseSessionOptions', 'listBackends']) {
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
