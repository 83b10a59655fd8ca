/**
 * MIL blob storage v2 (`weights/weight.bin`): a 64-byte header (`uint32 count`, `uint32 version`
 * = 2, reserved), then per blob a 64-byte metadata record (sentinel 0xDEADBEEF, dtype code, size,
 * absolute data offset, padding bits, reserved) followed by the data. Records start on 64-byte
 * boundaries, the gap is zero-filled and nothing follows the last blob. MIL consts reference a
 * blob by the offset of its *metadata* record.
 */
import type { DType, TensorValue } from '@eou/graph';
import { elementCount, typedArrayOf } from '@eou/graph';
import { coremlError } from './coremlFormatError';

export const BLOB_ALIGNMENT = 64;
export const BLOB_SENTINEL = 0xdeadbeef;
const HEADER_SIZE = 64;
const METADATA_SIZE = 64;

/** Element types blob storage can hold (coremltools `BlobDataType`, append-only codes). */
export type BlobDType =
  | 'float16'
  | 'float32'
  | 'uint8'
  | 'int8'
  | 'bfloat16'
  | 'int16'
  | 'uint16'
  | 'int4'
  | 'uint1'
  | 'uint2'
  | 'uint4'
  | 'uint3'
  | 'uint6'
  | 'int32'
  | 'uint32'
  | 'float8e4m3fn'
  | 'float8e5m2';

const DTYPE_BY_CODE: readonly (BlobDType | undefined)[] = [
  undefined,
  'float16',
  'float32',
  'uint8',
  'int8',
  'bfloat16',
  'int16',
  'uint16',
  'int4',
  'uint1',
  'uint2',
  'uint4',
  'uint3',
  'uint6',
  'int32',
  'uint32',
  'float8e4m3fn',
  'float8e5m2',
];

/** IR dtypes that map 1:1 onto a blob dtype, with their element width. */
const IR_BLOB: Partial<Record<DType, { code: number; bytes: number }>> = {
  float16: { code: 1, bytes: 2 },
  float32: { code: 2, bytes: 4 },
  uint8: { code: 3, bytes: 1 },
  int8: { code: 4, bytes: 1 },
  int16: { code: 6, bytes: 2 },
  uint16: { code: 7, bytes: 2 },
  int32: { code: 14, bytes: 4 },
  uint32: { code: 15, bytes: 4 },
};

/** Whether an IR dtype can be stored in blob storage. */
export function isBlobStorable(dtype: DType): boolean {
  return IR_BLOB[dtype] !== undefined;
}

/** One decoded metadata record. */
export interface BlobMetadata {
  /** Offset of the 64-byte metadata record (what MIL `BLOBFILE(offset = ...)` holds). */
  readonly metadataOffset: number;
  readonly dtype: BlobDType;
  readonly sizeInBytes: number;
  /** Absolute offset of the data. */
  readonly dataOffset: number;
  readonly paddingSizeInBits: number;
}

