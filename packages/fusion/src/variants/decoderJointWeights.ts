/**
 * Finds the weights of a decoder / joint_decision pair by following the graphs, not by tensor
 * names: the embedding is the constant a `Gather` indexed by `targets` reads, the LSTM is the one
 * `LSTM` node, and the joint's three linears are the `Gemm`s reached from `encoder_step`,
 * `decoder_step` and their ReLU'd sum. Anything that does not fit this shape is refused with one
 * line naming the file and what was unexpected, so a builder never emits a half-understood graph.
 */
import type { Graph, GraphNode, Model, TensorValue, ValueInfo } from '@eou/graph';
import { FusionError } from '../fusionError';

/** A `Linear` layer in PyTorch layout: `weight` [out, in], `bias` [out] (float16 or float32). */
export interface LinearWeights {
  readonly weight: TensorValue;
  readonly bias: TensorValue;
}

/**
 * Where the source graphs round a value through fp16 (`Cast f16 -> Cast f32`, or a Cast to f16 on
 * the way): part of the model's numerics, kept by the rebuilt variants. The canonical ONNX layout
 * rounds `h`, `c`, `y` and `logits`; a pair converted from a CoreML fp16 program rounds after
 * every op, inputs included.
 */
export interface Fp16RoundingPoints {
  /** `h_in` / `c_in` before the LSTM. */
  readonly hIn: boolean;
  readonly cIn: boolean;
  /** Embedding rows before the LSTM. */
  readonly x: boolean;
  /** LSTM `Y_h` (-> `h_out`). */
  readonly h: boolean;
  /** LSTM `Y_c` (-> `c_out`). */
  readonly c: boolean;
  /** LSTM `Y` (-> `decoder`). */
  readonly y: boolean;
  /** `encoder_step` before the encoder projection. */
  readonly enc: boolean;
  /** `decoder_step` before the prediction projection. */
  readonly dec: boolean;
  /** The encoder projection f. */
  readonly f: boolean;
  /** The prediction projection g. */
  readonly g: boolean;
  /** f + g. */
  readonly sum: boolean;
  /** ReLU(f + g). */
  readonly hidden: boolean;
  /** Joint logits before argmax, softmax and top-k. */
  readonly logits: boolean;
  /** Softmax output before the argmax's probability is taken. */
  readonly probs: boolean;
}

/** Everything the variant builders need from a decoder / joint_decision pair. */
export interface DecoderJointWeights {
  /** V: output classes (= embedding rows). */
  readonly vocabSize: number;
  /** H: LSTM hidden size. */
  readonly hiddenSize: number;
  /** Embedding width (LSTM input size), H for Parakeet. */
  readonly embedDim: number;
  /** E: encoder frame width. */
  readonly encoderDim: number;
  /** J: joint hidden size. */
  readonly jointDim: number;
  /** K of the joint's TopK head, 0 when it has none. */
  readonly topK: number;
  /** Batch dim of `targets` / `encoder_step`: 1, or a symbol such as 'B'. */
  readonly batch: number | string;
  /** Embedding table [V, embedDim]. */
  readonly embedding: TensorValue;
  /** ONNX LSTM weights, gate order i,o,f,c: W [1,4H,embedDim], R [1,4H,H], B [1,8H] (absent = zeros). */
  readonly lstm: { readonly w: TensorValue; readonly r: TensorValue; readonly b: TensorValue | undefined };
  readonly enc: LinearWeights;
  readonly pred: LinearWeights;
  readonly out: LinearWeights;
  readonly rounding: Fp16RoundingPoints;
  /** ai.onnx opset of the decoder (the joint's must match). */
  readonly opset: number;
}

/** Ops a decoder graph may contain. */
const decoderOps = new Set([
  'Cast',
  'Gather',
  'Transpose',
  'Reshape',
  'Squeeze',
  'Unsqueeze',
  'Identity',
  'Constant',
  'LSTM',
]);
/** Ops a joint_decision graph may contain. */
const jointOps = new Set([
  'Cast',
  'Transpose',
  'Reshape',
  'Squeeze',
  'Unsqueeze',
  'Flatten',
  'Identity',
  'Constant',
  'Gemm',
  'Add',
  'Relu',
  'ArgMax',
  'Softmax',
  'GatherElements',
  'TopK',
]);
/** Ops that only move or relabel data: followed through when tracing a value. */
const layoutOps = new Set(['Transpose', 'Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity']);

