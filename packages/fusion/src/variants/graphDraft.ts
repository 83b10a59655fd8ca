/**
 * A small mutable draft of an ONNX graph for the variant builders: add initializers and nodes,
 * get back value names, freeze into the plain-data IR. Node and value names are generated from a
 * counter, so the same calls always give the same graph (byte-identical files).
 */
import type { AttributeValue, DType, Graph, GraphNode, TensorValue, ValueInfo } from '@eou/graph';

/** ONNX `TensorProto.DataType` codes used by `Cast`. */
export const onnxType = { float32: 1, int32: 6, int64: 7, float16: 10 } as const;

export type Attrs = Readonly<Record<string, AttributeValue>>;

/** Attribute constructors. */
export const attr = {
  int: (value: number): AttributeValue => ({ type: 'int', value }),
  ints: (value: readonly number[]): AttributeValue => ({ type: 'ints', value }),
  float: (value: number): AttributeValue => ({ type: 'float', value }),
  string: (value: string): AttributeValue => ({ type: 'string', value }),
};

export class GraphDraft {
  private readonly nodes: GraphNode[] = [];
  private readonly initializers = new Map<string, TensorValue>();
  private readonly counts = new Map<string, number>();

  /** Adds an initializer under `name` and returns the name. */
  init(name: string, tensor: TensorValue): string {
    if (this.initializers.has(name)) throw new RangeError(`GraphDraft: initializer \`${name}\` added twice`);
    this.initializers.set(name, tensor);
    return name;
  }

  /** An int64 constant (shapes, axes, k), deduplicated by value. */
  int64(values: readonly number[]): string {
    const name = `const_i64_${values.map((v) => (v < 0 ? `m${-v}` : String(v))).join('_')}`;
    if (!this.initializers.has(name)) {
      this.initializers.set(name, {
        dtype: 'int64',
        dims: [values.length],
        data: BigInt64Array.from(values, BigInt),
      });
    }
    return name;
  }

  /** Adds a node; returns its output names (`outputs` given, or `count` fresh names). */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Attrs = {},
    outputs: readonly string[] | number = 1,
  ): string[] {
    const n = (this.counts.get(opType) ?? 0) + 1;
    this.counts.set(opType, n);
    const name = `${opType}_${n}`;
    const outs =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, k) => (outputs === 1 ? name : `${name}_${k}`))
        : [...outputs];
    this.nodes.push({ name, opType, domain: '', inputs: [...inputs], outputs: outs, attributes });
    return outs;
  }

  /** One-output node shorthand. */
  op(opType: string, inputs: readonly string[], attributes: Attrs = {}, output?: string): string {
    return this.node(opType, inputs, attributes, output === undefined ? 1 : [output])[0]!;
  }

  /** `Cast(x, to)`. */
  cast(x: string, to: keyof typeof onnxType, output?: string): string {
    return this.op('Cast', [x], { to: attr.int(onnxType[to]) }, output);
  }

  /** Float32 view of a float weight: a Cast node for fp16 storage (as the shipped graphs do), else the initializer itself. */
  weight(name: string, tensor: TensorValue): string {
    const stored = this.init(name, tensor);
    return tensor.dtype === 'float16' ? this.cast(stored, 'float32') : stored;
  }

  /** `Reshape(x, shape)`. */
  reshape(x: string, shape: readonly number[], output?: string): string {
    return this.op('Reshape', [x, this.int64(shape)], {}, output);
  }

  /** Freezes the draft. */
  toGraph(name: string, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[]): Graph {
    return { name, inputs, outputs, initializers: new Map(this.initializers), nodes: [...this.nodes] };
  }
}

/** ValueInfo shorthand. */
export function value(name: string, dtype: DType, shape: readonly (number | string)[]): ValueInfo {
  return { name, dtype, shape };
}
