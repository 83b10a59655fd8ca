import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixturesNote, haveFixtures, sileroMlmodelc } from '../test/coremlFixtures';
import type { TensorValue } from '@eou/graph';
import { BLOB_SENTINEL, listBlobs, readBlobMetadata, readBlobTensor, writeBlobStorage } from './blobStorage';
import { CoreMLFormatError } from './coremlFormatError';

const tensorArb = fc.oneof(
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
    .map((v): TensorValue => ({ dtype: 'float16', dims: [v.length], data: Uint16Array.from(v) })),
  fc
    .array(fc.float({ noNaN: true }), { maxLength: 40 })
    .map((v): TensorValue => ({ dtype: 'float32', dims: [v.length], data: Float32Array.from(v) })),
  fc
    .array(fc.integer({ min: -128, max: 127 }), { maxLength: 40 })
    .map((v): TensorValue => ({ dtype: 'int8', dims: [1, v.length], data: Int8Array.from(v) })),
  fc
    .array(fc.integer(), { maxLength: 40 })
    .map((v): TensorValue => ({ dtype: 'int32', dims: [v.length], data: Int32Array.from(v) })),
);

function sample(): Uint8Array {
  return writeBlobStorage([
    { dtype: 'float16', dims: [3], data: Uint16Array.from([1, 2, 3]) },
    { dtype: 'float32', dims: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
  ]).bytes;
}

describe('writeBlobStorage / readBlobTensor', () => {
  it('round-trips any list of tensors, 64-aligned, with no trailing padding', () => {
    fc.assert(
      fc.property(fc.array(tensorArb, { maxLength: 6 }), (tensors) => {
        const { bytes, offsets } = writeBlobStorage(tensors);
        expect(offsets.every((o) => o % 64 === 0)).toBe(true);
        const widths: Record<string, number> = { float16: 2, float32: 4, int8: 1, int32: 4 };
        const expectedEnd =
          tensors.length === 0
            ? 64
            : offsets.at(-1)! + 64 + tensors.at(-1)!.data.length * widths[tensors.at(-1)!.dtype]!;
        expect(bytes.byteLength).toBe(expectedEnd);
        expect(listBlobs(bytes, 'w.bin').map((m) => m.metadataOffset)).toEqual(offsets);
        tensors.forEach((t, i) => {
          const back = readBlobTensor(bytes, offsets[i]!, t, 'w.bin');
          expect(Array.from(back.data as ArrayLike<number>)).toEqual(Array.from(t.data as ArrayLike<number>));
        });
      }),
    );
  });

  it('is byte-for-byte deterministic', () => {
    expect(Buffer.from(sample()).equals(Buffer.from(sample()))).toBe(true);
  });

  it('puts the first blob metadata at 64 and its data at 128, with the sentinel and dtype code', () => {
    const bytes = sample();
    const meta = readBlobMetadata(bytes, 64, 'w.bin');
    expect(meta).toEqual({
      metadataOffset: 64,
      dtype: 'float16',
      sizeInBytes: 6,
      dataOffset: 128,
      paddingSizeInBits: 0,
    });
    expect(new DataView(bytes.buffer).getUint32(64, true)).toBe(BLOB_SENTINEL);
    expect(readBlobMetadata(bytes, 192, 'w.bin').dtype).toBe('float32');
  });

  it('BAD CALL - refuses a dtype blob storage cannot hold', () => {
    expect(() => writeBlobStorage([{ dtype: 'int64', dims: [1], data: BigInt64Array.from([1n]) }])).toThrow(
      TypeError,
    );
  });
});

describe('blob storage reader on mangled files', () => {
  const expectBlobError = (fn: () => unknown, pattern: RegExp) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(CoreMLFormatError);
      expect((e as CoreMLFormatError).code).toBe('E_BLOB');
      expect((e as Error).message).toMatch(pattern);
      expect((e as Error).message).not.toContain('\n');
      return;
    }
    throw new Error('expected a CoreMLFormatError');
  };

  it('EXPECTED FAILURE - a wrong sentinel names the file and byte offset', () => {
    const bytes = sample();
    bytes[64] = 0;
    expectBlobError(
      () => readBlobTensor(bytes, 64, { dtype: 'float16', dims: [3] }, 'weights/weight.bin'),
      /^weights\/weight\.bin \(byte 64\): .*sentinel/,
    );
  });

  it('EXPECTED FAILURE - a truncated file is refused at the record that runs past the end', () => {
    const bytes = sample().slice(0, 200);
    expectBlobError(
      () => readBlobTensor(bytes, 192, { dtype: 'float32', dims: [2, 2] }, 'w.bin'),
      /byte 192.*past the end/,
    );
    expectBlobError(() => listBlobs(bytes, 'w.bin'), /w\.bin \(byte 192\)/);
  });

  it('EXPECTED FAILURE - an offset past the end of the file', () => {
    expectBlobError(
      () => readBlobTensor(sample(), 4096, { dtype: 'float16', dims: [3] }, 'w.bin'),
      /byte 4096.*past the end/,
    );
  });

  it('EXPECTED FAILURE - dtype and size must match the declared type', () => {
    expectBlobError(
      () => readBlobTensor(sample(), 64, { dtype: 'float32', dims: [3] }, 'w.bin'),
      /byte 68.*must be float32.*got float16/,
    );
    expectBlobError(
      () => readBlobTensor(sample(), 64, { dtype: 'float16', dims: [4] }, 'w.bin'),
      /byte 72.*must be 8 bytes.*got 6/,
    );
  });

  it('EXPECTED FAILURE - a header with another version or a misaligned offset', () => {
    const bytes = sample();
    bytes[4] = 1;
    expectBlobError(() => listBlobs(bytes, 'w.bin'), /byte 4.*version must be 2/);
    expectBlobError(() => readBlobMetadata(sample(), 70, 'w.bin'), /byte 70.*multiple of 64/);
    expectBlobError(() => listBlobs(new Uint8Array(10), 'w.bin'), /byte 0.*header/);
  });
});

describe.skipIf(!haveFixtures)(`blob storage on the real Silero VAD weight.bin${fixturesNote}`, () => {
  it('walks every record the header declares and ends exactly at the end of the file', () => {
    const bytes = new Uint8Array(readFileSync(join(sileroMlmodelc, 'weights', 'weight.bin')));
    const blobs = listBlobs(bytes, 'weight.bin');
    expect(blobs.length).toBe(new DataView(bytes.buffer).getUint32(0, true));
    const last = blobs.at(-1)!;
    expect(last.dataOffset + last.sizeInBytes).toBe(bytes.byteLength);
    expect(blobs[0]!.metadataOffset).toBe(64);
    // the offsets model.mil references, e.g. encoder_layers_0_weight [128,129,3] fp16 at 132224
    expect(
      readBlobTensor(bytes, 132224, { dtype: 'float16', dims: [128, 129, 3] }, 'weight.bin').data.length,
    ).toBe(128 * 129 * 3);
  });
});
