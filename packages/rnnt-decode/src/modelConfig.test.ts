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
    expect(parseModelConfig(JSON.stringify(parakeet), 'model.json')).toEqual({ ...parakeet });
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

  it('EXPECTED FAILURE - a bad field is named with the file, expected and actual', () => {
    const bad = (patch: object): string => JSON.stringify({ ...parakeet, ...patch });
    expect(() => parseModelConfig(bad({ hiddenSize: '640' }), 'dir/model.json')).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_MODEL_CONFIG',
        file: 'dir/model.json',
        field: 'hiddenSize',
        message: 'dir/model.json: `hiddenSize` must be an integer >= 1, got "640"',
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
});
