/**
 * The encoder-frame cache format: one NumPy `.npy` file per utterance, float32 (float16 accepted),
 * C order, shape [N,E]. Reads headers of format versions 1, 2 and 3; writes version 1.
 */
import { copyFloat16, float32ToFloat16Bits } from './float16';
import { RnntDecodeError } from './rnntDecodeError';

/** A parsed `.npy` frame matrix. */
export interface NpyFrames {
  /** [N*E] frames, row-major, always float32. */
  readonly data: Float32Array;
  /** [N, E]. */
  readonly dims: readonly [number, number];
  /** Element type stored in the file. */
  readonly dtype: 'float32' | 'float16';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Parses a `.npy` file holding a 2-D [N,E] little-endian float32 or float16 array in C order.
 * @param bytes the whole file
 * @param file its name, for error messages
 * @throws RnntDecodeError `E_NPY` naming the file and what is wrong (magic, version, dtype,
 *   fortran order, rank, truncated data)
 */
export function parseNpy(bytes: Uint8Array, file: string): NpyFrames {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`bytes must be a Uint8Array, got ${typeof bytes}`);
  const fail: (why: string, field?: string) => never = (why, field) => {
    throw new RnntDecodeError('E_NPY', `${file}: ${why}`, field === undefined ? { file } : { file, field });
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    fail('not a .npy file (missing \\x93NUMPY magic)');
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    fail(`unsupported .npy format version ${major}.${bytes[7]} (expected 1, 2 or 3)`, 'version');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthSize) fail('truncated header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthSize + headerLength;
  if (bytes.length < dataOffset)
    fail(`truncated header: needs ${dataOffset} bytes, file has ${bytes.length}`);
  const headerBytes = bytes.subarray(8 + lengthSize, dataOffset);
  let header = '';
  if (major === 3) header = new TextDecoder('utf-8').decode(headerBytes);
  else for (const b of headerBytes) header += String.fromCharCode(b); // latin-1

  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  if (descr === undefined) fail('header has no descr', 'descr');
  let dtype: 'float32' | 'float16';
  if (descr === '<f4') dtype = 'float32';
  else if (descr === '<f2') dtype = 'float16';
  else {
    const hint = descr.startsWith('>') ? ' (big-endian; convert with arr.astype("<f4"))' : '';
    return fail(
      `dtype '${descr}' is not supported, expected '<f4' (float32) or '<f2' (float16)${hint}`,
      'descr',
    );
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  if (fortran === undefined) fail('header has no fortran_order', 'fortran_order');
  if (fortran === 'True')
    fail(
      'fortran_order is True; only C order is supported (save np.ascontiguousarray(arr))',
      'fortran_order',
    );
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) fail('header has no shape', 'shape');
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (dims.some((d) => !Number.isSafeInteger(d)))
    fail(`shape (${shapeText}) is not a tuple of sizes`, 'shape');
  if (dims.length !== 2)
    fail(
      `shape (${dims.join(', ')}) must be 2-D [N, E] (frames x encoder dim), got ${dims.length}-D`,
      'shape',
    );
  const [n, e] = dims as [number, number];
  const itemSize = dtype === 'float32' ? 4 : 2;
  const needed = n * e * itemSize;
  const available = bytes.length - dataOffset;
  if (available < needed) {
    fail(`truncated data: shape (${n}, ${e}) ${descr} needs ${needed} bytes, file has ${available}`, 'data');
  }
  const data = new Float32Array(n * e);
  // Copy into a fresh buffer: `bytes` may sit at any (unaligned) offset of a larger one, and a
  // Node Buffer's `slice` is a view, not a copy. Little-endian hosts then take the fast path.
  const raw = new Uint8Array(needed);
  raw.set(bytes.subarray(dataOffset, dataOffset + needed));
  if (littleEndianHost) {
    if (dtype === 'float32') data.set(new Float32Array(raw.buffer, 0, n * e));
    else copyFloat16(new Uint16Array(raw.buffer, 0, n * e), data, n * e);
  } else {
    const dv = new DataView(raw.buffer);
    if (dtype === 'float32') for (let i = 0; i < n * e; i++) data[i] = dv.getFloat32(i * 4, true);
    else
      copyFloat16(
        Uint16Array.from({ length: n * e }, (_, i) => dv.getUint16(i * 2, true)),
        data,
        n * e,
      );
  }
  return { data, dims: [n, e], dtype };
}

/**
 * Encodes a float32 array as a version-1 `.npy` file, C order, header padded to 64 bytes: '<f4', or
 * with `dtype: 'float16'` '<f2' (each value rounded to the nearest half, as numpy's `astype` does).
 * @param dims the shape; its product must equal `data.length`
 * @throws RangeError when `dims` does not match `data`
 */
export function encodeNpy(
  data: Float32Array,
  dims: readonly number[],
  options: { readonly dtype?: 'float32' | 'float16' } = {},
): Uint8Array {
  if (!(data instanceof Float32Array)) throw new TypeError('data must be a Float32Array');
  if (!Array.isArray(dims) || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new RangeError(`dims must be an array of non-negative integers, got ${JSON.stringify(dims)}`);
  }
  const half = options.dtype === 'float16';
  if (options.dtype !== undefined && options.dtype !== 'float32' && !half)
    throw new RangeError(
      `options.dtype must be 'float32' or 'float16', got ${JSON.stringify(options.dtype)}`,
    );
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(`dims (${dims.join(', ')}) hold ${count} elements, data.length is ${data.length}`);
  }
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${half ? '<f2' : '<f4'}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * (half ? 2 : 4));
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  if (half) for (let i = 0; i < data.length; i++) body.setUint16(i * 2, float32ToFloat16Bits(data[i]!), true);
  else for (let i = 0; i < data.length; i++) body.setFloat32(i * 4, data[i]!, true);
  return out;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