const FLOAT = 1;
const FLOAT16 = 10;

/** Indexes of a graph: who makes each value, who reads it. */
class GraphIndex {
  readonly producer = new Map<string, GraphNode>();
  readonly consumers = new Map<string, GraphNode[]>();
  constructor(
    readonly graph: Graph,
    readonly file: string,
  ) {
    for (const node of graph.nodes) {
      for (const o of node.outputs) if (o) this.producer.set(o, node);
      for (const i of node.inputs) {
        if (!i) continue;
        const list = this.consumers.get(i) ?? [];
        list.push(node);
        this.consumers.set(i, list);
      }
    }
  }

  fail(message: string, field?: string, code = 'E_UNEXPECTED_GRAPH'): never {
    throw new FusionError(
      `${this.file}: ${message}`,
      code,
      field === undefined ? { file: this.file } : { file: this.file, field },
    );
  }

  input(name: string): ValueInfo {
    const info = this.graph.inputs.find((v) => v.name === name);
    if (!info)
      this.fail(
        `missing input \`${name}\` (inputs: ${this.graph.inputs.map((v) => v.name).join(', ') || 'none'})`,
        name,
        'E_MISSING_TENSOR',
      );
    return info;
  }

  output(name: string): ValueInfo {
    const info = this.graph.outputs.find((v) => v.name === name);
    if (!info)
      this.fail(
        `missing output \`${name}\` (outputs: ${this.graph.outputs.map((v) => v.name).join(', ') || 'none'})`,
        name,
        'E_MISSING_TENSOR',
      );
    return info;
  }

  checkOps(allowed: ReadonlySet<string>): void {
    for (const node of this.graph.nodes) {
      if (node.domain !== '' && node.domain !== 'ai.onnx')
        this.fail(`unexpected op ${node.domain}.${node.opType} (node \`${node.name}\`)`, node.name);
      if (!allowed.has(node.opType))
        this.fail(`unexpected op ${node.opType} (node \`${node.name}\`)`, node.name);
      for (const attr of Object.values(node.attributes)) {
        if (attr.type === 'graph')
          this.fail(`unexpected subgraph in op ${node.opType} (node \`${node.name}\`)`, node.name);
      }
    }
  }

  /** The constant behind a value: an initializer, a Constant node, or either through Cast/Identity. */
  constant(name: string): TensorValue | undefined {
    const init = this.graph.initializers.get(name);
    if (init) return init;
    const node = this.producer.get(name);
    if (!node) return undefined;
    if (node.opType === 'Constant') {
      const v = node.attributes['value'];
      return v?.type === 'tensor' ? v.value : undefined;
    }
    if (node.opType === 'Cast' || node.opType === 'Identity') return this.constant(node.inputs[0] ?? '');
    return undefined;
  }

  /** A float weight, or a one-line refusal naming the tensor. */
  /** The name behind Cast/Identity chains (the initializer a message should name). */
  rootName(name: string): string {
    let cur = name;
    for (
      let node = this.producer.get(cur);
      node && (node.opType === 'Cast' || node.opType === 'Identity');
      node = this.producer.get(cur)
    ) {
      cur = node.inputs[0] ?? '';
    }
    return cur;
  }

  weight(value: string, role: string, dims: readonly number[] | number): TensorValue {
    const name = this.rootName(value);
    const t = this.constant(value);
    if (!t) this.fail(`${role} \`${name}\` is not a constant tensor`, name, 'E_MISSING_TENSOR');
    if (t.dtype !== 'float16' && t.dtype !== 'float32')
      this.fail(`${role} \`${name}\` is ${t.dtype}, expected float16 or float32`, name, 'E_DTYPE');
    const rank = typeof dims === 'number' ? dims : dims.length;
    const bad =
      t.dims.length !== rank || (typeof dims !== 'number' && dims.some((d, k) => d >= 0 && d !== t.dims[k]));
    if (bad) {
      const want =
        typeof dims === 'number' ? `rank ${dims}` : `[${dims.map((d) => (d < 0 ? '?' : d)).join(',')}]`;
      this.fail(`${role} \`${name}\` has shape [${t.dims.join(',')}], expected ${want}`, name, 'E_SHAPE');
    }
    return t;
  }

