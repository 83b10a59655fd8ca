/**
 * The one variant registry: every decode-path variant a model directory can serve, with its step
 * kind, its prediction-net policy, the file stem of each role, the formats its files come in and
 * which of them a builder makes from shipped weights. `@eou/fusion` (builders), the gate and the
 * CLI read file names from here (`variantFiles`, `variantBuiltFiles`) instead of writing them.
 * Built-ins are grouped by model-directory layout, because layouts reuse names (`ref`); a user's
 * own variants are declared by file (`declareVariant`, `parseVariantDeclarations`) and merged with
 * a layout's built-ins by `createVariantRegistry`.
 */
import type { ModelExt, ModelLayout } from './modelConfig';
import type { PredictionPolicy } from './policies';
import type { StepKind } from './stepModels';

export type { ModelLayout } from './modelConfig';

/** Built-in variant names of the `eou` layout, in report order. */
export type VariantName =
  'ref' | 'cached' | 'pipeline' | 'lean' | 'lean-topk' | 'projected' | 'int8' | 'fp16';

/** Built-in variant names of the `sherpa-onnx` layout, in report order. */
export type SherpaOnnxVariantName = 'ref' | 'int8-decoder' | 'int8-joiner' | 'int8-both';

/** Roles of the files a variant loads. The stateless kind uses `decoder` and `joint` too. */
export type VariantFileRole =
  'decoder' | 'joint' | 'fused' | 'projectedEncoder' | 'projectedDecoder' | 'projectedJoint';

/** The file roles each step kind loads, in the order its session adapter takes them. */
export const variantRoles: Readonly<Record<StepKind, readonly VariantFileRole[]>> = Object.freeze({
  split: ['decoder', 'joint'],
  fused: ['fused'],
  projected: ['projectedEncoder', 'projectedDecoder', 'projectedJoint'],
  stateless: ['decoder', 'joint'],
});

/**
 * How a variant's step outputs relate to the reference's, and so why they may differ:
 * - `exact`: the reference's kernels on its weights (the two models, one composed graph, or only a
 *   different loop policy); its token ids must equal the reference's.
 * - `rebuilt`: the same weights in a graph rebuilt from them (boundary elided, top-k dropped,
 *   projections hoisted); not required to match bit for bit.
 * - `int8`: int8-quantised weights (dynamic quantisation, or the int8 files a release ships).
 * - `fp16`: weights stored as float16.
 * - `declared`: a user's own files; nothing is known about them.
 */
export type VariantNumerics = 'exact' | 'rebuilt' | 'int8' | 'fp16' | 'declared';

/** One variant. `N` is its name type: a built-in name union, or `string` for declared variants. */
export interface VariantSpec<N extends string = VariantName> {
  readonly name: N;
  readonly layout: ModelLayout;
  readonly kind: StepKind;
  /**
   * File name stems by role: the file is `<stem>.<ext>` in every format (no layout we know
   * names a role differently per format). Stems may hold dots (`decoder.int8`).
   */
  readonly stems: Readonly<Partial<Record<VariantFileRole, string>>>;
  /** Formats the variant's files can be loaded in (shipped, built, or compiled from a build). */
  readonly formats: readonly ModelExt[];
  /** Formats a builder writes its built files in (`eou fuse --variant`); empty when nothing is built. */
  readonly buildFormats: readonly ModelExt[];
  /** Roles whose files a builder makes from the shipped weights; the other roles are shipped files. */
  readonly builtRoles: readonly VariantFileRole[];
  /** True when a builder makes some of its files from shipped weights. */
  readonly buildable: boolean;
  readonly predictionPolicy: PredictionPolicy;
  /** How its outputs relate to the reference's (what a mismatch means). */
  readonly numerics: VariantNumerics;
  /** One line for help texts and reports. */
  readonly description: string;
}

const allFormats: readonly ModelExt[] = ['onnx', 'mlmodelc', 'mlpackage'];

function spec<N extends string>(
  s: Omit<VariantSpec<N>, 'buildable' | 'buildFormats' | 'builtRoles'> & {
    readonly buildFormats?: readonly ModelExt[];
    readonly builtRoles?: readonly VariantFileRole[];
  },
): VariantSpec<N> {
  const builtRoles = s.builtRoles ?? [];
  return Object.freeze({
    ...s,
    stems: Object.freeze({ ...s.stems }),
    formats: Object.freeze([...s.formats]),
    buildFormats: Object.freeze([...(s.buildFormats ?? [])]),
    builtRoles: Object.freeze([...builtRoles]),
    buildable: builtRoles.length > 0,
  });
}

