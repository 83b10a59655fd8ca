import type { TensorMap } from '@eou/rnnt-decode';
import { openOnnxSession } from '@eou/onnx-runtime';
import { describe, expect, it } from 'vitest';
import { writeOnnx } from './writeOnnx';
import { GraphBuilder } from './graphBuilder';

describe('GraphBuilder', () => {
  it('builds shape and selection ops that ONNX Runtime runs as ONNX defines them', async () => {
    const b = new GraphBuilder('ops');
    const x = b.input('x', 'float32', [2, 3]);
    const w = b.weight('w', Float32Array.of(1, 0, 0, 1, 1, 1), [3, 2], 'float16');
    b.matMul(x, w, 'mm'); // [2,2]
    b.identity(b.slice(x, [1], [3], [1]), 'sl'); // [2,2]
    b.concat([x, x], 0, 'cat'); // [4,3]
    b.squeeze(b.unsqueeze(x, [0]), [0], 'sq'); // [2,3]
    b.softmax(x, 1, 'sm');
    const idx = b.input('idx', 'int64', [2, 1]);
    b.gatherElements(x, idx, 1, 'ge');
    b.output('mm', 'float32', [2, 2]);
    b.output('sl', 'float32', [2, 2]);
    b.output('cat', 'float32', [4, 3]);
    b.output('sq', 'float32', [2, 3]);
    b.output('sm', 'float32', [2, 3]);
    b.output('ge', 'float32', [2, 1]);
    const s = await openOnnxSession({ bytes: writeOnnx(b.toModel()), name: 'ops.onnx' });
    const xs = Float32Array.of(1, 2, 3, 4, 5, 6);
    const o: TensorMap = await s.run({
      x: { dtype: 'float32', dims: [2, 3], data: xs },
      idx: { dtype: 'int64', dims: [2, 1], data: BigInt64Array.of(2n, 0n) },
    });
    expect(Array.from(o.mm!.data as Float32Array)).toEqual([4, 5, 10, 11]);
    expect(Array.from(o.sl!.data as Float32Array)).toEqual([2, 3, 5, 6]);
    expect(o.cat!.dims).toEqual([4, 3]);
    expect(Array.from(o.sq!.data as Float32Array)).toEqual(Array.from(xs));
    const e = [1, 2, 3].map(Math.exp);
    const sum = e[0]! + e[1]! + e[2]!;
    expect((o.sm!.data as Float32Array)[2]).toBeCloseTo(e[2]! / sum, 6);
    expect(Array.from(o.ge!.data as Float32Array)).toEqual([3, 4]);
    await s.close();
  });

  it('BAD CALL - reusing a value name or declaring an output nobody produces is refused', () => {
    const b = new GraphBuilder('g');
    b.input('x', 'float32', [1]);
    expect(() => b.input('x', 'float32', [1])).toThrowError(
      'GraphBuilder: value name "x" is already used in graph "g"',
    );
    expect(() => b.output('y', 'float32', [1])).toThrowError(
      'GraphBuilder: output "y" is not produced in graph "g"',
    );
    expect(() => b.constF32('c', [1, 2], [3])).toThrowError(
      'GraphBuilder: initializer "c" has 2 values, expected 3 for dims [3]',
    );
  });
});
