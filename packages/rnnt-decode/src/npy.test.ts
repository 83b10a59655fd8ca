import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fp16Round } from './float16';
import { encodeNpy, parseNpy } from './npy';

/** Builds a .npy file by hand: version, header dict text and raw little-endian body. */
function npyFile(version: 1 | 2 | 3, header: string, body: Uint8Array): Uint8Array {
  const lengthSize = version === 1 ? 2 : 4;
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + lengthSize + headerBytes.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 8 + lengthSize);
  out.set(body, 8 + lengthSize + headerBytes.length);
  return out;
}

const f32Body = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);

describe(parseNpy, () => {
  it('round-trips encodeNpy for any [N,E] float32 matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), fc.nat(), (n, e, seed) => {
        const data = Float32Array.from({ length: n * e }, (_, i) => Math.fround(Math.sin(seed + i) * 1e3));
        const bytes = encodeNpy(data, [n, e]);
        expect((bytes.length - n * e * 4) % 64).toBe(0); // header padded to 64 bytes
        const parsed = parseNpy(bytes, 'x.npy');
        expect(parsed.dims).toEqual([n, e]);
        expect(parsed.dtype).toBe('float32');
        expect(Array.from(parsed.data)).toEqual(Array.from(data));
      }),
    );
  });

  it('round-trips encodeNpy with dtype float16: each value comes back rounded to the nearest half', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), fc.nat(), (n, e, seed) => {
        const data = Float32Array.from({ length: n * e }, (_, i) => Math.fround(Math.sin(seed + i) * 30));
        const bytes = encodeNpy(data, [n, e], { dtype: 'float16' });
        expect((bytes.length - n * e * 2) % 64).toBe(0);
        const parsed = parseNpy(bytes, 'x.npy');
        expect(parsed.dtype).toBe('float16');
        expect(Array.from(parsed.data)).toEqual(Array.from(data, (v) => fp16Round(v)));
      }),
    );
  });

  it('reads version 2 and 3 headers, float16 data and an unaligned buffer', () => {
    const v2 = npyFile(
      2,
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }\n",
      f32Body([1.5, -2]),
    );
    expect(Array.from(parseNpy(v2, 'v2.npy').data)).toEqual([1.5, -2]);
    const halves = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x0000]).buffer);
    const v3 = npyFile(3, '{"descr": "<f2", "fortran_order": False, "shape": (2, 2)}\n', halves);
    const parsed = parseNpy(v3, 'v3.npy');
    expect(parsed.dtype).toBe('float16');
    expect(Array.from(parsed.data)).toEqual([1, -2, 0.5, 0]);
    const shifted = new Uint8Array(v2.length + 1);
    shifted.set(v2, 1);
    expect(Array.from(parseNpy(shifted.subarray(1), 'odd.npy').data)).toEqual([1.5, -2]);
  });

  it('EXPECTED FAILURE - Fortran order is refused naming the file and field', () => {
    const bytes = npyFile(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }\n", f32Body([1, 2]));
    expect(() => parseNpy(bytes, 'a.npy')).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_NPY',
        file: 'a.npy',
        field: 'fortran_order',
        message: 'a.npy: fortran_order is True; only C order is supported (save np.ascontiguousarray(arr))',
      }),
    );
  });

  it('EXPECTED FAILURE - other dtypes, ranks and truncated data are refused', () => {
    const f8 = npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }\n", new Uint8Array(8));
    expect(() => parseNpy(f8, 'b.npy')).toThrow(
      "b.npy: dtype '<f8' is not supported, expected '<f4' (float32) or '<f2' (float16)",
    );
    const big = npyFile(
      1,
      "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1), }\n",
      new Uint8Array(4),
    );
    expect(() => parseNpy(big, 'c.npy')).toThrow(/big-endian/);
    const rank3 = npyFile(
      1,
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }\n",
      new Uint8Array(24),
    );
    expect(() => parseNpy(rank3, 'd.npy')).toThrow(
      'd.npy: shape (1, 2, 3) must be 2-D [N, E] (frames x encoder dim), got 3-D',
    );
    const short = npyFile(
      1,
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n",
      new Uint8Array(20),
    );
    expect(() => parseNpy(short, 'e.npy')).toThrow(
      expect.objectContaining({
        code: 'E_NPY',
        message: 'e.npy: truncated data: shape (2, 3) <f4 needs 24 bytes, file has 20',
      }),
    );
    expect(() => parseNpy(new Uint8Array([1, 2, 3]), 'f.npy')).toThrow(
      'f.npy: not a .npy file (missing \\x93NUMPY magic)',
    );
  });

  it('BAD CALL - encodeNpy refuses dims that do not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'dims (2, 3) hold 6 elements, data.length is 5',
      }),
    );
  });
});

describe('parseNpy on a Node Buffer', () => {
  it('reads the frames, not the bytes at the start of the pooled ArrayBuffer', () => {
    const data = Float32Array.from({ length: 6 }, (_, i) => i + 0.5);
    // Buffer.from(...) of a small array lands inside Node's shared pool at a non-zero offset.
    const buffer = Buffer.from(encodeNpy(data, [2, 3]));
    expect(buffer.byteOffset).not.toBe(0);
    expect(Array.from(parseNpy(buffer, 'pooled.npy').data)).toEqual(Array.from(data));
  });
});
