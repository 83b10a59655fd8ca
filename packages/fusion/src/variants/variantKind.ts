/** The decode-path variants the toolkit builds and compares (docs/design.md, "Variants"). */
export enum VariantKind {
  /** Shipped decoder + joint_decision, prediction net recomputed every step (two calls). */
  Ref = 'ref',
  /** Same two models, prediction net run only after an emission (a loop policy, no graph). */
  Cached = 'cached',
  /** The two graphs composed into one, boundary intact: expected bit-exact with `ref`. */
  Pipeline = 'pipeline',
  /** One graph rebuilt from the weights, boundary elided, top-k dropped, no `target_length`. */
  Lean = 'lean',
  /** `lean` plus the joint's K-way top-k head. */
  LeanTopk = 'lean-topk',
  /** Joint projections hoisted out of the step: three small graphs driven by the loop. */
  Projected = 'projected',
  /** `lean` with int8 LSTM and joint weights (dynamic quantisation: DynamicQuantizeLinear + MatMulInteger). */
  Int8 = 'int8',
  /** `lean` with every weight stored as float16, cast to float32 at load. */
  Fp16 = 'fp16',
}

/** Every kind, in the order reports list them. */
export const variantKinds: readonly VariantKind[] = Object.values(VariantKind);

/** True when `name` is a variant kind. */
export function isVariantKind(name: string): name is VariantKind {
  return (variantKinds as readonly string[]).includes(name);
}