  /** Walks back from `name` through layout ops and Cast; returns the value where that stops. */
  traceBack(name: string): string {
    return this.walkBack(name).value;
  }

  /** {@link traceBack}, also telling whether a Cast to fp16 was passed (the value was rounded). */
  walkBack(name: string): { value: string; rounded: boolean } {
    let cur = name;
    let rounded = false;
    for (;;) {
      const node = this.producer.get(cur);
      if (!node || !(layoutOps.has(node.opType) || node.opType === 'Cast')) return { value: cur, rounded };
      if (node.opType === 'Cast' && intAttr(node, 'to', 0) === FLOAT16) rounded = true;
      cur = node.inputs[0] ?? '';
    }
  }

  /**
   * Walks forward from `name` through single-consumer layout ops and float Casts. Returns the
   * first other consumer (`node`, read at `value`), or only `value` where the walk fans out or
   * ends, and whether a Cast to fp16 was passed.
   */
  walkForward(name: string): { node: GraphNode | undefined; value: string; rounded: boolean } {
    let cur = name;
    let rounded = false;
    for (;;) {
      const users = this.consumers.get(cur) ?? [];
      if (users.length !== 1) return { node: undefined, value: cur, rounded };
      const node = users[0]!;
      const floatCast = node.opType === 'Cast' && [FLOAT, FLOAT16].includes(intAttr(node, 'to', 0));
      if ((layoutOps.has(node.opType) || floatCast) && node.inputs[0] === cur) {
        if (floatCast && intAttr(node, 'to', 0) === FLOAT16) rounded = true;
        cur = node.outputs[0] ?? '';
        continue;
      }
      return { node, value: cur, rounded };
    }
  }

  /** {@link walkForward} that must end at a consumer node. */
  traceForward(name: string): { node: GraphNode; value: string; rounded: boolean } | undefined {
    const w = this.walkForward(name);
    return w.node ? { node: w.node, value: w.value, rounded: w.rounded } : undefined;
  }
}

function intAttr(node: GraphNode, name: string, fallback: number): number {
  const a = node.attributes[name];
  return a?.type === 'int' ? a.value : fallback;
}

function floatAttr(node: GraphNode, name: string, fallback: number): number {
  const a = node.attributes[name];
  return a?.type === 'float' ? a.value : a?.type === 'int' ? a.value : fallback;
}

function opsetOf(model: Model): number {
  return model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
}

/** Transposes a 2-D [rows, cols] weight to [cols, rows] (exact for any dtype). */
function transpose2d(t: TensorValue): TensorValue {
  const [rows, cols] = t.dims as [number, number];
  const src = t.data as Float32Array | Uint16Array;
  const out = new (src.constructor as new (n: number) => Float32Array | Uint16Array)(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c]!;
  return { dtype: t.dtype, dims: [cols, rows], data: out };
}

