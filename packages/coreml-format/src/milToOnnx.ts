/**
 * CoreML ML Program -> ONNX graph IR (opset 17), so CoreML graphs run on ONNX Runtime anywhere.
 *
 * Numerics: ONNX Runtime's CPU kernels compute in float32, so every MIL fp16 value is carried as
 * float32 holding fp16-representable values: fp16 weights stay fp16 initializers behind a
 * `Cast(to f32)`, and (with `roundFp16`, the default) each op whose MIL output is fp16 is followed
 * by `Cast(f16) -> Cast(f32)`, which rounds exactly as fp16 storage would. Integer MIL types
 * narrower than 32 bits travel as int32. MIL `lstm` gate blocks (i,f,o,g) are reordered to ONNX
 * (i,o,f,c) and its single bias becomes `B = [bias, zeros]`. An op with no conversion is refused
 * by name.
 */
import type { AttributeInput, DType, GraphNode, Model, TensorValue } from '@eou/graph';
import { float, GraphBuilder } from '@eou/graph';
import { reorderGates } from './lstmLayout';
import { coremlError } from './coremlFormatError';
import type { CoreMLModel } from './coremlModel';
import { milToGraph } from './milGraph';

/** Options of {@link milToOnnx}. */
export interface MilToOnnxOptions {
  /** Round every fp16-typed MIL value through fp16 (default true). */
  readonly roundFp16?: boolean;
  /** Extra ONNX metadata_props. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** MIL ops this converter handles. */
export const MIL_TO_ONNX_OPS: readonly string[] = [
  'abs',
  'add',
  'cast',
  'ceil',
  'clip',
  'concat',
  'conv',
  'equal',
  'exp',
  'expand_dims',
  'floor',
  'floor_div',
  'gather',
  'gather_along_axis',
  'greater',
  'greater_equal',
  'identity',
  'layer_norm',
  'less',
  'less_equal',
  'linear',
  'log',
  'logical_and',
  'logical_not',
  'logical_or',
  'logical_xor',
  'lstm',
  'matmul',
  'maximum',
  'minimum',
  'mul',
  'not_equal',
  'pad',
  'pow',
  'range_1d',
  'real_div',
  'reduce_argmax',
  'reduce_max',
  'reduce_mean',
  'reduce_sum',
  'relu',
  'reshape',
  'select',
  'shape',
  'sigmoid',
  'silu',
  'slice_by_index',
  'softmax',
  'split',
  'sqrt',
  'squeeze',
  'stack',
  'sub',
  'tanh',
  'tile',
  'topk',
  'transpose',
];

type Repr = 'float32' | 'int32' | 'int64' | 'bool' | 'string';

/** Ops whose fp16 output is exact when their floating inputs are fp16 (no rounding needed). */
const EXACT_ON_FP16 = new Set([
  'cast',
  'ceil',
  'floor',
  'maximum',
  'minimum',
  'select',
  'split',
  'stack',
  'tile',
  'clip',
  'concat',
  'expand_dims',
  'gather',
  'gather_along_axis',
  'identity',
  'pad',
  'reduce_max',
  'relu',
  'reshape',
  'slice_by_index',
  'squeeze',
  'topk',
  'transpose',
]);

interface Value {
  readonly onnx: string;
  readonly repr: Repr;
  /** MIL dtype (IR spelling) of the value. */
  readonly dtype: DType;
  /** Dims (-1 = unknown); undefined when even the rank is unknown. */
  readonly shape: readonly number[] | undefined;
}

function reprOf(d: DType): Repr {
  switch (d) {
    case 'float16':
    case 'float32':
    case 'float64':
      return 'float32';
    case 'int64':
      return 'int64';
    case 'bool':
      return 'bool';
    case 'string':
      return 'string';
    default:
      return 'int32';
  }
}

const MIL_CAST_DTYPES: Record<string, DType> = {
  fp16: 'float16',
  fp32: 'float32',
  fp64: 'float64',
  int8: 'int8',
  uint8: 'uint8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  bool: 'bool',
};

function numbers(t: TensorValue): number[] {
  if (t.dtype === 'string') throw new TypeError('numbers: string tensor');
  if (t.dtype === 'int64') return Array.from(t.data as BigInt64Array, Number);
  if (t.dtype === 'float16') return Array.from(t.data as Uint16Array, (b) => fp16ToNumber(b));
  return Array.from(t.data as ArrayLike<number>);
}

function fp16ToNumber(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1;
  const e = (bits >>> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

class Converter {
  readonly b: GraphBuilder;
  readonly values = new Map<string, Value>();
  readonly consts: ReadonlyMap<string, TensorValue>;
  readonly shapes = new Map<string, { dtype: DType; shape: readonly (number | string)[] }>();
  readonly round: boolean;
  /** Graph outputs whose ONNX dtype is not the one their value travels in (fp16, narrow ints). */
  readonly #castOutputs: ReadonlySet<string>;
  constructor(
    readonly file: string,
    name: string,
    mil: Model,
    round: boolean,
  ) {
    this.b = new GraphBuilder(name);
    this.consts = mil.graph.initializers;
    this.round = round;
    for (const v of mil.graph.valueInfo ?? []) this.shapes.set(v.name, v);
    this.#castOutputs = new Set(
      mil.graph.outputs.filter((o) => reprOf(o.dtype) !== o.dtype).map((o) => o.name),
    );
  }

  /**
   * The ONNX name hint of MIL value `mil`: its own name, except for an output that is cast at the
   * end, whose name must stay free for the cast.
   */
  hint(mil: string): string {
    return this.#castOutputs.has(mil) ? `${mil}_value` : mil;
  }

  readonly #nodeNames = new Set<string>();
  /** ONNX node names must be unique; MIL op names need not be (merged programs). */
  nodeName(node: GraphNode): string {
    let n = node.name;
    for (let k = 1; this.#nodeNames.has(n); k++) n = `${node.name}_${k}`;
    this.#nodeNames.add(n);
    return n;
  }

  fail(node: GraphNode, msg: string, code: 'E_CONVERT' | 'E_UNSUPPORTED_OP' = 'E_CONVERT'): never {
    throw coremlError(code, this.file, `op ${node.name}`, msg);
  }

  /** The name bound to `param`, if present. */
  argName(node: GraphNode, param: string): string | undefined {
    const i = node.inputNames!.indexOf(param);
    return i < 0 ? undefined : node.inputs[i];
  }

  /** A const operand's tensor (or undefined when absent). */
  constArg(node: GraphNode, param: string, required = true): TensorValue | undefined {
    const n = this.argName(node, param);
    if (n === undefined) {
      if (required) this.fail(node, `${node.opType} needs argument ${param}`);
      return undefined;
    }
    const t = this.consts.get(n);
    if (t === undefined)
      this.fail(node, `${node.opType} argument ${param} must be a const (got variable ${n})`);
    return t;
  }

  ints(node: GraphNode, param: string): number[] | undefined {
    const t = this.constArg(node, param, false);
    return t === undefined ? undefined : numbers(t);
  }
  int(node: GraphNode, param: string, dflt?: number): number {
    const v = this.ints(node, param);
    if (v === undefined) {
      if (dflt === undefined) this.fail(node, `${node.opType} needs argument ${param}`);
      return dflt;
    }
    return v[0]!;
  }
  bool(node: GraphNode, param: string, dflt: boolean): boolean {
    const v = this.ints(node, param);
    return v === undefined ? dflt : v[0] !== 0;
  }
  str(node: GraphNode, param: string, dflt?: string): string {
    const t = this.constArg(node, param, dflt === undefined);
    if (t === undefined) return dflt!;
    if (t.dtype !== 'string') this.fail(node, `${node.opType} argument ${param} must be a string`);
    return (t.data as string[])[0]!;
  }

  /** The ONNX value of a data operand; consts become initializers on first use. */
  value(node: GraphNode, param: string): Value {
    const n = this.argName(node, param);
    if (n === undefined) this.fail(node, `${node.opType} needs argument ${param}`);
    return this.valueOf(node, n);
  }

  valueOf(node: GraphNode, n: string): Value {
    const have = this.values.get(n);
    if (have) return have;
    const t = this.consts.get(n);
    if (t === undefined) this.fail(node, `uses ${n}, which is not defined`);
    const repr = reprOf(t.dtype);
    let onnx: string;
    const name = this.hint(n);
    if (t.dtype === 'float16') {
      const stored = this.b.initializer(this.b.fresh(name), t);
      onnx = this.b.cast(stored, 'float32', this.b.fresh(`${name}_f32`));
    } else if (t.dtype === repr || t.dtype === 'string') {
      onnx = this.b.initializer(this.b.fresh(name), t);
    } else {
      const data = repr === 'float32' ? Float32Array.from(numbers(t)) : Int32Array.from(numbers(t));
      onnx = this.b.initializer(this.b.fresh(name), { dtype: repr, dims: [...t.dims], data });
    }
    const v: Value = { onnx, repr, dtype: t.dtype, shape: t.dims };
    this.values.set(n, v);
    return v;
  }

  /**
   * Whether output `i` of `node` must be rounded to fp16: it is fp16-typed and the op is not
   * exact on fp16 inputs (layout ops, relu, clip, gathers and casts from fp16 only move or select
   * fp16-representable values, so rounding them again would be a no-op).
   */
  rounds(node: GraphNode, i = 0): boolean {
    if (!this.round || this.shapes.get(node.outputs[i]!)?.dtype !== 'float16') return false;
    if (!EXACT_ON_FP16.has(node.opType)) return true;
    return node.inputs.some((n) => {
      const dtype = this.values.get(n)?.dtype ?? this.consts.get(n)?.dtype;
      return dtype !== undefined && reprOf(dtype) === 'float32' && dtype !== 'float16';
    });
  }

  /** Registers MIL output `i` of `node` as ONNX value `raw`, rounding fp16 outputs when needed. */
  define(node: GraphNode, i: number, raw: string): void {
    const mil = node.outputs[i]!;
    const info = this.shapes.get(mil);
    const dtype = info?.dtype ?? 'float32';
    const onnx = this.rounds(node, i) ? this.b.roundFp16(raw, this.b.fresh(this.hint(mil))) : raw;
    this.values.set(mil, {
      onnx,
      repr: reprOf(dtype),
      dtype,
      shape: info?.shape.map((d) => (typeof d === 'number' ? d : -1)),
    });
  }

  out(node: GraphNode, i = 0): string {
    const mil = node.outputs[i]!;
    return this.b.fresh(this.rounds(node, i) ? `${mil}_raw` : this.hint(mil));
  }

  one(node: GraphNode, opType: string, inputs: string[], attrs: Record<string, AttributeInput> = {}): void {
    const [o] = this.b.node(opType, inputs, [this.out(node)], attrs, this.nodeName(node));
    this.define(node, 0, o!);
  }

  outputShape(node: GraphNode, i = 0): number[] {
    const s = this.shapes.get(node.outputs[i]!)?.shape;
    if (s === undefined || s.some((d) => typeof d !== 'number' || d < 0))
      this.fail(node, `${node.opType} needs a static output shape`);
    return s as number[];
  }

  convert(node: GraphNode): void {
    const unary: Record<string, string> = {
      relu: 'Relu',
      sigmoid: 'Sigmoid',
      sqrt: 'Sqrt',
      tanh: 'Tanh',
      exp: 'Exp',
      log: 'Log',
      abs: 'Abs',
      identity: 'Identity',
      floor: 'Floor',
      ceil: 'Ceil',
      logical_not: 'Not',
    };
    const binary: Record<string, string> = {
      add: 'Add',
      sub: 'Sub',
      mul: 'Mul',
      real_div: 'Div',
      pow: 'Pow',
      maximum: 'Max',
      minimum: 'Min',
      logical_and: 'And',
      logical_or: 'Or',
      logical_xor: 'Xor',
      less: 'Less',
      less_equal: 'LessOrEqual',
      greater: 'Greater',
      greater_equal: 'GreaterOrEqual',
      equal: 'Equal',
    };
    const op = node.opType;
    if (unary[op]) return this.one(node, unary[op], [this.value(node, 'x').onnx]);
    if (binary[op])
      return this.one(node, binary[op], [this.value(node, 'x').onnx, this.value(node, 'y').onnx]);
    switch (op) {
      case 'cast': {
        const to = MIL_CAST_DTYPES[this.str(node, 'dtype')];
        if (to === undefined) this.fail(node, `cast to ${this.str(node, 'dtype')} is not supported`);
        const x = this.value(node, 'x');
        const repr = reprOf(to);
        // same representation: no node (the value is aliased, or rounded when it narrows to fp16)
        const raw = repr === x.repr ? x.onnx : this.b.cast(x.onnx, repr, this.out(node));
        return this.define(node, 0, raw);
      }
      case 'transpose': {
        // MIL allows negative perm entries; ONNX does not
        const perm = this.ints(node, 'perm')!;
        return this.one(node, 'Transpose', [this.value(node, 'x').onnx], {
          perm: perm.map((p) => (p < 0 ? p + perm.length : p)),
        });
      }
      case 'squeeze': {
        const axes = this.ints(node, 'axes');
        const x = this.value(node, 'x').onnx;
        return this.one(
          node,
          'Squeeze',
          axes === undefined ? [x] : [x, this.b.constI64(this.b.fresh(`${node.name}_axes`), axes)],
        );
      }
      case 'expand_dims':
        return this.one(node, 'Unsqueeze', [
          this.value(node, 'x').onnx,
          this.b.constI64(this.b.fresh(`${node.name}_axes`), this.ints(node, 'axes')!),
        ]);
      case 'reshape':
        return this.one(node, 'Reshape', [
          this.value(node, 'x').onnx,
          this.b.constI64(this.b.fresh(`${node.name}_shape`), this.ints(node, 'shape')!),
        ]);
      case 'gather': {
        if (this.int(node, 'batch_dims', 0) !== 0)
          this.fail(node, 'gather with batch_dims != 0 is not supported');
        return this.one(node, 'Gather', [this.value(node, 'x').onnx, this.value(node, 'indices').onnx], {
          axis: this.int(node, 'axis', 0),
        });
      }
      case 'gather_along_axis':
        return this.one(
          node,
          'GatherElements',
          [this.value(node, 'x').onnx, this.value(node, 'indices').onnx],
          { axis: this.int(node, 'axis', 0) },
        );
      case 'softmax':
        return this.one(node, 'Softmax', [this.value(node, 'x').onnx], { axis: this.int(node, 'axis', -1) });
      case 'concat': {
        if (this.bool(node, 'interleave', false))
          this.fail(node, 'concat with interleave = true is not supported');
        const xs = node.inputs
          .filter((_, i) => node.inputNames![i] === 'values')
          .map((n) => this.valueOf(node, n).onnx);
        return this.one(node, 'Concat', xs, { axis: this.int(node, 'axis') });
      }
      case 'clip': {
        const x = this.value(node, 'x').onnx;
        return this.one(node, 'Clip', [x, this.value(node, 'alpha').onnx, this.value(node, 'beta').onnx]);
      }
      case 'reduce_argmax': {
        const am = this.b.argMax(this.value(node, 'x').onnx, {
          axis: this.int(node, 'axis', -1),
          keepdims: this.bool(node, 'keep_dims', false),
        });
        return this.define(node, 0, this.b.cast(am, 'int32', this.out(node)));
      }
      case 'reduce_mean':
      case 'reduce_sum':
      case 'reduce_max': {
        const axes = this.ints(node, 'axes');
        const keep = this.bool(node, 'keep_dims', false) ? 1 : 0;
        const x = this.value(node, 'x').onnx;
        if (op === 'reduce_sum') {
          return this.one(
            node,
            'ReduceSum',
            axes === undefined ? [x] : [x, this.b.constI64(this.b.fresh(`${node.name}_axes`), axes)],
            { keepdims: keep },
          );
        }
        return this.one(
          node,
          op === 'reduce_mean' ? 'ReduceMean' : 'ReduceMax',
          [x],
          axes === undefined ? { keepdims: keep } : { axes, keepdims: keep },
        );
      }
      case 'topk': {
        if (!this.bool(node, 'return_indices', true))
          this.fail(node, 'topk without indices is not supported');
        const k = this.int(node, 'k', 1);
        const [v, i] = this.b.topK(this.value(node, 'x').onnx, k, {
          axis: this.int(node, 'axis', -1),
          largest: !this.bool(node, 'ascending', false),
          sorted: this.bool(node, 'sort', true),
        });
        this.define(node, 0, this.b.identity(v, this.out(node, 0)));
        return this.define(node, 1, this.b.cast(i, 'int32', this.out(node, 1)));
      }
      case 'not_equal': {
        const eq = this.b.node('Equal', [this.value(node, 'x').onnx, this.value(node, 'y').onnx], 1)[0]!;
        return this.one(node, 'Not', [eq]);
      }
      case 'silu': {
        const x = this.value(node, 'x').onnx;
        return this.one(node, 'Mul', [x, this.b.node('Sigmoid', [x], 1)[0]!]);
      }
      case 'select':
        return this.one(node, 'Where', [
          this.value(node, 'cond').onnx,
          this.value(node, 'a').onnx,
          this.value(node, 'b').onnx,
        ]);
      case 'floor_div': {
        const x = this.value(node, 'x');
        const y = this.value(node, 'y');
        if (x.repr === 'float32')
          return this.one(node, 'Floor', [this.b.node('Div', [x.onnx, y.onnx], 1)[0]!]);
        // integer floor division, exact for |values| < 2^24: ONNX integer Div truncates toward zero
        const q = this.b.node('Div', [this.b.cast(x.onnx, 'float32'), this.b.cast(y.onnx, 'float32')], 1)[0]!;
        const raw = this.b.cast(this.b.node('Floor', [q], 1)[0]!, x.repr, this.out(node));
        return this.define(node, 0, raw);
      }
      case 'tile':
        return this.one(node, 'Tile', [
          this.value(node, 'x').onnx,
          this.b.constI64(this.b.fresh(`${node.name}_reps`), this.ints(node, 'reps')!),
        ]);
      case 'stack': {
        const axis = this.int(node, 'axis', 0);
        const xs = node.inputs
          .filter((_, i) => node.inputNames![i] === 'values')
          .map((n) => this.b.unsqueeze(this.valueOf(node, n).onnx, [axis]));
        return this.one(node, 'Concat', xs, { axis });
      }
      case 'split':
        return this.split(node);
      case 'shape': {
        const raw = this.b.cast(
          this.b.node('Shape', [this.value(node, 'x').onnx], 1)[0]!,
          'int32',
          this.out(node),
        );
        return this.define(node, 0, raw);
      }
      case 'range_1d':
        return this.one(node, 'Range', [
          this.value(node, 'start').onnx,
          this.value(node, 'end').onnx,
          this.value(node, 'step').onnx,
        ]);
      case 'layer_norm':
        return this.layerNorm(node);
      case 'linear':
        return this.linear(node);
      case 'matmul':
        return this.matmul(node);
      case 'lstm':
        return this.lstm(node);
      case 'conv':
        return this.conv(node);
      case 'pad':
        return this.pad(node);
      case 'slice_by_index':
        return this.slice(node);
      default:
        return this.fail(
          node,
          `MIL op '${op}' has no ONNX conversion (supported: ${MIL_TO_ONNX_OPS.join(', ')})`,
          'E_UNSUPPORTED_OP',
        );
    }
  }

  /** linear = Reshape to [N, in] -> Gemm(transB) -> Reshape back: the layout of the canonical ONNX joint. */
  linear(node: GraphNode): void {
    const x = this.value(node, 'x');
    const w = this.value(node, 'weight');
    const wShape = this.consts.get(this.argName(node, 'weight')!)?.dims;
    if (wShape === undefined || wShape.length !== 2)
      this.fail(node, 'linear weight must be a const [out, in]');
    const [outDim, inDim] = wShape as [number, number];
    const bias = this.argName(node, 'bias') !== undefined ? this.value(node, 'bias').onnx : undefined;
    const outShape = this.outputShape(node);
    const flat = outShape.length === 2 ? x.onnx : this.b.reshape(x.onnx, [-1, inDim]);
    const y = this.b.gemm(
      flat,
      w.onnx,
      bias,
      { transB: true },
      outShape.length === 2 ? this.out(node) : undefined,
    );
    if (outShape.length === 2) return this.define(node, 0, y);
    if (outShape.at(-1) !== outDim)
      this.fail(node, `linear output must end in ${outDim}, got [${outShape.join(', ')}]`);
    this.define(node, 0, this.b.reshape(y, outShape, this.out(node)));
  }

  split(node: GraphNode): void {
    const x = this.value(node, 'x');
    const rank = x.shape?.length;
    let axis = this.int(node, 'axis');
    if (axis < 0 && rank !== undefined) axis += rank;
    const sizes =
      this.ints(node, 'split_sizes') ?? node.outputs.map((_, i) => this.outputShape(node, i)[axis]!);
    const outs = node.outputs.map((_, i) => this.out(node, i));
    const got = this.b.node(
      'Split',
      [x.onnx, this.b.constI64(this.b.fresh(`${node.name}_split`), sizes)],
      outs,
      { axis },
      this.nodeName(node),
    );
    got.forEach((o, i) => this.define(node, i, o));
  }

  /** MIL layer_norm over trailing `axes` = ONNX LayerNormalization(axis = first of them). */
  layerNorm(node: GraphNode): void {
    const x = this.value(node, 'x');
    const rank = x.shape?.length;
    if (rank === undefined) this.fail(node, 'layer_norm needs an input of known rank');
    const axes = (this.ints(node, 'axes') ?? [rank - 1])
      .map((a) => (a < 0 ? a + rank : a))
      .sort((a, b) => a - b);
    if (axes.some((a, i) => a !== rank - axes.length + i))
      this.fail(
        node,
        `layer_norm over axes [${axes.join(', ')}] is not trailing; only trailing axes convert`,
      );
    const normShape = axes.map((a) => x.shape![a]!);
    const needDefaults =
      this.argName(node, 'gamma') === undefined || this.argName(node, 'beta') === undefined;
    if (needDefaults && normShape.some((d) => d < 0))
      this.fail(node, 'layer_norm without gamma/beta needs static normalized dims');
    const ones = (hint: string, v: number) =>
      this.b.initializer(this.b.fresh(`${node.name}_${hint}`), {
        dtype: 'float32',
        dims: normShape,
        data: new Float32Array(normShape.reduce((p, d) => p * d, 1)).fill(v),
      });
    const gamma =
      this.argName(node, 'gamma') !== undefined ? this.value(node, 'gamma').onnx : ones('gamma', 1);
    const beta = this.argName(node, 'beta') !== undefined ? this.value(node, 'beta').onnx : ones('beta', 0);
    const eps = this.constArg(node, 'epsilon', false);
    this.one(node, 'LayerNormalization', [x.onnx, gamma, beta], {
      axis: axes[0]!,
      ...(eps !== undefined ? { epsilon: float(numbers(eps)[0]!) } : {}),
    });
  }

  matmul(node: GraphNode): void {
    const swap = (v: Value, flag: string): string => {
      if (!this.bool(node, flag, false)) return v.onnx;
      const rank = v.shape?.length;
      if (rank === undefined || rank < 2)
        this.fail(node, `matmul ${flag} needs an operand of known rank >= 2`);
      const perm = Array.from({ length: rank }, (_, i) => i);
      [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
      return this.b.transpose(v.onnx, perm);
    };
    this.one(node, 'MatMul', [
      swap(this.value(node, 'x'), 'transpose_x'),
      swap(this.value(node, 'y'), 'transpose_y'),
    ]);
  }

  lstm(node: GraphNode): void {
    if (this.str(node, 'direction', 'forward') !== 'forward')
      this.fail(node, `lstm direction ${this.str(node, 'direction')} is not supported (forward only)`);
    if (this.argName(node, 'peephole') !== undefined)
      this.fail(node, 'lstm with peephole weights is not supported');
    const acts = ['recurrent_activation', 'cell_activation', 'activation'].map((p, i) =>
      this.str(node, p, i === 0 ? 'sigmoid' : 'tanh'),
    );
    const onnxAct: Record<string, string> = {
      sigmoid: 'Sigmoid',
      tanh: 'Tanh',
      relu: 'Relu',
      linear: 'Affine',
    };
    if (acts.some((a) => onnxAct[a] === undefined))
      this.fail(node, `lstm activations ${acts.join('/')} are not supported`);
    const wih = this.constArg(node, 'weight_ih')!;
    const whh = this.constArg(node, 'weight_hh')!;
    const H = whh.dims[1]!;
    const I = wih.dims[1]!;
    if (wih.dims[0] !== 4 * H || whh.dims[0] !== 4 * H)
      this.fail(
        node,
        `lstm weights must be [4H, I] and [4H, H], got [${wih.dims.join(', ')}] and [${whh.dims.join(', ')}]`,
      );
    const gates = (t: TensorValue, dims: number[], hint: string): string => {
      if (t.dtype !== 'float16' && t.dtype !== 'float32')
        this.fail(node, `lstm ${hint} must be fp16 or fp32, got ${t.dtype}`);
      const data = reorderGates(t.data as Float32Array | Uint16Array, H, 'coreml', 'onnx');
      const name = this.b.initializer(this.b.fresh(`${node.name}_${hint}`), {
        dtype: t.dtype,
        dims,
        data,
      });
      return t.dtype === 'float16' ? this.b.cast(name, 'float32') : name;
    };
    const W = gates(wih, [1, 4 * H, I], 'W');
    const R = gates(whh, [1, 4 * H, H], 'R');
    let B = '';
    const bias = this.constArg(node, 'bias', false);
    if (bias !== undefined) {
      if (bias.dtype !== 'float16' && bias.dtype !== 'float32')
        this.fail(node, `lstm bias must be fp16 or fp32, got ${bias.dtype}`);
      const sum = reorderGates(bias.data as Float32Array | Uint16Array, H, 'coreml', 'onnx');
      const full = bias.dtype === 'float16' ? new Uint16Array(8 * H) : new Float32Array(8 * H);
      full.set(sum, 0); // Wb = the combined bias, Rb = 0: exact for inference
      const name = this.b.initializer(this.b.fresh(`${node.name}_B`), {
        dtype: bias.dtype,
        dims: [1, 8 * H],
        data: full,
      });
      B = bias.dtype === 'float16' ? this.b.cast(name, 'float32') : name;
    }
    const h0 = this.b.unsqueeze(this.value(node, 'initial_h').onnx, [0]);
    const c0 = this.b.unsqueeze(this.value(node, 'initial_c').onnx, [0]);
    const attrs: Record<string, number | string | readonly string[]> = {
      hidden_size: H,
      direction: 'forward',
      activations: acts.map((a) => onnxAct[a]!),
    };
    const clip = this.constArg(node, 'clip', false);
    if (clip !== undefined) this.fail(node, 'lstm clip is not supported');
    const [y, yh, yc] = this.b.node(
      'LSTM',
      [this.value(node, 'x').onnx, W, R, B, '', h0, c0],
      3,
      attrs,
      node.name,
    );
    const seq = this.bool(node, 'output_sequence', false);
    this.define(node, 0, this.b.squeeze(seq ? y! : yh!, seq ? [1] : [], this.out(node, 0)));
    this.define(node, 1, this.b.squeeze(yh!, [0], this.out(node, 1)));
    this.define(node, 2, this.b.squeeze(yc!, [0], this.out(node, 2)));
  }

  conv(node: GraphNode): void {
    const x = this.value(node, 'x').onnx;
    const wt = this.constArg(node, 'weight')!;
    const w = this.value(node, 'weight').onnx;
    const spatial = wt.dims.length - 2;
    const inputs = [x, w];
    if (this.argName(node, 'bias') !== undefined) inputs.push(this.value(node, 'bias').onnx);
    const padType = this.str(node, 'pad_type', 'valid');
    const attrs: Record<string, number | string | readonly number[]> = {
      strides: this.ints(node, 'strides') ?? Array(spatial).fill(1),
      dilations: this.ints(node, 'dilations') ?? Array(spatial).fill(1),
      group: this.int(node, 'groups', 1),
    };
    if (padType === 'custom') {
      const p = this.ints(node, 'pad') ?? Array(2 * spatial).fill(0);
      // MIL: [begin_0, end_0, begin_1, end_1, ...]; ONNX: [begin_0, begin_1, ..., end_0, end_1, ...]
      attrs.pads = [...p.filter((_, i) => i % 2 === 0), ...p.filter((_, i) => i % 2 === 1)];
    } else if (padType === 'same') attrs.auto_pad = 'SAME_UPPER';
    else if (padType === 'same_lower') attrs.auto_pad = 'SAME_LOWER';
    else if (padType !== 'valid') this.fail(node, `conv pad_type ${padType} is not supported`);
    this.one(node, 'Conv', inputs, attrs);
  }

  pad(node: GraphNode): void {
    const x = this.value(node, 'x');
    const rank = x.shape?.length;
    if (rank === undefined) this.fail(node, 'pad needs an input of known rank');
    const p = this.ints(node, 'pad')!;
    const n = p.length / 2;
    const begins = Array<number>(rank).fill(0);
    const ends = Array<number>(rank).fill(0);
    for (let i = 0; i < n; i++) {
      begins[rank - n + i] = p[2 * i]!;
      ends[rank - n + i] = p[2 * i + 1]!;
    }
    const mode = this.str(node, 'mode', 'constant');
    if (!['constant', 'reflect', 'replicate'].includes(mode))
      this.fail(node, `pad mode ${mode} is not supported`);
    const inputs = [x.onnx, this.b.constI64(this.b.fresh(`${node.name}_pads`), [...begins, ...ends])];
    if (mode === 'constant' && this.argName(node, 'constant_val') !== undefined)
      inputs.push(this.value(node, 'constant_val').onnx);
    this.one(node, 'Pad', inputs, { mode: mode === 'replicate' ? 'edge' : mode });
  }

  slice(node: GraphNode): void {
    const x = this.value(node, 'x');
    const rank = x.shape?.length;
    if (rank === undefined) this.fail(node, 'slice_by_index needs an input of known rank');
    const begin = this.ints(node, 'begin')!;
    const end = this.ints(node, 'end')!;
    const stride = this.ints(node, 'stride') ?? Array(rank).fill(1);
    const bm = this.ints(node, 'begin_mask') ?? Array(rank).fill(0);
    const em = this.ints(node, 'end_mask') ?? Array(rank).fill(0);
    const sm = this.ints(node, 'squeeze_mask') ?? Array(rank).fill(0);
    const BIG = 2 ** 31 - 1;
    const starts = begin.map((v, i) => (bm[i] ? (stride[i]! > 0 ? 0 : -1) : v));
    const ends = end.map((v, i) =>
      em[i] ? (stride[i]! > 0 ? BIG : -BIG) : sm[i] ? (starts[i] === -1 ? BIG : starts[i]! + 1) : v,
    );
    const axes = Array.from({ length: rank }, (_, i) => i);
    const inputs = [
      x.onnx,
      this.b.constI64(this.b.fresh(`${node.name}_starts`), starts),
      this.b.constI64(this.b.fresh(`${node.name}_ends`), ends),
      this.b.constI64(this.b.fresh(`${node.name}_axes`), axes),
      this.b.constI64(this.b.fresh(`${node.name}_steps`), stride),
    ];
    const squeeze = axes.filter((i) => sm[i]);
    if (squeeze.length === 0) return this.one(node, 'Slice', inputs);
    const [s] = this.b.node('Slice', inputs, 1, {}, this.nodeName(node));
    this.define(node, 0, this.b.squeeze(s!, squeeze, this.out(node)));
  }
}

/**
 * Converts a CoreML ML Program (its `main` function) to an ONNX model (opset 17, IR 8). Graph
 * inputs/outputs keep the CoreML names, dtypes and shapes.
 * @throws {CoreMLFormatError} E_UNSUPPORTED_OP naming the file and op for an op with no conversion,
 *   E_CONVERT when an op's operands are not what the conversion handles.
 */
export function milToOnnx(model: CoreMLModel, options: MilToOnnxOptions = {}): Model {
  const file = model.path || 'model';
  const mil = milToGraph(model);
  const c = new Converter(file, mil.graph.name, mil, options.roundFp16 ?? true);
  for (const i of mil.graph.inputs) {
    const onnx = c.b.input(i.name, i.dtype, i.shape);
    const repr = reprOf(i.dtype);
    const name = repr === i.dtype ? onnx : c.b.cast(onnx, repr);
    c.values.set(i.name, {
      onnx: name,
      repr,
      dtype: i.dtype,
      shape: i.shape.map((d) => (typeof d === 'number' ? d : -1)),
    });
  }
  for (const node of mil.graph.nodes) c.convert(node);
  for (const o of mil.graph.outputs) {
    const v =
      c.values.get(o.name) ?? (c.consts.has(o.name) ? c.valueOf(mil.graph.nodes[0]!, o.name) : undefined);
    if (v === undefined)
      throw coremlError('E_CONVERT', file, `output ${o.name}`, 'the output is not produced');
    const want = o.dtype;
    const final = want === v.repr ? v.onnx : c.b.cast(v.onnx, want);
    const named =
      final === o.name ? final : c.b.identity(final, o.name === final ? undefined : c.b.fresh(o.name));
    if (named !== o.name)
      throw coremlError('E_CONVERT', file, `output ${o.name}`, 'output name collides with an internal value');
    c.b.output(named, want, o.shape);
  }
  const md = model.description.metadata;
  return c.b.toModel({
    producerName: '@eou/coreml-format milToOnnx',
    metadata: {
      'eou.producer': `@eou/coreml-format milToOnnx from ${model.format}`,
      ...(md.author ? { 'coreml.author': md.author } : {}),
      ...(md.shortDescription ? { 'coreml.shortDescription': md.shortDescription } : {}),
      ...(options.metadata ?? {}),
    },
  });
}