function u64(view: DataView, at: number, file: string, field: string): number {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (hi >= 0x200000)
    throw coremlError(
      'E_BLOB',
      file,
      `byte ${at}`,
      `${field} ${hi * 2 ** 32 + lo} is not a usable file offset or size`,
    );
  return hi * 2 ** 32 + lo;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads and checks the 64-byte file header.
 * @throws {CoreMLFormatError} E_BLOB when the file is shorter than the header or the version is not 2.
 */
export function readBlobStorageHeader(bytes: Uint8Array, file: string): { count: number; version: number } {
  if (bytes.byteLength < HEADER_SIZE) {
    throw coremlError(
      'E_BLOB',
      file,
      'byte 0',
      `blob storage header needs ${HEADER_SIZE} bytes, the file has ${bytes.byteLength}`,
    );
  }
  const view = viewOf(bytes);
  const count = view.getUint32(0, true);
  const version = view.getUint32(4, true);
  if (version !== 2)
    throw coremlError('E_BLOB', file, 'byte 4', `blob storage version must be 2, got ${version}`);
  return { count, version };
}

/**
 * Reads the metadata record at `offset` and checks sentinel, dtype code and that the data lies
 * inside the file.
 * @throws {CoreMLFormatError} E_BLOB naming the file and byte offset.
 */
export function readBlobMetadata(bytes: Uint8Array, offset: number, file: string): BlobMetadata {
  readBlobStorageHeader(bytes, file);
  if (!Number.isSafeInteger(offset) || offset < HEADER_SIZE || offset % BLOB_ALIGNMENT !== 0) {
    throw coremlError(
      'E_BLOB',
      file,
      `byte ${offset}`,
      `blob offset must be a multiple of ${BLOB_ALIGNMENT} after the header, got ${offset}`,
    );
  }
  if (offset + METADATA_SIZE > bytes.byteLength) {
    throw coremlError(
      'E_BLOB',
      file,
      `byte ${offset}`,
      `blob metadata at ${offset} runs past the end of the file (${bytes.byteLength} bytes)`,
    );
  }
  const view = viewOf(bytes);
  const sentinel = view.getUint32(offset, true);
  if (sentinel !== BLOB_SENTINEL) {
    throw coremlError(
      'E_BLOB',
      file,
      `byte ${offset}`,
      `blob metadata sentinel must be 0xdeadbeef, got 0x${sentinel.toString(16)}`,
    );
  }
  const code = view.getUint32(offset + 4, true);
  const dtype = DTYPE_BY_CODE[code];
  if (dtype === undefined)
    throw coremlError('E_BLOB', file, `byte ${offset + 4}`, `unknown blob dtype code ${code}`);
  const sizeInBytes = u64(view, offset + 8, file, 'blob size');
  const dataOffset = u64(view, offset + 16, file, 'blob data offset');
  const paddingSizeInBits = u64(view, offset + 24, file, 'blob padding');
  if (dataOffset < offset + METADATA_SIZE || dataOffset + sizeInBytes > bytes.byteLength) {
    throw coremlError(
      'E_BLOB',
      file,
      `byte ${offset + 16}`,
      `blob data [${dataOffset}, ${dataOffset + sizeInBytes}) must lie after its metadata and inside the file (${bytes.byteLength} bytes)`,
    );
  }
  return { metadataOffset: offset, dtype, sizeInBytes, dataOffset, paddingSizeInBits };
}

/**
 * Walks every record the header declares, in file order.
 * @throws {CoreMLFormatError} E_BLOB on the first bad record.
 */
export function listBlobs(bytes: Uint8Array, file: string): BlobMetadata[] {
  const { count } = readBlobStorageHeader(bytes, file);
  const out: BlobMetadata[] = [];
  let at = HEADER_SIZE;
  for (let i = 0; i < count; i++) {
    const meta = readBlobMetadata(bytes, at, file);
    out.push(meta);
    at = alignUp(meta.dataOffset + meta.sizeInBytes);
  }
  return out;
}

function alignUp(n: number): number {
  return Math.ceil(n / BLOB_ALIGNMENT) * BLOB_ALIGNMENT;
}

/**
 * Reads the blob whose metadata is at `offset` as a tensor of the declared dtype and shape,
 * checking the stored dtype and size against them.
 * @throws {CoreMLFormatError} E_BLOB naming the file and byte offset.
 */
export function readBlobTensor(
  bytes: Uint8Array,
  offset: number,
  declared: { readonly dtype: DType; readonly dims: readonly number[] },
  file: string,
): TensorValue {
  const meta = readBlobMetadata(bytes, offset, file);
  const want = IR_BLOB[declared.dtype];
  if (want === undefined)
    throw coremlError(
      'E_BLOB',
      file,
      `byte ${offset}`,
      `dtype ${declared.dtype} cannot be read from blob storage`,
    );
  if (DTYPE_BY_CODE[want.code] !== meta.dtype) {
    throw coremlError(
      'E_BLOB',
      file,
      `byte ${offset + 4}`,
      `blob dtype must be ${declared.dtype} as declared, got ${meta.dtype}`,
    );
  }
  const n = elementCount(declared.dims);
  if (meta.sizeInBytes !== n * want.bytes) {
    throw coremlError(
      'E_BLOB',
      file,
      `byte ${offset + 8}`,
      `blob size must be ${n * want.bytes} bytes for ${declared.dtype} [${declared.dims.join(', ')}], got ${meta.sizeInBytes}`,
    );
  }
  const copy = Uint8Array.prototype.slice.call(
    bytes,
    meta.dataOffset,
    meta.dataOffset + meta.sizeInBytes,
  ).buffer; // never a shared Buffer pool
  return {
    dtype: declared.dtype,
    dims: [...declared.dims],
    data: typedArrayOf(declared.dtype as Exclude<DType, 'string'>, copy),
  };
}

/**
 * Writes blob storage v2 holding `tensors` in order. Deterministic: same tensors, same bytes.
 * @returns the file bytes and the metadata offset of each tensor (what MIL references).
 * @throws {TypeError} when a tensor's dtype cannot be stored (strings, bool, 64-bit).
 */
export function writeBlobStorage(tensors: readonly TensorValue[]): { bytes: Uint8Array; offsets: number[] } {
  const offsets: number[] = [];
  let size = HEADER_SIZE;
  for (const t of tensors) {
    const spec = IR_BLOB[t.dtype];
    if (spec === undefined)
      throw new TypeError(
        `writeBlobStorage: tensors[${offsets.length}] has dtype ${t.dtype}, which blob storage cannot hold`,
      );
    size = alignUp(size);
    offsets.push(size);
    size += METADATA_SIZE + elementCount(t.dims) * spec.bytes;
  }
  const bytes = new Uint8Array(size);
  const view = viewOf(bytes);
  view.setUint32(0, tensors.length, true);
  view.setUint32(4, 2, true);
  tensors.forEach((t, i) => {
    const spec = IR_BLOB[t.dtype]!;
    const at = offsets[i]!;
    const data = t.data as ArrayBufferView;
    const n = elementCount(t.dims) * spec.bytes;
    if (data.byteLength !== n)
      throw new RangeError(
        `writeBlobStorage: tensors[${i}] holds ${data.byteLength} bytes, its dims [${t.dims.join(', ')}] need ${n}`,
      );
    view.setUint32(at, BLOB_SENTINEL, true);
    view.setUint32(at + 4, spec.code, true);
    view.setBigUint64(at + 8, BigInt(n), true);
    view.setBigUint64(at + 16, BigInt(at + METADATA_SIZE), true);
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at + METADATA_SIZE);
  });
  return { bytes, offsets };
}
