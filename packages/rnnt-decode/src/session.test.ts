import { describe, expect, it } from 'vitest';
import { bytesPerElement } from './session';

describe('bytesPerElement', () => {
  it('matches the typed array of each dtype', () => {
    expect(bytesPerElement.float32).toBe(Float32Array.BYTES_PER_ELEMENT);
    expect(bytesPerElement.float16).toBe(Uint16Array.BYTES_PER_ELEMENT);
    expect(bytesPerElement.int32).toBe(Int32Array.BYTES_PER_ELEMENT);
    expect(bytesPerElement.int64).toBe(BigInt64Array.BYTES_PER_ELEMENT);
  });
});
