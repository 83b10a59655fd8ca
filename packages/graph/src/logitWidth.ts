/**
 * The width of the scores an in-graph argmax ranks: a joint that outputs `token_id` hides its
 * vocabulary size, so a `model.json` declaring a larger one (a blank id the graph can never
 * return) would otherwise decode every frame as emissions. Read off the graph, not guessed: the
 * last axis of the ArgMax input when its value info says so, else the output layer that makes it
 * (a Gemm, or a MatMul and an Add, over initializers), through ops that keep that axis. Any other
 * graph answers undefined, and callers then check nothing.
 */
import type { GraphNode, Model, TensorValue } from './graph';

/** Ops between the output layer and the ArgMax that keep the last axis as it is. */
const keepsLastAxis = new Set(['Cast', 'Identity', 'LogSoftmax', 'Softmax', 'Relu', 'Tanh', 'Sigmoid']);

/** Hops tried from the ArgMax back to the layer that makes its input. */
const MAX_HOPS = 16;

/**
 * The logit width the graph's one ArgMax (over its last axis) ranks, or undefined when the graph
 * has no such ArgMax, several, or does not show the width.
 */
export function argmaxLogitWidth(model: Model): number | undefined {
  const { graph } = model;
  const argmaxes = graph.nodes.filter((n) => n.opType === 'ArgMax' && n.domain === '');
  if (argmaxes.length !== 1) return undefined;
  const argmax = argmaxes[0]!;
  const axis = argmax.attributes['axis'];
  if (axis !== undefined && !(axis.type === 'int' && axis.value === -1)) return undefined;
  const producer = new Map<string, GraphNode>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const shapes = new Map((graph.valueInfo ?? []).map((v) => [v.name, v.shape]));
  /** An initializer's dims, seen through the Casts that fp16 storage adds. */
  const constDims = (name: string): readonly number[] | undefined => {
    for (let hops = 0; hops < 4; hops++) {
      const t: TensorValue | undefined = graph.initializers.get(name);
      if (t !== undefined) return t.dims;
      const n = producer.get(name);
      if (n?.opType !== 'Cast') return undefined;
      name = n.inputs[0]!;
    }
    return undefined;
  };
  const vector = (name: string | undefined): number | undefined => {
    const d = name === undefined || name === '' ? undefined : constDims(name);
    return d?.length === 1 ? d[0] : undefined;
  };
  let value = argmax.inputs[0]!;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    const last = shapes.get(value)?.at(-1);
    if (typeof last === 'number' && last > 0) return last;
    const n = producer.get(value);
    if (n === undefined || n.domain !== '') return undefined;
    if (keepsLastAxis.has(n.opType)) {
      value = n.inputs[0]!;
      continue;
    }
    if (n.opType === 'Gemm') {
      const bias = vector(n.inputs[2]);
      if (bias !== undefined && bias > 1) return bias;
      const w = constDims(n.inputs[1]!);
      if (w?.length !== 2) return undefined;
      const transB = n.attributes['transB'];
      return transB?.type === 'int' && transB.value === 1 ? w[0] : w[1];
    }
    if (n.opType === 'Add') {
      // The output layer's bias: a vector as wide as the scores.
      const bias = vector(n.inputs[1]) ?? vector(n.inputs[0]);
      return bias !== undefined && bias > 1 ? bias : undefined;
    }
    if (n.opType === 'MatMul') {
      const w = constDims(n.inputs[1]!);
      return w !== undefined && w.length >= 2 ? w.at(-1) : undefined;
    }
    return undefined;
  }
  return undefined;
}