/** Reads a joint Gemm fed by `value` at input A: `Y = A · Bᵀ + C` with B [out, in]. */
function linearOf(
  ix: GraphIndex,
  gemm: GraphNode,
  value: string,
  role: string,
  inDim: number,
): LinearWeights & { output: string } {
  if (gemm.opType !== 'Gemm')
    ix.fail(
      `${role}: expected a Gemm to read \`${value}\`, found ${gemm.opType} (node \`${gemm.name}\`)`,
      gemm.name,
    );
  if (gemm.inputs[0] !== value)
    ix.fail(`${role}: \`${value}\` must be input A of Gemm \`${gemm.name}\``, gemm.name);
  if (
    intAttr(gemm, 'transA', 0) !== 0 ||
    floatAttr(gemm, 'alpha', 1) !== 1 ||
    floatAttr(gemm, 'beta', 1) !== 1
  ) {
    ix.fail(`${role}: Gemm \`${gemm.name}\` must have transA 0, alpha 1, beta 1`, gemm.name);
  }
  const transB = intAttr(gemm, 'transB', 0) === 1;
  let weight = ix.weight(gemm.inputs[1] ?? '', `${role} weight`, 2);
  if (!transB) weight = transpose2d(weight);
  if (weight.dims[1] !== inDim) {
    const name = ix.rootName(gemm.inputs[1] ?? '');
    ix.fail(
      `${role} weight \`${name}\` has input size ${weight.dims[1]}, expected ${inDim}`,
      name,
      'E_SHAPE',
    );
  }
  const outDim = weight.dims[0]!;
  if (!gemm.inputs[2]) ix.fail(`${role}: Gemm \`${gemm.name}\` has no bias`, gemm.name, 'E_MISSING_TENSOR');
  const bias = ix.weight(gemm.inputs[2], `${role} bias`, [outDim]);
  return { weight, bias, output: gemm.outputs[0] ?? '' };
}

function staticDim(ix: GraphIndex, info: ValueInfo, axis: number, what: string): number {
  const d = info.shape[axis];
  if (typeof d !== 'number' || d <= 0)
    ix.fail(
      `input \`${info.name}\` ${what} (axis ${axis}) must be a static size, got ${String(d)}`,
      info.name,
      'E_SHAPE',
    );
  return d;
}

/**
 * Extracts the weights and numerics of a decoder / joint_decision pair.
 * @param files paths of the two models, used in error messages.
 * @throws FusionError (`E_UNEXPECTED_GRAPH`, `E_MISSING_TENSOR`, `E_SHAPE`, `E_DTYPE`) with a one-line
 *   reason naming the file and the node or tensor, when the pair is not a decoder/joint of the
 *   canonical shape (docs/onnx-layout.md) or the two do not fit each other.
 */
