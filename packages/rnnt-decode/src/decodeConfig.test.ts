import { describe, expect, it } from 'vitest';
import { createDecodeConfig } from './decodeConfig';

describe(createDecodeConfig, () => {
  it('fills in the Parakeet defaults and drops EOB from text', () => {
    const config = createDecodeConfig({ blankId: 1026, eouId: 1024, eobId: 1025 });
    expect(config).toEqual({
      blankId: 1026,
      eouId: 1024,
      eobId: 1025,
      maxSymbolsPerFrame: 2,
      eouPolicy: 'stop-chunk',
      predictionPolicy: 'recompute',
      dropFromText: [1025],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps explicit policies, cap and drop list', () => {
    const config = createDecodeConfig({
      blankId: 5,
      eouId: 3,
      maxSymbolsPerFrame: 7,
      eouPolicy: 'reset',
      predictionPolicy: 'cache',
      dropFromText: [4],
    });
    expect(config).toMatchObject({
      maxSymbolsPerFrame: 7,
      eouPolicy: 'reset',
      predictionPolicy: 'cache',
      dropFromText: [4],
    });
  });

  it('is idempotent on its own output', () => {
    const config = createDecodeConfig({ blankId: 9, eouId: 7, eobId: 8, eouPolicy: 'reset' });
    expect(createDecodeConfig(config)).toEqual(config);
  });

  it('BAD CALL - rejects a cap below 1 naming the field', () => {
    expect(() => createDecodeConfig({ blankId: 1, eouId: 0, maxSymbolsPerFrame: 0 })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'config.maxSymbolsPerFrame must be an integer in 1..1000, got 0',
      }),
    );
  });

  it('BAD CALL - rejects a non-numeric blank id naming the field', () => {
    expect(() => createDecodeConfig({ blankId: '1026' as unknown as number, eouId: 0 })).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'config.blankId must be a token id (number), got "1026"',
      }),
    );
  });

  it('BAD CALL - rejects an unknown policy naming the field', () => {
    expect(() => createDecodeConfig({ blankId: 1, eouId: 0, eouPolicy: 'stop' as 'reset' })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'config.eouPolicy must be one of stop-chunk, reset, got "stop"',
      }),
    );
    expect(() => createDecodeConfig({ blankId: 1, eouId: 0, predictionPolicy: 'lazy' as 'cache' })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'config.predictionPolicy must be one of recompute, cache, got "lazy"',
      }),
    );
  });

  it('BAD CALL - rejects ids outside the vocabulary naming the field', () => {
    expect(() => createDecodeConfig({ blankId: 1026, eouId: 1024 }, 1000)).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: "config.blankId must be below the model's vocabSize 1000, got 1026",
      }),
    );
    expect(() => createDecodeConfig({ blankId: 1, eouId: 0, dropFromText: [-1] })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'config.dropFromText[0] must be a non-negative integer, got -1',
      }),
    );
  });

  it('BAD CALL - rejects equal blank and EOU ids', () => {
    expect(() => createDecodeConfig({ blankId: 3, eouId: 3 })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'config.eouId must differ from config.blankId, both are 3',
      }),
    );
  });

  it('keeps an unk id to decode as blank, and rejects one equal to blank, EOU or EOB or outside the vocabulary', () => {
    expect(createDecodeConfig({ blankId: 0, unkId: 2 }, 500).unkId).toBe(2);
    expect(createDecodeConfig({ blankId: 0 }).unkId).toBeUndefined();
    for (const unkId of [0, 3, 4])
      expect(() => createDecodeConfig({ blankId: 0, eouId: 3, eobId: 4, unkId })).toThrow(
        `config.unkId must differ from config.blankId, config.eouId and config.eobId, got ${unkId}`,
      );
    expect(() => createDecodeConfig({ blankId: 0, unkId: 500 }, 500)).toThrow(
      "config.unkId must be below the model's vocabSize 500, got 500",
    );
  });

  it('BAD CALL - rejects a misspelt field', () => {
    expect(() => createDecodeConfig({ blankId: 1, eouId: 0, maxSymbols: 3 } as never)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: expect.stringMatching(/^config\.maxSymbols is not a DecodeConfig field/),
      }),
    );
  });

  it('BAD CALL - rejects a missing config', () => {
    expect(() => createDecodeConfig(undefined as never)).toThrow(
      expect.objectContaining({ name: 'TypeError', message: 'config must be an object, got undefined' }),
    );
  });
});

describe('createDecodeConfig for models without an EOU token', () => {
  it('leaves eouId undefined when omitted, and takes a family default cap', () => {
    const config = createDecodeConfig({ blankId: 0 }, 500, { maxSymbolsPerFrame: 1 });
    expect(config.eouId).toBeUndefined();
    expect(config.maxSymbolsPerFrame).toBe(1);
    expect(config.startContext).toBeUndefined();
    expect(
      createDecodeConfig({ blankId: 0, maxSymbolsPerFrame: 3 }, 500, { maxSymbolsPerFrame: 1 })
        .maxSymbolsPerFrame,
    ).toBe(3);
  });

  it('keeps a start context, -1 padding included, frozen', () => {
    const config = createDecodeConfig({ blankId: 0, startContext: [-1, 0] }, 500);
    expect(config.startContext).toEqual([-1, 0]);
    expect(Object.isFrozen(config.startContext)).toBe(true);
    expect(createDecodeConfig(config)).toEqual(config);
  });

  it('BAD CALL - rejects a start context id outside the vocabulary naming its index', () => {
    expect(() => createDecodeConfig({ blankId: 0, startContext: [-1, 500] }, 500)).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: "config.startContext[1] must be below the model's vocabSize 500, got 500",
      }),
    );
    expect(() => createDecodeConfig({ blankId: 0, startContext: [-2] })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'config.startContext[0] must be a non-negative integer, got -2',
      }),
    );
    expect(() => createDecodeConfig({ blankId: 0, startContext: [] })).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: 'config.startContext must be a non-empty array of token ids (or -1), got []',
      }),
    );
  });
});