/** The built-in variants of the `eou` layout (Parakeet contract), by name. */
export const decodeVariants: Readonly<Record<VariantName, VariantSpec>> = Object.freeze({
  ref: spec({
    name: 'ref',
    layout: 'eou',
    kind: 'split',
    stems: { decoder: 'decoder', joint: 'joint_decision' },
    formats: allFormats,
    predictionPolicy: 'recompute',
    numerics: 'exact',
    description: 'shipped decoder + joint_decision, prediction net every step (two calls)',
  }),
  cached: spec({
    name: 'cached',
    layout: 'eou',
    kind: 'split',
    stems: { decoder: 'decoder', joint: 'joint_decision' },
    formats: allFormats,
    predictionPolicy: 'cache',
    numerics: 'exact',
    description: 'same two models, prediction net only after an emission',
  }),
  pipeline: spec({
    name: 'pipeline',
    layout: 'eou',
    kind: 'fused',
    stems: { fused: 'decoder_joint_decision_pipeline' },
    formats: allFormats,
    buildFormats: ['onnx', 'mlpackage'],
    builtRoles: ['fused'],
    predictionPolicy: 'recompute',
    numerics: 'exact',
    description: 'the two graphs composed into one, boundary intact (expected bit-exact)',
  }),
  lean: spec({
    name: 'lean',
    layout: 'eou',
    kind: 'fused',
    stems: { fused: 'decoder_joint_decision_fused' },
    formats: allFormats,
    buildFormats: ['onnx', 'mlpackage'],
    builtRoles: ['fused'],
    predictionPolicy: 'recompute',
    numerics: 'rebuilt',
    description: 'one graph rebuilt from the weights, boundary elided, top-k dropped',
  }),
  'lean-topk': spec({
    name: 'lean-topk',
    layout: 'eou',
    kind: 'fused',
    stems: { fused: 'decoder_joint_decision_fused_topk' },
    formats: allFormats,
    buildFormats: ['onnx', 'mlpackage'],
    builtRoles: ['fused'],
    predictionPolicy: 'recompute',
    numerics: 'rebuilt',
    description: 'lean plus the top-k head',
  }),
  projected: spec({
    name: 'projected',
    layout: 'eou',
    kind: 'projected',
    stems: {
      projectedEncoder: 'projected_encoder',
      projectedDecoder: 'projected_decoder',
      projectedJoint: 'projected_joint',
    },
    formats: ['onnx'],
    buildFormats: ['onnx'],
    builtRoles: ['projectedEncoder', 'projectedDecoder', 'projectedJoint'],
    predictionPolicy: 'cache',
    numerics: 'rebuilt',
    description: 'joint projections hoisted: encoder once per chunk, prediction net once per emission',
  }),
  int8: spec({
    name: 'int8',
    layout: 'eou',
    kind: 'fused',
    stems: { fused: 'decoder_joint_decision_int8' },
    formats: ['onnx'],
    buildFormats: ['onnx'],
    builtRoles: ['fused'],
    predictionPolicy: 'recompute',
    numerics: 'int8',
    description: 'lean with int8 LSTM and joint weights (dynamic quantisation, MatMulInteger)',
  }),
  fp16: spec({
    name: 'fp16',
    layout: 'eou',
    kind: 'fused',
    stems: { fused: 'decoder_joint_decision_fp16' },
    formats: ['onnx'],
    buildFormats: ['onnx'],
    builtRoles: ['fused'],
    predictionPolicy: 'recompute',
    numerics: 'fp16',
    description: 'lean with float16-stored weights, cast to float32 at load (ONNX Runtime CPU runs fp32)',
  }),
});

/**
 * The built-in variants of the `sherpa-onnx` layout: the fp32 and int8 prediction nets and joiners
 * a k2-fsa release ships (`decoder.onnx`, `decoder.int8.onnx`, `joiner.onnx`, `joiner.int8.onnx`).
 * Their policy is `cache`, sherpa-onnx's own loop (bit-exact with `recompute`).
 */
export const sherpaOnnxVariants: Readonly<Record<SherpaOnnxVariantName, VariantSpec<SherpaOnnxVariantName>>> =
  Object.freeze({
    ref: spec({
      name: 'ref',
      layout: 'sherpa-onnx',
      kind: 'stateless',
      stems: { decoder: 'decoder', joint: 'joiner' },
      formats: ['onnx'],
      predictionPolicy: 'cache',
      numerics: 'exact',
      description: 'fp32 prediction net + fp32 joiner as shipped',
    }),
    'int8-decoder': spec({
      name: 'int8-decoder',
      layout: 'sherpa-onnx',
      kind: 'stateless',
      stems: { decoder: 'decoder.int8', joint: 'joiner' },
      formats: ['onnx'],
      predictionPolicy: 'cache',
      numerics: 'int8',
      description: 'int8 prediction net + fp32 joiner as shipped',
    }),
    'int8-joiner': spec({
      name: 'int8-joiner',
      layout: 'sherpa-onnx',
      kind: 'stateless',
      stems: { decoder: 'decoder', joint: 'joiner.int8' },
      formats: ['onnx'],
      predictionPolicy: 'cache',
      numerics: 'int8',
      description: 'fp32 prediction net + int8 joiner as shipped',
    }),
    'int8-both': spec({
      name: 'int8-both',
      layout: 'sherpa-onnx',
      kind: 'stateless',
      stems: { decoder: 'decoder.int8', joint: 'joiner.int8' },
      formats: ['onnx'],
      predictionPolicy: 'cache',
      numerics: 'int8',
      description: 'int8 prediction net + int8 joiner as shipped',
    }),
  });