export function extractDecoderJointWeights(
  decoder: Model,
  joint: Model,
  files: { readonly decoder: string; readonly joint: string },
): DecoderJointWeights {
  // ---- decoder -------------------------------------------------------------------------------
  const d: GraphIndex = new GraphIndex(decoder.graph, files.decoder);
  d.checkOps(decoderOps);
  const targets = d.input('targets');
  if (targets.dtype !== 'int32' && targets.dtype !== 'int64')
    d.fail(`input \`targets\` is ${targets.dtype}, expected int32`, 'targets', 'E_DTYPE');
  const hIn = d.input('h_in');
  const cIn = d.input('c_in');
  d.output('decoder');
  d.output('h_out');
  d.output('c_out');
  const lstms = decoder.graph.nodes.filter((n) => n.opType === 'LSTM');
  if (lstms.length !== 1) d.fail(`expected exactly one LSTM node, found ${lstms.length}`);
  const lstm = lstms[0]!;
  const H = intAttr(lstm, 'hidden_size', 0);
  if (H <= 0) d.fail(`LSTM \`${lstm.name}\` has no hidden_size`, lstm.name);
  const direction = lstm.attributes['direction'];
  if (direction && !(direction.type === 'string' && direction.value === 'forward'))
    d.fail(`LSTM \`${lstm.name}\` must be forward`, lstm.name);
  if (intAttr(lstm, 'layout', 0) !== 0)
    d.fail(`LSTM \`${lstm.name}\` must have layout 0 (sequence-major)`, lstm.name);
  if (intAttr(lstm, 'input_forget', 0) !== 0)
    d.fail(`LSTM \`${lstm.name}\` must have input_forget 0`, lstm.name);
  if (lstm.attributes['clip']) d.fail(`LSTM \`${lstm.name}\` must not clip`, lstm.name);
  const acts = lstm.attributes['activations'];
  if (acts && !(acts.type === 'strings' && acts.value.join(',') === 'Sigmoid,Tanh,Tanh')) {
    d.fail(`LSTM \`${lstm.name}\` activations must be Sigmoid,Tanh,Tanh`, lstm.name);
  }
  if (lstm.inputs[4]) d.fail(`LSTM \`${lstm.name}\` must not take sequence_lens`, lstm.name);
  if (d.traceBack(lstm.inputs[5] ?? '') !== 'h_in')
    d.fail(`LSTM \`${lstm.name}\` initial_h must come from input \`h_in\``, lstm.name);
  if (d.traceBack(lstm.inputs[6] ?? '') !== 'c_in')
    d.fail(`LSTM \`${lstm.name}\` initial_c must come from input \`c_in\``, lstm.name);
  for (const info of [hIn, cIn]) {
    const last = info.shape[info.shape.length - 1];
    if (info.shape.length !== 3 || (typeof last === 'number' && last !== H)) {
      d.fail(
        `input \`${info.name}\` has shape [${info.shape.join(',')}], expected [1,B,${H}] (LSTM hidden_size ${H})`,
        info.name,
        'E_SHAPE',
      );
    }
  }

  // The embedding: the Gather the LSTM input comes from.
  const gather = d.producer.get(d.traceBack(lstm.inputs[0] ?? ''));
  if (!gather || gather.opType !== 'Gather')
    d.fail(`LSTM \`${lstm.name}\` input X must come from a Gather of the embedding`, lstm.name);
  if (intAttr(gather, 'axis', 0) !== 0) d.fail(`Gather \`${gather.name}\` must index axis 0`, gather.name);
  if (d.traceBack(gather.inputs[1] ?? '') !== 'targets')
    d.fail(`Gather \`${gather.name}\` must index input \`targets\``, gather.name);
  const embedding = d.weight(gather.inputs[0] ?? '', 'embedding', 2);
  const [V, embedDim] = embedding.dims as [number, number];
  const w = d.weight(lstm.inputs[1] ?? '', 'LSTM W', [1, 4 * H, embedDim]);
  const r = d.weight(lstm.inputs[2] ?? '', 'LSTM R', [1, 4 * H, H]);
  const b = lstm.inputs[3] ? d.weight(lstm.inputs[3], 'LSTM B', [1, 8 * H]) : undefined;
  const [y, yH, yC] = [lstm.outputs[0] ?? '', lstm.outputs[1] ?? '', lstm.outputs[2] ?? ''];
  const hOutPath = d.walkBack('h_out');
  const cOutPath = d.walkBack('c_out');
  const yPath = d.walkBack('decoder');
  const decoderRounding = {
    hIn: d.walkBack(lstm.inputs[5] ?? '').rounded,
    cIn: d.walkBack(lstm.inputs[6] ?? '').rounded,
    x: d.walkBack(lstm.inputs[0] ?? '').rounded,
    h: hOutPath.rounded,
    c: cOutPath.rounded,
    y: yPath.rounded,
  };
  const decoderOut = d.output('decoder');
  if (decoderOut.shape.length === 3 && typeof decoderOut.shape[1] === 'number' && decoderOut.shape[1] !== H) {
    d.fail(
      `output \`decoder\` has shape [${decoderOut.shape.join(',')}], expected [B,${H},1]`,
      'decoder',
      'E_SHAPE',
    );
  }
  // h_out / c_out must be the LSTM's final states (possibly rounded), `decoder` its output sequence.
  if (hOutPath.value !== yH) d.fail('output `h_out` must be the LSTM Y_h', 'h_out');
  if (cOutPath.value !== yC) d.fail('output `c_out` must be the LSTM Y_c', 'c_out');
  if (yPath.value !== y && yPath.value !== yH) d.fail('output `decoder` must be the LSTM Y', 'decoder');

  // ---- joint ---------------------------------------------------------------------------------
  const j: GraphIndex = new GraphIndex(joint.graph, files.joint);
  j.checkOps(jointOps);
  const encIn = j.input('encoder_step');
  const decIn = j.input('decoder_step');
  for (const name of ['token_id', 'token_prob']) j.output(name);
  if (opsetOf(joint) !== opsetOf(decoder)) {
    j.fail(`ai.onnx opset ${opsetOf(joint)} differs from the decoder's ${opsetOf(decoder)}`, 'opset_import');
  }
  const E = staticDim(j, encIn, 1, 'encoder dim');
  const Hj = staticDim(j, decIn, 1, 'decoder dim');
  if (Hj !== H)
    j.fail(
      `input \`decoder_step\` has decoder dim ${Hj}, expected the decoder's hidden size ${H}`,
      'decoder_step',
      'E_SHAPE',
    );
  const encUse = j.traceForward('encoder_step');
  if (!encUse) j.fail('input `encoder_step` must feed exactly one Gemm (through layout ops)', 'encoder_step');
  const enc = linearOf(j, encUse.node, encUse.value, 'encoder projection', E);
  const decUse = j.traceForward('decoder_step');
  if (!decUse) j.fail('input `decoder_step` must feed exactly one Gemm (through layout ops)', 'decoder_step');
  const pred = linearOf(j, decUse.node, decUse.value, 'prediction projection', H);
  const J = enc.weight.dims[0]!;
  if (pred.weight.dims[0] !== J) {
    j.fail(
      `prediction projection has ${pred.weight.dims[0]} outputs, encoder projection ${J}`,
      decUse.node.name,
      'E_SHAPE',
    );
  }
  const fUse = j.traceForward(enc.output);
  const gUse = j.traceForward(pred.output);
  const add = fUse?.node;
  const addsBoth =
    add &&
    gUse?.node === add &&
    [...add.inputs].sort().join('\n') === [fUse.value, gUse.value].sort().join('\n');
  if (!add || add.opType !== 'Add' || !addsBoth) {
    j.fail(`expected Add(f, g) of the two projections \`${enc.output}\`, \`${pred.output}\``, enc.output);
  }
  const relu = j.traceForward(add.outputs[0] ?? '');
  if (!relu || relu.node.opType !== 'Relu') j.fail(`expected Relu after Add \`${add.name}\``, add.name);
  const outUse = j.traceForward(relu.node.outputs[0] ?? '');
  if (!outUse) j.fail(`expected one Gemm after Relu \`${relu.node.name}\``, relu.node.name);
  const out = linearOf(j, outUse.node, outUse.value, 'output layer', J);
  if (out.weight.dims[0] !== V) {
    j.fail(
      `output layer has ${out.weight.dims[0]} classes, the decoder embedding has ${V} rows`,
      outUse.node.name,
      'E_SHAPE',
    );
  }
  const logits = j.walkForward(out.output);
  const softmax = (j.consumers.get(logits.value) ?? []).find((n) => n.opType === 'Softmax');
  const jointRounding = {
    enc: encUse.rounded,
    dec: decUse.rounded,
    f: fUse.rounded,
    g: gUse.rounded,
    sum: relu.rounded,
    hidden: outUse.rounded,
    logits: logits.rounded,
    probs: softmax ? j.walkForward(softmax.outputs[0] ?? '').rounded : false,
  };
  for (const node of joint.graph.nodes) {
    if (node.opType === 'ArgMax' && intAttr(node, 'select_last_index', 0) !== 0) {
      j.fail(`ArgMax \`${node.name}\` must pick the first maximal index (select_last_index 0)`, node.name);
    }
  }
  const topk = joint.graph.nodes.find((n) => n.opType === 'TopK');
  let K = 0;
  if (topk) {
    const k = j.constant(topk.inputs[1] ?? '');
    if (!k || k.data.length !== 1) j.fail(`TopK \`${topk.name}\` must have a constant k`, topk.name);
    K = Number(k.data[0]);
  }
  const batch = targets.shape[0] ?? 1;
  return {
    vocabSize: V,
    hiddenSize: H,
    embedDim,
    encoderDim: E,
    jointDim: J,
    topK: K,
    batch: typeof batch === 'number' && batch > 0 ? batch : String(batch),
    embedding,
    lstm: { w, r, b },
    enc: { weight: enc.weight, bias: enc.bias },
    pred: { weight: pred.weight, bias: pred.bias },
    out: { weight: out.weight, bias: out.bias },
    rounding: { ...decoderRounding, ...jointRounding },
    opset: opsetOf(decoder),
  };
}
