/**
 * MIL builds of the fused decoder+joint variants, written as `.mlpackage` (iOS17 ML Programs):
 *
 * - `lean` (seed §3.1): one program whose ops follow the seed's order — embedding gather, LSTM,
 *   h/c outputs, encoder projection, prediction projection straight from the LSTM output (the
 *   decoder->joint transpose/cast boundary is elided), ReLU(add), output layer, argmax, softmax
 *   probability of the argmax; `withTopK` adds the sorted top-k head (seed §3.2).
 * - `pipeline`: the shipped decoder's and joint's operations in one program, the decoder's
 *   `decoder` output feeding the joint's `decoder_step` (same ops, so bit-identical decisions).
 *
 * Each package's user-defined metadata says what built it from which inputs (paths and SHA-256
 * of their files).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TensorValue } from '../graph';
import { version } from '../version';
import type { CoreMLModel, FeatureDescription, ModelDescription } from './coremlModel';
import { mainFunction } from './coremlModel';
import type {
  MilArgument,
  MilDType,
  MilFunction,
  MilNamedType,
  MilOperation,
  MilProgram,
  MilTensorType,
  MilValue,
} from './milProgram';
import { milString, milStringAttribute } from './milProgram';
import type { MilDecoderJointWeights } from './milWeights';
import { milDecoderJointWeights } from './milWeights';

/** A small MIL function builder: typed vars, const ops with `name`/`val`, ops with keyword args. */
class MilBuilder {
  readonly ops: MilOperation[] = [];
  readonly #names = new Set<string>();

  fresh(hint: string): string {
    let n = hint;
    for (let k = 1; this.#names.has(n); k++) n = `${hint}_${k}`;
    this.#names.add(n);
    return n;
  }

  reserve(name: string): string {
    this.#names.add(name);
    return name;
  }

  #const(hint: string, value: MilValue): string {
    const name = this.fresh(hint);
    this.ops.push({
      type: 'const',
      inputs: [],
      outputs: [{ name, type: value.type }],
      attributes: [
        { name: 'name', value: milString(name) },
        { name: 'val', value },
      ],
    });
    return name;
  }

  /** A weight const stored in the blob file. */
  weight(hint: string, t: TensorValue): string {
    const type: MilTensorType = {
      kind: 'tensor',
      dtype: t.dtype === 'float16' ? 'fp16' : 'fp32',
      shape: [...t.dims],
    };
    return this.#const(hint, {
      kind: 'blob',
      type,
      path: '@model_path/weights/weight.bin',
      offset: 0,
      data: t,
    });
  }

  ints(hint: string, values: readonly number[], scalar = false): string {
    const type: MilTensorType = { kind: 'tensor', dtype: 'int32', shape: scalar ? [] : [values.length] };
    return this.#const(hint, {
      kind: 'tensor',
      type,
      data: { dtype: 'int32', dims: scalar ? [] : [values.length], data: Int32Array.from(values) },
    });
  }

  bool(hint: string, v: boolean): string {
    const type: MilTensorType = { kind: 'tensor', dtype: 'bool', shape: [] };
    return this.#const(hint, {
      kind: 'tensor',
      type,
      data: { dtype: 'bool', dims: [], data: Uint8Array.of(v ? 1 : 0) },
    });
  }

  str(hint: string, s: string): string {
    return this.#const(hint, milString(s));
  }

  /** Adds an op; `outs` are [name, dtype, shape]; returns the output names. */
  op(
    type: string,
    args: Record<string, string | readonly string[]>,
    outs: readonly (readonly [string, MilDType, readonly number[]])[],
  ): string[] {
    const inputs: MilArgument[] = Object.keys(args)
      .sort()
      .map((param) => {
        const a = args[param]!;
        const names = typeof a === 'string' ? [a] : [...a];
        return {
          param,
          bindings: names.map((name) => ({ kind: 'name' as const, name })),
          tuple: typeof a !== 'string',
        };
      });
    const outputs: MilNamedType[] = outs.map(([hint, dtype, shape]) => ({
      name: this.fresh(hint),
      type: { kind: 'tensor', dtype, shape: [...shape] },
    }));
    this.ops.push({
      type,
      inputs,
      outputs,
      attributes: [{ name: 'name', value: milString(outputs[0]!.name) }],
    });
    return outputs.map((o) => o.name);
  }

  one(
    type: string,
    args: Record<string, string | readonly string[]>,
    out: string,
    dtype: MilDType,
    shape: readonly number[],
  ): string {
    return this.op(type, args, [[out, dtype, shape]])[0]!;
  }
}

