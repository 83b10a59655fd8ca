import { fileURLToPath } from 'node:url';
import type { TensorMap } from '@eou/rnnt-decode';
import { describe, expect, it } from 'vitest';
import { openOnnxSession } from './onnxSession';

const MIXED = fileURLToPath(new URL('../test/fixtures/mixed.onnx', import.meta.url));

const feeds = (): TensorMap => ({
  a: { dtype: 'float32', dims: [1, 2, 3], data: Float32Array.of(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5) },
  i: { dtype: 'int32', dims: [2], data: Int32Array.of(7, -8) },
  h: { dtype: 'float16', dims: [2], data: Uint16Array.of(0x3c00, 0xc000) },
  l: { dtype: 'int64', dims: [3], data: BigInt64Array.of(1n, 2n, 3n) },
});
// `a_relu` has the symbolic batch dim B, `l_out` a -1 dim: both must be given to prepare().
const dynamicOutputs = (): TensorMap => ({
  a_relu: { dtype: 'float32', dims: [1, 2, 3], data: new Float32Array(6) },
  l_out: { dtype: 'int64', dims: [3], data: new BigInt64Array(3) },
});

describe('prepared calls', () => {
  for (const callPath of ['sync', 'async'] as const) {
    it(`reads overwritten feed data on every run and writes every output in place (${callPath})`, async () => {
      const s = await openOnnxSession(MIXED, { callPath });
      const call = s.prepare(feeds(), dynamicOutputs());
      expect(Object.keys(call.outputs).sort()).toEqual(['a_relu', 'h_out', 'i_out', 'l_out']);
      const relu = call.outputs.a_relu!.data as Float32Array;
      for (let step = 0; step < 5; step++) {
        const a = call.feeds.a!.data as Float32Array;
        a.forEach((_, k) => (a[k] = k - step));
        (call.feeds.i!.data as Int32Array)[0] = step;
        const out = await call.run();
        expect(out.a_relu!.data).toBe(relu);
        expect(Array.from(relu)).toEqual(Array.from(a, (x) => Math.max(0, x)));
        expect((out.i_out!.data as Int32Array)[0]).toBe(step);
        // The same numbers as an unprepared call on copies of the feeds.
        const fresh = await s.run(
          Object.fromEntries(
            Object.entries(call.feeds).map(([k, t]) => [k, { ...t, data: t.data.slice() } as never]),
          ),
        );
        expect(Array.from(fresh.a_relu!.data as Float32Array)).toEqual(Array.from(relu));
      }
      await s.close();
    });

    it(`EXPECTED FAILURE - checks a new tensor object again after a prepared run (${callPath})`, async () => {
      const s = await openOnnxSession(MIXED, { callPath });
      const f = feeds();
      const outs = dynamicOutputs();
      await s.run(f, outs);
      f.i = { dtype: 'int64', dims: [2], data: BigInt64Array.of(1n, 2n) } as never;
      await expect(Promise.resolve().then(() => s.run(f, outs))).rejects.toThrow(
        `${MIXED}: input "i" expects int32 (Int32Array), got int64`,
      );
      await s.close();
    });
  }

  it('EXPECTED FAILURE - asks for the dims of a dynamic output it cannot allocate', async () => {
    const s = await openOnnxSession(MIXED);
    expect(() => s.prepare(feeds())).toThrow(
      `${MIXED}: output "a_relu" has dynamic shape [1, B, 3]; pass its dims to prepare()`,
    );
    await s.close();
  });
});
