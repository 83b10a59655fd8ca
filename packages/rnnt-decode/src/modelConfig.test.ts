import { describe, expect, it } from 'vitest';
import { decodeConfigFromModel, parseModelConfig } from './modelConfig';

const parakeet = {
  format: 'eou-model/1',
  blankId: 1026,
  eouId: 1024,
  eobId: 1025,
  vocabSize: 1027,
  hiddenSize: 640,
  encoderDim: 512,
  jointDim: 640,
  topK: 64,
  maxSymbolsPerFrame: 2,
  frameMs: 80,
  batch: false,
  producer: 'test',
  ext: 'onnx',
};

describe(parseModelConfig, () => {
  it('reads the documented model.json', () => {
    expect(parseModelConfig(JSON.stringify(parakeet), 'model.json')).toEqual({
      ...parakeet,
      layout: 'eou',
      predictionNet: { kind: 'lstm' },
      vocab: 'vocab.json',
      variants: [],
    });
  });

  it('fills defaults for the optional fields', () => {
    const { format, blankId, eouId, vocabSize, hiddenSize, encoderDim } = parakeet;
    const config = parseModelConfig(
      JSON.stringify({ format, blankId, eouId, vocabSize, hiddenSize, encoderDim }),
      'model.json',
    );
    expect(config).toMatchObject({
      jointDim: 640,
      topK: 64,
      maxSymbolsPerFrame: 2,
      frameMs: 80,
      batch: false,
      ext: 'onnx',
      eobId: undefined,
    });
  });

  it('implies a decode config with the variant policy and overrides', () => {
    const config = parseModelConfig(JSON.stringify(parakeet), 'model.json');
    expect(decodeConfigFromModel(config, 'cache', { eouPolicy: 'reset' })).toMatchObject({
      blankId: 1026,
      eouId: 1024,
      eobId: 1025,
      predictionPolicy: 'cache',
      eouPolicy: 'reset',
      dropFromText: [1025],
    });
  });

  it('reads an unk id decoded as blank into the decode config; null or absent is none', () => {
    const withUnk = parseModelConfig(JSON.stringify({ ...parakeet, unkId: 2 }), 'model.json');
    expect(withUnk.unkId).toBe(2);
    expect(decodeConfigFromModel(withUnk).unkId).toBe(2);
    expect(parseModelConfig(JSON.stringify({ ...parakeet, unkId: null }), 'model.json').unkId).toBeUndefined();
    expect(decodeConfigFromModel(parseModelConfig(JSON.stringify(parakeet), 'model.json')).unkId).toBeUndefined();
    expect(() => parseModelConfig(JSON.stringify({ ...parakeet, unkId: 1026 }), 'dir/model.json')).toThrow(
      'dir/model.json: `unkId` must be different from blankId, eouId and eobId, got 1026',
    );
  });

  it('EXPECTED FAILURE - a bad field is named with the file, expected and actual', () => {
    const bad = (patch: object): string => JSON.stringify({ ...parakeet, ...patch });
    expect(() => parseModelConfig(bad({ hiddenSize: '640' }), 'dir/model.json')).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_MODEL_CONFIG',
        file: 'dir/model.json',
        field: 'hiddenSize',
        message: 'dir/model.json: `hiddenSize` must be an integer in 1..65536, got "640"',
      }),
    );
    expect(() => parseModelConfig(bad({ blankId: 1027 }), 'model.json')).toThrow(
      'model.json: `blankId` must be below vocabSize 1027, got 1027',
    );
    expect(() => parseModelConfig(bad({ format: 'other/2' }), 'model.json')).toThrow(
      'model.json: `format` must be "eou-model/1", got "other/2"',
    );
    expect(() => parseModelConfig(bad({ ext: 'tflite' }), 'model.json')).toThrow(
      /`ext` must be one of "onnx", "mlmodelc", "mlpackage"/,
    );
    expect(() => parseModelConfig('[]', 'model.json')).toThrow(
      'model.json: expected a JSON object, got an array',
    );
  });

  it('EXPECTED FAILURE - out-of-range numbers are refused naming model.json and the field', () => {
    // Before: maxSymbolsPerFrame 1e9 passed here and failed in the loop's config without the file;
    // sizes of 1e9 reached an allocation (issue 19, defect 10).
    const bad = (patch: object): string => JSON.stringify({ ...parakeet, ...patch });
    const cases: [object, string][] = [
      [{ maxSymbolsPerFrame: 1e9 }, '`maxSymbolsPerFrame` must be an integer in 1..1000, got 1000000000'],
      [{ maxSymbolsPerFrame: 0 }, '`maxSymbolsPerFrame` must be an integer in 1..1000, got 0'],
      [{ vocabSize: 1e9 }, '`vocabSize` must be an integer in 2..1048576, got 1000000000'],
      [{ hiddenSize: 1e9 }, '`hiddenSize` must be an integer in 1..65536, got 1000000000'],
      [{ encoderDim: 2 ** 40 }, '`encoderDim` must be an integer in 1..65536'],
      [{ jointDim: 1e6 }, '`jointDim` must be an integer in 1..65536'],
      [{ topK: 2000 }, '`topK` must be an integer in 1..1027, got 2000'],
      [{ frameMs: 1e308 }, '`frameMs` must be a positive number up to 10000'],
    ];
    for (const [patch, message] of cases) {
      const field = Object.keys(patch)[0]!;
      expect(() => parseModelConfig(bad(patch), 'dir/model.json')).toThrow(
        expect.objectContaining({
          code: 'E_MODEL_CONFIG',
          file: 'dir/model.json',
          field,
          message: expect.stringContaining(`dir/model.json: ${message}`),
        }),
      );
    }
    expect(parseModelConfig(bad({ maxSymbolsPerFrame: 1000 }), 'model.json').maxSymbolsPerFrame).toBe(1000);
  });
});
