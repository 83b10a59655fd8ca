/**
 * The decode-path variants a model directory can serve: which files each needs, which step-model
 * kind drives them and which prediction-net policy the loop uses (DESIGN.md, "Variants the gate
 * compares"). The graphs themselves are built by `@eou/fusion`.
 */
import type { ModelExt } from './modelConfig';
import type { PredictionPolicy } from './policies';

/** Variant names, in report order. */
export type VariantName = 'ref' | 'cached' | 'pipeline' | 'lean' | 'lean-topk' | 'projected';

/** Roles of the files a variant loads. */
export type VariantFileRole =
  'decoder' | 'joint' | 'fused' | 'projectedEncoder' | 'projectedDecoder' | 'projectedJoint';

/** One variant: its step-model kind, file stems by role and loop policy. */
export interface VariantSpec {
  readonly name: VariantName;
  readonly kind: 'split' | 'fused' | 'projected';
  /** File name stems (without `.<ext>`) by role. */
  readonly stems: Readonly<Partial<Record<VariantFileRole, string>>>;
  readonly predictionPolicy: PredictionPolicy;
  readonly description: string;
}

/** Every variant by name. */
export const variants: Readonly<Record<VariantName, VariantSpec>> = Object.freeze({
  ref: {
    name: 'ref',
    kind: 'split',
    stems: { decoder: 'decoder', joint: 'joint_decision' },
    predictionPolicy: 'recompute',
    description: 'shipped decoder + joint_decision, prediction net every step (two calls)',
  },
  cached: {
    name: 'cached',
    kind: 'split',
    stems: { decoder: 'decoder', joint: 'joint_decision' },
    predictionPolicy: 'cache',
    description: 'same two models, prediction net only after an emission',
  },
  pipeline: {
    name: 'pipeline',
    kind: 'fused',
    stems: { fused: 'decoder_joint_decision_pipeline' },
    predictionPolicy: 'recompute',
    description: 'the two graphs composed into one, boundary intact (expected bit-exact)',
  },
  lean: {
    name: 'lean',
    kind: 'fused',
    stems: { fused: 'decoder_joint_decision_fused' },
    predictionPolicy: 'recompute',
    description: 'one graph rebuilt from the weights, boundary elided, top-k dropped',
  },
  'lean-topk': {
    name: 'lean-topk',
    kind: 'fused',
    stems: { fused: 'decoder_joint_decision_fused_topk' },
    predictionPolicy: 'recompute',
    description: 'lean plus the top-k head',
  },
  projected: {
    name: 'projected',
    kind: 'projected',
    stems: {
      projectedEncoder: 'projected_encoder',
      projectedDecoder: 'projected_decoder',
      projectedJoint: 'projected_joint',
    },
    predictionPolicy: 'cache',
    description: 'joint projections hoisted: encoder once per chunk, prediction net once per emission',
  },
});

/** Variant names in report order. */
export const variantNames: readonly VariantName[] = Object.keys(variants) as VariantName[];

/**
 * Looks a variant up by name.
 * @throws RangeError listing the known names
 */
export function variantSpec(name: string): VariantSpec {
  const spec = (variants as Record<string, VariantSpec | undefined>)[name];
  if (spec === undefined || !Object.hasOwn(variants, name)) {
    throw new RangeError(`variant must be one of ${variantNames.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return spec;
}

/** The file names (`<stem>.<ext>`) a variant loads, by role. */
export function variantFiles(spec: VariantSpec, ext: ModelExt): Partial<Record<VariantFileRole, string>> {
  const out: Partial<Record<VariantFileRole, string>> = {};
  for (const [role, stem] of Object.entries(spec.stems) as [VariantFileRole, string][])
    out[role] = `${stem}.${ext}`;
  return out;
}
