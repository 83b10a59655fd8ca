/**
 * A small imperative API that produces graph IR for ONNX (default domain, opset 17 semantics:
 * Squeeze/Unsqueeze/Reshape/Slice/TopK take their shape arguments as int64 inputs). Each op
 * method adds one node and returns its output value name(s); pass `out` to choose the name (a
 * graph output must be produced under its own name).
 */
import { toFloat16 } from '@eou/rnnt-decode/float16';
import type {
  AttributeValue,
  DType,
  Graph,
  GraphNode,
  Model,
  OpsetImport,
  TensorValue,
  ValueInfo,
} from './graph';
import { onnxDataTypeOf } from './onnxDType';

/** Attribute shorthand: numbers are ints unless wrapped with {@link float}. */
export type AttributeInput = number | string | readonly number[] | readonly string[] | AttributeValue;

/** Marks a number (or list) as a float attribute. */
export function float(value: number | readonly number[]): AttributeValue {
  return typeof value === 'number' ? { type: 'float', value } : { type: 'floats', value };
}

function toAttribute(v: AttributeInput): AttributeValue {
  if (typeof v === 'number') return { type: 'int', value: v };
  if (typeof v === 'string') return { type: 'string', value: v };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number')) return { type: 'ints', value: v };
    return { type: 'strings', value: v as readonly string[] };
  }
  return v as AttributeValue;
}

/** Options of {@link GraphBuilder.toModel}. */
export interface ToModelOptions {
  readonly opset?: number;
  readonly irVersion?: number;
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly docString?: string;
}

/** Builds one graph. Not reusable after {@link GraphBuilder.build}. */
export class GraphBuilder {
  readonly name: string;
  readonly #inputs: ValueInfo[] = [];
  readonly #outputs: ValueInfo[] = [];
  readonly #initializers = new Map<string, TensorValue>();
  readonly #nodes: GraphNode[] = [];
  readonly #used = new Set<string>();
  #counter = 0;

  constructor(name: string) {
    this.name = name;
  }