/** What built a package, from which input files (path relative to the input model -> sha256). */
export interface BuildProvenance {
  readonly builder: string;
  readonly inputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

function fileHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  if (dir !== '') walk(dir);
  return out;
}

function provenanceMetadata(
  variant: string,
  decoder: CoreMLModel,
  joint: CoreMLModel,
): Record<string, string> {
  const prov: BuildProvenance = {
    builder: `@eou/fusion ${version} milVariants ${variant}`,
    inputs: {
      [decoder.path || 'decoder']: fileHashes(decoder.path),
      [joint.path || 'joint_decision']: fileHashes(joint.path),
    },
  };
  return {
    'eou.kind': 'fused',
    'eou.variant': variant,
    'eou.producer': prov.builder,
    'eou.inputs': JSON.stringify(prov.inputs),
  };
}

function feature(name: string, dataType: 'float32' | 'int32', shape: number[]) {
  return { name, type: { kind: 'multiArray' as const, shape, dataType } };
}

/** Options of {@link buildLeanMlProgram}. */
export interface LeanMlProgramOptions {
  /** Add the sorted top-k head (`top_k_ids`, `top_k_logits`), seed `--with-topk`. */
  readonly withTopK?: boolean;
  /** K of the head; default min(64, V). */
  readonly topK?: number;
}

/**
 * The lean fused ML Program from the weights of a decoder/joint pair (seed §3.1, ops in order).
 * @returns a model ready for {@link writeMlpackage}.
 */