/**
 * Built-in names a layout does not serve, with the reason a request for one is told. The
 * sherpa-onnx / icefall export has no joint projections left to hoist: `encoder_proj` ends the
 * encoder and `decoder_proj` the prediction net, and `joiner.onnx` is
 * `output_linear(tanh(encoder_out + decoder_out))` (`@eou/fusion`'s `statelessJoinerProjections`
 * reads that off a joiner), so its `ref` under the `cache` policy already is what `projected`
 * builds for the Parakeet contract.
 */
export const unservedVariants: Readonly<Record<ModelLayout, Readonly<Record<string, string>>>> =
  Object.freeze({
    eou: Object.freeze({}),
    'sherpa-onnx': Object.freeze({
      projected:
        'its export already hoists the joint projections (encoder_proj ends the encoder, decoder_proj the prediction net, the joiner adds, applies tanh and its output layer), so `ref` runs each projection once per frame or context already',
    }),
  });

/**
 * @deprecated Use {@link decodeVariants}; `@eou/fusion` also exports a `variants` (its builders),
 * and the two names clashed.
 */
export const variants = decodeVariants;

/** Built-in `eou` variant names in report order. */
export const variantNames: readonly VariantName[] = Object.keys(decodeVariants) as VariantName[];

/** Built-in `sherpa-onnx` variant names in report order. */
export const sherpaOnnxVariantNames: readonly SherpaOnnxVariantName[] = Object.keys(
  sherpaOnnxVariants,
) as SherpaOnnxVariantName[];

/** The built-in variants of each layout. */
export const builtInVariants: Readonly<Record<ModelLayout, Readonly<Record<string, VariantSpec<string>>>>> =
  Object.freeze({ eou: decodeVariants, 'sherpa-onnx': sherpaOnnxVariants });

/** The layout a variant of `kind` belongs to: stateless nets come in the sherpa-onnx layout. */
export function layoutOfKind(kind: StepKind): ModelLayout {
  return kind === 'stateless' ? 'sherpa-onnx' : 'eou';
}

/**
 * Looks a built-in `eou` variant up by name (see `createVariantRegistry` for other layouts and
 * declared variants).
 * @throws RangeError listing the known names
 */
export function variantSpec(name: string): VariantSpec {
  const found = (decodeVariants as Record<string, VariantSpec | undefined>)[name];
  if (found === undefined || !Object.hasOwn(decodeVariants, name)) {
    throw new RangeError(`variant must be one of ${variantNames.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return found;
}

/** The file names (`<stem>.<ext>`) a variant loads, by role. */
export function variantFiles(
  spec: VariantSpec<string>,
  ext: ModelExt,
): Partial<Record<VariantFileRole, string>> {
  const out: Partial<Record<VariantFileRole, string>> = {};
  for (const [role, stem] of Object.entries(spec.stems) as [VariantFileRole, string][])
    out[role] = `${stem}.${ext}`;
  return out;
}

/**
 * The file name of one role of a variant (`variantFileName(decodeVariants.lean, 'fused', 'onnx')`
 * is `decoder_joint_decision_fused.onnx`).
 * @throws RangeError when the variant has no file of that role
 */
export function variantFileName(spec: VariantSpec<string>, role: VariantFileRole, ext: ModelExt): string {
  const stem = spec.stems[role];
  if (stem === undefined) {
    throw new RangeError(
      `variant \`${spec.name}\` has no \`${role}\` file (roles: ${Object.keys(spec.stems).join(', ')})`,
    );
  }
  return `${stem}.${ext}`;
}

/**
 * The files a builder writes for a variant, by role (empty for variants that run shipped files):
 * what `eou fuse --variant` makes, and what tells whether a variant has been built.
 */
export function variantBuiltFiles(
  spec: VariantSpec<string>,
  ext: ModelExt,
): Partial<Record<VariantFileRole, string>> {
  const out: Partial<Record<VariantFileRole, string>> = {};
  for (const role of spec.builtRoles) out[role] = variantFileName(spec, role, ext);
  return out;
}