  /** An unused value name derived from `hint` (claimed when a node or initializer uses it). */
  fresh(hint: string): string {
    let name = hint;
    while (this.#used.has(name)) name = `${hint}_${++this.#counter}`;
    return name;
  }

  #claim(name: string): string {
    if (this.#used.has(name))
      throw new RangeError(`GraphBuilder: value name "${name}" is already used in graph "${this.name}"`);
    this.#used.add(name);
    return name;
  }

  /** Declares a graph input and returns its name. */
  input(name: string, dtype: DType, shape: readonly (number | string)[]): string {
    this.#inputs.push({ name: this.#claim(name), dtype, shape: [...shape] });
    return name;
  }

  /** Declares `value` (already produced) as a graph output. */
  output(value: string, dtype: DType, shape: readonly (number | string)[]): void {
    if (!this.#used.has(value))
      throw new RangeError(`GraphBuilder: output "${value}" is not produced in graph "${this.name}"`);
    this.#outputs.push({ name: value, dtype, shape: [...shape] });
  }

  /** Adds an initializer and returns its name. */
  initializer(name: string, tensor: TensorValue): string {
    const expected = tensor.dims.reduce((a, b) => a * b, 1);
    if (tensor.data.length !== expected) {
      throw new RangeError(
        `GraphBuilder: initializer "${name}" has ${tensor.data.length} values, expected ${expected} for dims [${tensor.dims.join(',')}]`,
      );
    }
    this.#initializers.set(this.#claim(name), tensor);
    return name;
  }

  /** float32 initializer. */
  constF32(name: string, values: ArrayLike<number>, dims: readonly number[]): string {
    return this.initializer(name, { dtype: 'float32', dims: [...dims], data: Float32Array.from(values) });
  }

  /** int64 initializer (shape arguments, axes, k). */
  constI64(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(name, {
      dtype: 'int64',
      dims: [...dims],
      data: BigInt64Array.from(values, (v) => BigInt(v)),
    });
  }

  /**
   * A weight stored as `storage` and exposed as float32: fp16 storage adds the `Cast(to f32)` the
   * shipped graphs have. Returns the float32 value name.
   */
  weight(
    name: string,
    values: Float32Array,
    dims: readonly number[],
    storage: 'float16' | 'float32' = 'float16',
  ): string {
    if (storage === 'float32') return this.constF32(name, values, dims);
    this.initializer(name, { dtype: 'float16', dims: [...dims], data: toFloat16(values) });
    return this.cast(name, 'float32', `${name}_f32`);
  }

  /** Adds a node of any op; returns its output names. */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: number | readonly string[],
    attributes: Readonly<Record<string, AttributeInput>> = {},
    name?: string,
  ): string[] {
    const outNames = (
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, i) =>
            this.fresh(`${opType.toLowerCase()}_${this.#nodes.length}${outputs > 1 ? `_${i}` : ''}`),
          )
        : outputs
    ).map((o) => this.#claim(o));
    const attrs: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(attributes)) attrs[k] = toAttribute(v);
    this.#nodes.push({
      name: name ?? `${opType}_${this.#nodes.length}`,
      opType,
      domain: '',
      inputs: [...inputs],
      outputs: outNames,
      attributes: attrs,
    });
    return outNames;
  }

  #one(
    opType: string,
    inputs: readonly string[],
    out: string | undefined,
    attributes: Readonly<Record<string, AttributeInput>> = {},
  ): string {
    return this.node(opType, inputs, out === undefined ? 1 : [out], attributes)[0]!;
  }

  identity(x: string, out?: string): string {
    return this.#one('Identity', [x], out);
  }
  add(a: string, b: string, out?: string): string {
    return this.#one('Add', [a, b], out);
  }
  relu(x: string, out?: string): string {
    return this.#one('Relu', [x], out);
  }
  matMul(a: string, b: string, out?: string): string {
    return this.#one('MatMul', [a, b], out);
  }
  /** `Y = alpha * A' B' + beta * C`. */
  gemm(
    a: string,
    b: string,
    c: string | undefined,
    opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {},
    out?: string,
  ): string {
    const attrs: Record<string, AttributeInput> = {};
    if (opts.alpha !== undefined) attrs.alpha = float(opts.alpha);
    if (opts.beta !== undefined) attrs.beta = float(opts.beta);
    if (opts.transA) attrs.transA = 1;
    if (opts.transB) attrs.transB = 1;
    return this.#one('Gemm', c === undefined ? [a, b] : [a, b, c], out, attrs);
  }
  softmax(x: string, axis = -1, out?: string): string {
    return this.#one('Softmax', [x], out, { axis });
  }
  /** int64 indices of the maxima (first maximum unless `selectLastIndex`). */
  argMax(
    x: string,
    opts: { axis?: number; keepdims?: boolean; selectLastIndex?: boolean } = {},
    out?: string,
  ): string {
    return this.#one('ArgMax', [x], out, {
      axis: opts.axis ?? -1,
      keepdims: opts.keepdims === false ? 0 : 1,
      select_last_index: opts.selectLastIndex ? 1 : 0,
    });
  }
  /** Returns [values, int64 indices]. */
  topK(
    x: string,
    k: number,
    opts: { axis?: number; largest?: boolean; sorted?: boolean } = {},
    out?: readonly [string, string],
  ): [string, string] {
    const kName = this.constI64(this.fresh('topk_k'), [k]);
    const [v, i] = this.node('TopK', [x, kName], out ?? 2, {
      axis: opts.axis ?? -1,
      largest: opts.largest === false ? 0 : 1,
      sorted: opts.sorted === false ? 0 : 1,
    });
    return [v!, i!];
  }
  cast(x: string, to: DType, out?: string): string {
    return this.#one('Cast', [x], out, { to: onnxDataTypeOf(to) });
  }
  transpose(x: string, perm: readonly number[], out?: string): string {
    return this.#one('Transpose', [x], out, { perm });
  }
  reshape(x: string, shape: readonly number[], out?: string): string {
    return this.#one('Reshape', [x, this.constI64(this.fresh('shape'), shape)], out);
  }
  squeeze(x: string, axes: readonly number[], out?: string): string {
    return this.#one('Squeeze', [x, this.constI64(this.fresh('axes'), axes)], out);
  }
  unsqueeze(x: string, axes: readonly number[], out?: string): string {
    return this.#one('Unsqueeze', [x, this.constI64(this.fresh('axes'), axes)], out);
  }
  gather(data: string, indices: string, axis = 0, out?: string): string {
    return this.#one('Gather', [data, indices], out, { axis });
  }
  gatherElements(data: string, indices: string, axis = 0, out?: string): string {
    return this.#one('GatherElements', [data, indices], out, { axis });
  }
  concat(xs: readonly string[], axis: number, out?: string): string {
    return this.#one('Concat', xs, out, { axis });
  }
  slice(
    x: string,
    starts: readonly number[],
    ends: readonly number[],
    axes?: readonly number[],
    out?: string,
  ): string {
    const ins = [x, this.constI64(this.fresh('starts'), starts), this.constI64(this.fresh('ends'), ends)];
    if (axes) ins.push(this.constI64(this.fresh('axes'), axes));
    return this.#one('Slice', ins, out);
  }
  /** `Cast(to f16) -> Cast(to f32)`: where the shipped graphs keep a tensor in fp16. */
  roundFp16(x: string, out?: string): string {
    return this.cast(this.cast(x, 'float16'), 'float32', out);
  }
  /**
   * Single-layer forward LSTM (ONNX gate order i,o,f,c). `X` [T,B,I], `W` [1,4H,I], `R` [1,4H,H],
   * `B` [1,8H]; returns [Y [T,1,B,H], Y_h [1,B,H], Y_c [1,B,H]].
   */
  lstm(
    x: string,
    w: string,
    r: string,
    b: string | undefined,
    hiddenSize: number,
    initial: { h?: string; c?: string } = {},
    out?: readonly [string, string, string],
  ): [string, string, string] {
    const inputs = [x, w, r, b ?? '', '', initial.h ?? '', initial.c ?? ''];
    while (inputs[inputs.length - 1] === '') inputs.pop();
    const [y, yh, yc] = this.node('LSTM', inputs, out ?? 3, {
      hidden_size: hiddenSize,
      direction: 'forward',
    });
    return [y!, yh!, yc!];
  }

  /** The graph IR. */
  build(): Graph {
    return {
      name: this.name,
      inputs: [...this.#inputs],
      outputs: [...this.#outputs],
      initializers: new Map(this.#initializers),
      nodes: [...this.#nodes],
    };
  }

  /** The graph wrapped in a model (opset 17, IR version 8 by default). */
  toModel(options: ToModelOptions = {}): Model {
    const opsetImports: OpsetImport[] = [{ domain: '', version: options.opset ?? 17 }];
    return {
      graph: this.build(),
      opsetImports,
      irVersion: options.irVersion ?? 8,
      producerName: options.producerName ?? '@eou/graph',
      producerVersion: options.producerVersion ?? '',
      metadata: { ...(options.metadata ?? {}) },
      ...(options.docString !== undefined ? { docString: options.docString } : {}),
    };
  }
}