export function buildLeanMlProgram(
  w: MilDecoderJointWeights,
  options: LeanMlProgramOptions = {},
  metadata: Readonly<Record<string, string>> = {},
): Pick<CoreMLModel, 'specificationVersion' | 'description' | 'program'> {
  const { vocabSize: V, hiddenSize: H, encoderDim: E, jointDim: J } = w;
  const K = options.topK ?? Math.min(64, V);
  const b = new MilBuilder();
  for (const n of [
    'targets',
    'h_in',
    'c_in',
    'encoder_step',
    'token_id',
    'token_prob',
    'h_out',
    'c_out',
    'top_k_ids',
    'top_k_logits',
  ])
    b.reserve(n);
  // 1. embedding: cast -> gather -> transpose to sequence-major [U=1, B=1, H]
  const embed = b.weight('embed_weight_to_fp16', w.embed);
  const tgt16 = b.one(
    'cast',
    { dtype: b.str('targets_to_int16_dtype', 'int16'), x: 'targets' },
    'targets_to_int16',
    'int16',
    [1, 1],
  );
  const emb = b.one(
    'gather',
    {
      axis: b.ints('embed_axis', [0], true),
      batch_dims: b.ints('embed_batch_dims', [0], true),
      indices: tgt16,
      validate_indices: b.bool('embed_validate_indices', false),
      x: embed,
    },
    'embedded',
    'fp16',
    [1, 1, H],
  );
  const x = b.one('transpose', { perm: b.ints('lstm_x_perm', [1, 0, 2]), x: emb }, 'lstm_x', 'fp16', [
    1,
    1,
    H,
  ]);
  // 2. state in: cast fp16, squeeze axis 0
  const state = (input: string, tag: string) => {
    const c16 = b.one(
      'cast',
      { dtype: b.str(`${tag}_to_fp16_dtype`, 'fp16'), x: input },
      `${tag}_to_fp16`,
      'fp16',
      [1, 1, H],
    );
    return b.one('squeeze', { axes: b.ints(`${tag}_squeeze_axes`, [0]), x: c16 }, `${tag}_squeezed`, 'fp16', [
      1,
      H,
    ]);
  };
  const h0 = state('h_in', 'h_in');
  const c0 = state('c_in', 'c_in');
  // 3. LSTM (gate rows i,f,o,g; one combined bias)
  const [lstmOut, lstmH, lstmC] = b.op(
    'lstm',
    {
      activation: b.str('lstm_activation', 'tanh'),
      bias: b.weight('lstm_bias_to_fp16', w.bias),
      cell_activation: b.str('lstm_cell_activation', 'tanh'),
      direction: b.str('lstm_direction', 'forward'),
      initial_c: c0,
      initial_h: h0,
      output_sequence: b.bool('lstm_output_sequence', true),
      recurrent_activation: b.str('lstm_recurrent_activation', 'sigmoid'),
      weight_hh: b.weight('lstm_weight_hh_to_fp16', w.weightHh),
      weight_ih: b.weight('lstm_weight_ih_to_fp16', w.weightIh),
      x,
    },
    [
      ['lstm_out', 'fp16', [1, 1, H]],
      ['lstm_h', 'fp16', [1, H]],
      ['lstm_c', 'fp16', [1, H]],
    ],
  ) as [string, string, string];
  // 4. h_out / c_out: expand_dims axis 0, cast fp32
  for (const [src, out] of [
    [lstmH, 'h_out'],
    [lstmC, 'c_out'],
  ] as const) {
    const e = b.one('expand_dims', { axes: b.ints(`${out}_axes`, [0]), x: src }, `${out}_fp16`, 'fp16', [
      1,
      1,
      H,
    ]);
    b.ops.push({
      type: 'cast',
      inputs: [
        { param: 'dtype', bindings: [{ kind: 'name', name: b.str(`${out}_dtype`, 'fp32') }], tuple: false },
        { param: 'x', bindings: [{ kind: 'name', name: e }], tuple: false },
      ],
      outputs: [{ name: out, type: { kind: 'tensor', dtype: 'fp32', shape: [1, 1, H] } }],
      attributes: [{ name: 'name', value: milString(out) }],
    });
  }
  // 5. encoder projection
  const enc16 = b.one(
    'cast',
    { dtype: b.str('encoder_step_to_fp16_dtype', 'fp16'), x: 'encoder_step' },
    'encoder_step_to_fp16',
    'fp16',
    [1, E, 1],
  );
  const encT = b.one(
    'transpose',
    { perm: b.ints('encoder_perm', [0, 2, 1]), x: enc16 },
    'encoder_t',
    'fp16',
    [1, 1, E],
  );
  const f = b.one(
    'linear',
    {
      bias: b.weight('joint_enc_bias_to_fp16', w.encBias),
      weight: b.weight('joint_enc_weight_to_fp16', w.encWeight),
      x: encT,
    },
    'joint_f',
    'fp16',
    [1, 1, J],
  );
  // 6. prediction projection straight from the LSTM output (boundary elided)
  const g = b.one(
    'linear',
    {
      bias: b.weight('joint_pred_bias_to_fp16', w.predBias),
      weight: b.weight('joint_pred_weight_to_fp16', w.predWeight),
      x: lstmOut,
    },
    'joint_g',
    'fp16',
    [1, 1, J],
  );
  // 7. joint: broadcast add, relu, output layer
  const f4 = b.one('expand_dims', { axes: b.ints('joint_f_axes', [2]), x: f }, 'joint_f4', 'fp16', [
    1,
    1,
    1,
    J,
  ]);
  const g4 = b.one('expand_dims', { axes: b.ints('joint_g_axes', [1]), x: g }, 'joint_g4', 'fp16', [
    1,
    1,
    1,
    J,
  ]);
  const sum = b.one('add', { x: f4, y: g4 }, 'joint_sum', 'fp16', [1, 1, 1, J]);
  const hidden = b.one('relu', { x: sum }, 'joint_hidden', 'fp16', [1, 1, 1, J]);
  const logits = b.one(
    'linear',
    {
      bias: b.weight('joint_out_bias_to_fp16', w.outBias),
      weight: b.weight('joint_out_weight_to_fp16', w.outWeight),
      x: hidden,
    },
    'logits',
    'fp16',
    [1, 1, 1, V],
  );
  // 8. token_id
  b.ops.push({
    type: 'reduce_argmax',
    inputs: [
      { param: 'axis', bindings: [{ kind: 'name', name: b.ints('argmax_axis', [-1], true) }], tuple: false },
      {
        param: 'keep_dims',
        bindings: [{ kind: 'name', name: b.bool('argmax_keep_dims', false) }],
        tuple: false,
      },
      {
        param: 'output_dtype',
        bindings: [{ kind: 'name', name: b.str('argmax_output_dtype', 'int32') }],
        tuple: false,
      },
      { param: 'x', bindings: [{ kind: 'name', name: logits }], tuple: false },
    ],
    outputs: [{ name: 'token_id', type: { kind: 'tensor', dtype: 'int32', shape: [1, 1, 1] } }],
    attributes: [{ name: 'name', value: milString('token_id') }],
  });
  // 9. token_prob = softmax(logits)[token_id]
  const probs = b.one(
    'softmax',
    { axis: b.ints('softmax_axis', [-1], true), x: logits },
    'token_probs_all',
    'fp16',
    [1, 1, 1, V],
  );
  const idx = b.one(
    'expand_dims',
    { axes: b.ints('token_id_axes', [-1]), x: 'token_id' },
    'token_index',
    'int32',
    [1, 1, 1, 1],
  );
  const idx16 = b.one(
    'cast',
    { dtype: b.str('token_index_dtype', 'int16'), x: idx },
    'token_index_int16',
    'int16',
    [1, 1, 1, 1],
  );
  const picked = b.one(
    'gather_along_axis',
    {
      axis: b.ints('prob_axis', [-1], true),
      indices: idx16,
      validate_indices: b.bool('prob_validate_indices', false),
      x: probs,
    },
    'token_prob_4d',
    'fp16',
    [1, 1, 1, 1],
  );
  const prob16 = b.one(
    'squeeze',
    { axes: b.ints('token_prob_axes', [-1]), x: picked },
    'token_prob_fp16',
    'fp16',
    [1, 1, 1],
  );
  const finalCast = (src: string, out: string, dtype: 'fp32' | 'int32', shape: number[]) =>
    b.ops.push({
      type: 'cast',
      inputs: [
        { param: 'dtype', bindings: [{ kind: 'name', name: b.str(`${out}_dtype`, dtype) }], tuple: false },
        { param: 'x', bindings: [{ kind: 'name', name: src }], tuple: false },
      ],
      outputs: [{ name: out, type: { kind: 'tensor', dtype, shape } }],
      attributes: [{ name: 'name', value: milString(out) }],
    });
  finalCast(prob16, 'token_prob', 'fp32', [1, 1, 1]);
  const outputs = ['token_id', 'token_prob', 'h_out', 'c_out'];
  if (options.withTopK) {
    const [vals, ids] = b.op(
      'topk',
      {
        ascending: b.bool('topk_ascending', false),
        axis: b.ints('topk_axis', [-1], true),
        k: b.ints('topk_k', [K], true),
        output_indices_dtype: b.str('topk_indices_dtype', 'uint16'),
        return_indices: b.bool('topk_return_indices', true),
        sort: b.bool('topk_sort', true),
        x: logits,
      },
      [
        ['topk_values', 'fp16', [1, 1, 1, K]],
        ['topk_indices', 'uint16', [1, 1, 1, K]],
      ],
    ) as [string, string];
    finalCast(ids, 'top_k_ids', 'int32', [1, 1, 1, K]);
    finalCast(vals, 'top_k_logits', 'fp32', [1, 1, 1, K]);
    outputs.push('top_k_ids', 'top_k_logits');
  }
  const tensor = (dtype: MilDType, shape: number[]) => ({ kind: 'tensor' as const, dtype, shape });
  const fn: MilFunction = {
    name: 'main',
    opset: 'ios17',
    inputs: [
      { name: 'targets', type: tensor('int32', [1, 1]) },
      { name: 'h_in', type: tensor('fp32', [1, 1, H]) },
      { name: 'c_in', type: tensor('fp32', [1, 1, H]) },
      { name: 'encoder_step', type: tensor('fp32', [1, E, 1]) },
    ],
    attributes: [],
    operations: b.ops,
    outputs,
  };
  const description: ModelDescription = {
    inputs: [
      feature('targets', 'int32', [1, 1]),
      feature('h_in', 'float32', [1, 1, H]),
      feature('c_in', 'float32', [1, 1, H]),
      feature('encoder_step', 'float32', [1, E, 1]),
    ],
    outputs: [
      feature('token_id', 'int32', [1, 1, 1]),
      feature('token_prob', 'float32', [1, 1, 1]),
      feature('h_out', 'float32', [1, 1, H]),
      feature('c_out', 'float32', [1, 1, H]),
      ...(options.withTopK
        ? [feature('top_k_ids', 'int32', [1, 1, 1, K]), feature('top_k_logits', 'float32', [1, 1, 1, K])]
        : []),
    ],
    states: [],
    metadata: {
      author: '@eou/fusion',
      shortDescription:
        'Parakeet EOU fused decoder + joint decision (1 dispatch per RNNT step). LSTM has no ANE kernel; this graph is CPU-resident by design.',
      userDefined: { ...metadata },
    },
  };
  const program: MilProgram = { version: '1.0', attributes: [], functions: [fn] };
  return { specificationVersion: 8, description, program };
}

