import { describe, expect, it } from 'vitest';
import { declareVariant, parseVariantDeclarations } from './declareVariant';
import { variantFiles } from './variants';

describe(declareVariant, () => {
  it('makes a variant of the layout its kind belongs to, from the file names', () => {
    const spec = declareVariant({
      name: 'int8-decoder-fp32-joiner',
      kind: 'stateless',
      files: { decoder: 'decoder-epoch-99-avg-1.int8.onnx', joint: 'joiner-epoch-99-avg-1.onnx' },
    });
    expect(spec).toMatchObject({
      layout: 'sherpa-onnx',
      kind: 'stateless',
      formats: ['onnx'],
      buildable: false,
      builtRoles: [],
      predictionPolicy: 'cache',
      // Nothing is known about a user's files (an `.int8` in the name proves nothing).
      numerics: 'declared',
      description: 'declared: decoder-epoch-99-avg-1.int8.onnx + joiner-epoch-99-avg-1.onnx',
    });
    expect(variantFiles(spec, 'onnx')).toEqual({
      decoder: 'decoder-epoch-99-avg-1.int8.onnx',
      joint: 'joiner-epoch-99-avg-1.onnx',
    });
    const coreml = declareVariant({ name: 'lean-ane', kind: 'fused', files: { fused: 'lean_ane.mlmodelc' } });
    expect(coreml).toMatchObject({ layout: 'eou', formats: ['mlmodelc'], predictionPolicy: 'recompute' });
  });

  it('BAD CALL - rejects files of mixed formats naming the role', () => {
    expect(() =>
      declareVariant({
        name: 'x',
        kind: 'split',
        files: { decoder: 'decoder.onnx', joint: 'joint_decision.mlmodelc' },
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message:
          'declaration.files.joint must be a .onnx file like the variant\'s other files, got "joint_decision.mlmodelc"',
      }),
    );
  });

  it('BAD CALL - rejects a missing role, an unknown role, a path and an unknown kind', () => {
    expect(() => declareVariant({ name: 'x', kind: 'split', files: { decoder: 'decoder.onnx' } })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'declaration.files.joint is missing (a split variant loads decoder, joint)',
      }),
    );
    expect(() =>
      declareVariant({ name: 'x', kind: 'fused', files: { fused: 'a.onnx', joint: 'b.onnx' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'declaration.files.joint is not a role of a fused variant (roles: fused)',
      }),
    );
    expect(() => declareVariant({ name: 'x', kind: 'fused', files: { fused: '../other/a.onnx' } })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message:
          'declaration.files.fused must be a file name in the model directory (no directories), got "../other/a.onnx"',
      }),
    );
    expect(() => declareVariant({ name: 'x', kind: 'lstm' as 'split', files: {} })).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'declaration.kind must be one of split, fused, projected, stateless, got "lstm"',
      }),
    );
  });
});

describe(parseVariantDeclarations, () => {
  const file = (variants: unknown) => JSON.stringify({ format: 'eou-variants/1', variants });

  it('reads every declaration of a file', () => {
    const specs = parseVariantDeclarations(
      file([
        {
          name: 'int8-dec',
          kind: 'stateless',
          files: { decoder: 'decoder.int8.onnx', joint: 'joiner.onnx' },
        },
        {
          name: 'my-lean',
          kind: 'fused',
          files: { fused: 'my_lean.onnx' },
          description: 'a lean graph of mine',
        },
      ]),
      'variants.json',
    );
    expect(specs.map((s) => [s.name, s.layout, s.description])).toEqual([
      ['int8-dec', 'sherpa-onnx', 'declared: decoder.int8.onnx + joiner.onnx'],
      ['my-lean', 'eou', 'a lean graph of mine'],
    ]);
  });

  it('EXPECTED FAILURE - names the file and the field of a bad declaration', () => {
    expect(() =>
      parseVariantDeclarations(
        file([{ name: 'a', kind: 'split', files: { decoder: 'decoder.onnx', joint: 'joiner' } }]),
        'variants.json',
      ),
    ).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_VARIANT',
        file: 'variants.json',
        field: 'variants[0].files.joint',
        message:
          'variants.json: `variants[0].files.joint` must end in .onnx, .mlmodelc or .mlpackage, got "joiner"',
      }),
    );
    expect(() =>
      parseVariantDeclarations(
        file([
          { name: 'a', kind: 'fused', files: { fused: 'a.onnx' } },
          { name: 'a', kind: 'fused', files: { fused: 'b.onnx' } },
        ]),
        'v.json',
      ),
    ).toThrow(expect.objectContaining({ message: 'v.json: `variants[1].name` repeats "a"' }));
    expect(() => parseVariantDeclarations('{"variants": []}', 'v.json')).toThrow(
      expect.objectContaining({ message: 'v.json: `format` must be "eou-variants/1", got undefined' }),
    );
    expect(() => parseVariantDeclarations('[', 'v.json')).toThrow(
      expect.objectContaining({
        code: 'E_VARIANT',
        message: expect.stringMatching(/^v\.json: not valid JSON \(/),
      }),
    );
  });
});
