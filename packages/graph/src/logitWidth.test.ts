import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graphBuilder';
import { argmaxLogitWidth } from './logitWidth';

/** A joint-like graph: x [1, 4] -> output layer -> (ops) -> ArgMax. */
function joint(
  layer: 'gemm' | 'gemm-transB' | 'matmul-add' | 'matmul' | 'relu-only',
  opts: { between?: 'cast' | 'logsoftmax'; axis?: number; V?: number } = {},
) {
  const V = opts.V ?? 7;
  const b = new GraphBuilder('joint');
  const x = b.input('x', 'float32', [1, 4]);
  const w = new Float32Array(4 * V);
  let logits: string;
  if (layer === 'gemm') logits = b.gemm(x, b.weight('w', w, [4, V]), b.weight('b', new Float32Array(V), [V]));
  else if (layer === 'gemm-transB')
    logits = b.gemm(x, b.weight('w', w, [V, 4], 'float32'), undefined, { transB: true });
  else if (layer === 'matmul-add')
    logits = b.add(b.matMul(x, b.weight('w', w, [4, V])), b.weight('b', new Float32Array(V), [V]));
  else if (layer === 'matmul') logits = b.matMul(x, b.weight('w', w, [4, V], 'float32'));
  else logits = b.relu(x);
  if (opts.between === 'cast') logits = b.cast(b.cast(logits, 'float16'), 'float32');
  if (opts.between === 'logsoftmax') logits = b.node('LogSoftmax', [logits], 1, { axis: -1 })[0]!;
  b.output(b.argMax(logits!, { axis: opts.axis ?? -1 }, 'token'), 'int64', [1, 1]);
  return b.toModel();
}

describe(argmaxLogitWidth, () => {
  it('reads the width off the output layer the ArgMax ranks, fp16 weights and shape-keeping ops included', () => {
    expect(argmaxLogitWidth(joint('gemm'))).toBe(7);
    expect(argmaxLogitWidth(joint('gemm', { V: 1027, between: 'cast' }))).toBe(1027);
    expect(argmaxLogitWidth(joint('gemm-transB'))).toBe(7);
    expect(argmaxLogitWidth(joint('matmul-add', { between: 'logsoftmax' }))).toBe(7);
    expect(argmaxLogitWidth(joint('matmul'))).toBe(7);
  });

  it('answers undefined where the graph does not show the width', () => {
    expect(argmaxLogitWidth(joint('relu-only'))).toBeUndefined(); // no output layer over constants
    expect(argmaxLogitWidth(joint('gemm', { axis: 0 }))).toBeUndefined(); // not the last axis
    const none = new GraphBuilder('none');
    none.output(none.relu(none.input('x', 'float32', [1, 3])), 'float32', [1, 3]);
    expect(argmaxLogitWidth(none.toModel())).toBeUndefined();
  });
});