/**
 * Builds the lean (or lean+top-k) package model from a shipped `.mlmodelc`/`.mlpackage` pair,
 * with provenance metadata.
 */
export function leanMlProgramFromPair(
  decoder: CoreMLModel,
  joint: CoreMLModel,
  options: LeanMlProgramOptions = {},
) {
  const variant = options.withTopK ? 'lean-topk' : 'lean';
  return buildLeanMlProgram(
    milDecoderJointWeights(decoder, joint),
    options,
    provenanceMetadata(variant, decoder, joint),
  );
}

/**
 * The pipeline variant: the decoder's and joint's operations in one program, `decoder` feeding
 * `decoder_step`. Joint variables that collide with decoder ones get a `joint_` prefix.
 * @throws {FusionError} via {@link milDecoderJointWeights}-style checks when the pair does not fit.
 */
export function pipelineMlProgramFromPair(
  decoder: CoreMLModel,
  joint: CoreMLModel,
): Pick<CoreMLModel, 'specificationVersion' | 'description' | 'program'> {
  milDecoderJointWeights(decoder, joint); // the pair must be a decoder and a joint
  const df = mainFunction(decoder.program, decoder.path);
  const jf = mainFunction(joint.program, joint.path);
  const taken = new Set<string>([
    ...df.inputs.map((i) => i.name),
    ...df.operations.flatMap((o) => o.outputs.map((x) => x.name)),
  ]);
  const rename = new Map<string, string>([['decoder_step', 'decoder']]);
  for (const op of jf.operations) {
    for (const o of op.outputs) {
      let n = o.name;
      if (taken.has(n))
        for (let k = 0; taken.has(n); k++) n = k === 0 ? `joint_${o.name}` : `joint_${o.name}_${k}`;
      taken.add(n);
      if (n !== o.name) rename.set(o.name, n);
    }
  }
  const r = (n: string) => rename.get(n) ?? n;
  // op `name` attributes must stay unique across the merged program
  const opNames = new Set(df.operations.map((o) => milStringAttribute(o.attributes, 'name') ?? ''));
  const opName = (op: MilOperation): string => {
    const base = milStringAttribute(op.attributes, 'name') ?? op.outputs[0]?.name ?? op.type;
    let n = base;
    for (let k = 0; opNames.has(n); k++) n = k === 0 ? `joint_${base}` : `joint_${base}_${k}`;
    opNames.add(n);
    return n;
  };
  const jointOps: MilOperation[] = jf.operations.map((op) => ({
    ...op,
    inputs: op.inputs.map((a) => ({
      ...a,
      bindings: a.bindings.map((b) => (b.kind === 'name' ? { kind: 'name' as const, name: r(b.name) } : b)),
    })),
    outputs: op.outputs.map((o) => ({ ...o, name: r(o.name) })),
    attributes: op.attributes.map((a) => (a.name === 'name' ? { ...a, value: milString(opName(op)) } : a)),
  }));
  const encoderStep = jf.inputs.filter((i) => i.name !== 'decoder_step');
  const jointOutputs = jf.outputs.map(r);
  const decoderStates = df.outputs.filter((o) => o !== 'decoder');
  const fn: MilFunction = {
    name: 'main',
    opset: df.opset,
    inputs: [...df.inputs, ...encoderStep],
    attributes: [],
    operations: [...df.operations, ...jointOps],
    outputs: [...jointOutputs, ...decoderStates],
  };
  const byName = (list: readonly FeatureDescription[], n: string) => list.find((f) => f.name === n);
  const description: ModelDescription = {
    inputs: [
      ...decoder.description.inputs,
      ...joint.description.inputs.filter((i) => i.name !== 'decoder_step'),
    ],
    outputs: [
      ...jf.outputs.map((o) => byName(joint.description.outputs, o)),
      ...decoderStates.map((o) => byName(decoder.description.outputs, o)),
    ].filter((f): f is FeatureDescription => f !== undefined),
    states: [],
    metadata: {
      author: '@eou/fusion',
      shortDescription: 'Parakeet EOU decoder + joint decision as one program (pipeline variant).',
      userDefined: provenanceMetadata('pipeline', decoder, joint),
    },
  };
  return {
    specificationVersion: Math.max(decoder.specificationVersion, joint.specificationVersion, 8),
    description,
    program: { version: '1.0', attributes: [], functions: [fn] },
  };
}
