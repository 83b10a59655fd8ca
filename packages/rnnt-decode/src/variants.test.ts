import { describe, expect, it } from 'vitest';
import { stepKinds } from './stepModels';
import {
  decodeVariants,
  sherpaOnnxVariants,
  variantBuiltFiles,
  variantFileName,
  variantFiles,
  variantNames,
  variantRoles,
  variants,
} from './variants';

describe('the variant registry', () => {
  it('gives every variant the file roles its step kind loads', () => {
    for (const spec of [...Object.values(decodeVariants), ...Object.values(sherpaOnnxVariants)]) {
      expect(Object.keys(spec.stems).sort()).toEqual([...variantRoles[spec.kind]].sort());
      expect(spec.buildable).toBe(spec.builtRoles.length > 0);
      for (const f of spec.buildFormats) expect(spec.formats).toContain(f);
    }
    expect(Object.keys(variantRoles).sort()).toEqual([...stepKinds].sort());
  });

  it('names the files a builder writes, and nothing for shipped variants', () => {
    expect(variantBuiltFiles(decodeVariants.lean, 'mlpackage')).toEqual({
      fused: 'decoder_joint_decision_fused.mlpackage',
    });
    expect(variantBuiltFiles(decodeVariants.projected, 'onnx')).toEqual(
      variantFiles(decodeVariants.projected, 'onnx'),
    );
    expect(variantBuiltFiles(decodeVariants.ref, 'onnx')).toEqual({});
    expect(variantNames.filter((n) => decodeVariants[n].buildFormats.includes('mlpackage'))).toEqual([
      'pipeline',
      'lean',
      'lean-topk',
    ]);
  });

  it('names the sherpa-onnx int8 files with their dotted stems', () => {
    expect(variantFiles(sherpaOnnxVariants['int8-decoder'], 'onnx')).toEqual({
      decoder: 'decoder.int8.onnx',
      joint: 'joiner.onnx',
    });
    expect(variantFileName(sherpaOnnxVariants['int8-both'], 'joint', 'onnx')).toBe('joiner.int8.onnx');
  });

  it('says how each built-in relates to the reference: exact, rebuilt from the weights, int8 or fp16 weights', () => {
    const numerics = (specs: Record<string, { numerics: string }>) =>
      Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, s.numerics]));
    expect(numerics(decodeVariants)).toEqual({
      ref: 'exact',
      cached: 'exact',
      pipeline: 'exact',
      lean: 'rebuilt',
      'lean-topk': 'rebuilt',
      projected: 'rebuilt',
      int8: 'int8',
      fp16: 'fp16',
    });
    expect(numerics(sherpaOnnxVariants)).toEqual({
      ref: 'exact',
      'int8-decoder': 'int8',
      'int8-joiner': 'int8',
      'int8-both': 'int8',
    });
  });

  it('keeps the deprecated `variants` as the same registry', () => {
    expect(variants).toBe(decodeVariants);
  });

  it('BAD CALL - asks for a role the variant does not have', () => {
    expect(() => variantFileName(decodeVariants.lean, 'decoder', 'onnx')).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'variant `lean` has no `decoder` file (roles: fused)',
      }),
    );
  });
});
