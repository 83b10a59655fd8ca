import { describe, expect, it } from 'vitest';
import { buildableVariantKinds, variantOf, variants } from './variant';
import { isVariantKind, VariantKind, variantKinds } from './variantKind';

describe(variantOf, () => {
  it('has one entry per kind, each naming its own kind', () => {
    for (const kind of variantKinds) expect(variantOf(kind).kind).toBe(kind);
    expect(Object.keys(variants).sort()).toEqual([...variantKinds].sort());
  });

  it('builds graphs for pipeline, lean, lean-topk, projected, int8 and fp16; ref and cached run the shipped pair', () => {
    expect(buildableVariantKinds).toEqual(['pipeline', 'lean', 'lean-topk', 'projected', 'int8', 'fp16']);
    expect(variantOf('cached')).toMatchObject({
      files: ['decoder.onnx', 'joint_decision.onnx'],
      predictionPolicy: 'cache',
    });
    expect(variantOf('ref').predictionPolicy).toBe('recompute');
  });

  it('BAD CALL - names the known variants for an unknown name', () => {
    expect(() => variantOf('Lean')).toThrow(
      expect.objectContaining({
        name: 'FusionError',
        code: 'E_VARIANT',
        message:
          "unknown variant 'Lean' (expected one of ref, cached, pipeline, lean, lean-topk, projected, int8, fp16)",
      }),
    );
    expect(isVariantKind('lean-topk')).toBe(true);
    expect(isVariantKind('lean_topk')).toBe(false);
    expect(VariantKind.LeanTopk).toBe('lean-topk');
  });
});
