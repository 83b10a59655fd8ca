import { describe, expect, it } from 'vitest';
import { declareVariant } from './declareVariant';
import { createVariantRegistry } from './variantRegistry';
import { sherpaOnnxVariantNames, variantNames } from './variants';

describe(createVariantRegistry, () => {
  const int8 = declareVariant({
    name: 'int8-decoder-v2',
    kind: 'stateless',
    files: { decoder: 'decoder.v2.int8.onnx', joint: 'joiner.onnx' },
  });

  it("lists a layout's built-ins, then the declared variants", () => {
    expect(createVariantRegistry().names).toEqual(variantNames);
    const registry = createVariantRegistry('sherpa-onnx', [int8]);
    expect(registry.names).toEqual([...sherpaOnnxVariantNames, 'int8-decoder-v2']);
    expect(registry.spec('int8-decoder-v2')).toBe(int8);
    expect(registry.spec('ref').stems).toEqual({ decoder: 'decoder', joint: 'joiner' });
    expect(registry.has('lean')).toBe(false);
  });

  it("keeps a built-in role's numerics for a model directory's own variant of that name, not for new names", () => {
    const ownRef = declareVariant({
      name: 'ref',
      kind: 'stateless',
      files: { decoder: 'decoder-epoch-99-avg-1.onnx', joint: 'joiner-epoch-99-avg-1.onnx' },
    });
    const ownInt8 = declareVariant({
      name: 'int8-both',
      kind: 'stateless',
      files: { decoder: 'decoder-epoch-99-avg-1.int8.onnx', joint: 'joiner-epoch-99-avg-1.int8.onnx' },
    });
    const registry = createVariantRegistry('sherpa-onnx', [int8], [ownRef, ownInt8]);
    expect(registry.spec('ref')).toMatchObject({ stems: ownRef.stems, numerics: 'exact' });
    expect(registry.spec('int8-both')).toMatchObject({ stems: ownInt8.stems, numerics: 'int8' });
    expect(registry.spec('int8-decoder-v2').numerics).toBe('declared');
  });

  it('BAD CALL - says why the sherpa-onnx layout has no `projected` variant (its export hoisted the projections), and lists the names for an unknown one', () => {
    const registry = createVariantRegistry('sherpa-onnx');
    expect(registry.has('projected')).toBe(false);
    expect(() => registry.spec('projected')).toThrow(
      /^variant `projected` does not apply to the sherpa-onnx layout: its export already hoists the joint projections \(encoder_proj ends the encoder, decoder_proj the prediction net/,
    );
    expect(() => registry.spec('lean')).toThrow(
      `variant must be one of ${sherpaOnnxVariantNames.join(', ')}, got "lean"`,
    );
    // A user may still declare a variant of that name (their own files).
    const own = declareVariant({
      name: 'projected',
      kind: 'stateless',
      files: { decoder: 'd.onnx', joint: 'j.onnx' },
    });
    expect(createVariantRegistry('sherpa-onnx', [own]).spec('projected')).toBe(own);
    expect(createVariantRegistry().spec('projected').kind).toBe('projected');
  });

  it('BAD CALL - refuses a declared name that a built-in has, and a variant of another layout', () => {
    const ref = declareVariant({
      name: 'ref',
      kind: 'stateless',
      files: { decoder: 'd.onnx', joint: 'j.onnx' },
    });
    expect(() => createVariantRegistry('sherpa-onnx', [ref])).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'variant name `ref` is taken (a built-in sherpa-onnx variant); pick another',
      }),
    );
    expect(() => createVariantRegistry('eou', [int8])).toThrow(
      expect.objectContaining({
        message:
          'variant `int8-decoder-v2` is a stateless variant of the sherpa-onnx layout; this registry is for eou',
      }),
    );
    expect(() => createVariantRegistry('sherpa-onnx').spec('lean')).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'variant must be one of ref, int8-decoder, int8-joiner, int8-both, got "lean"',
      }),
    );
  });
});
