import { describe, expect, it } from 'vitest';
import { E, H, ids, makeFrames, type HashParams } from '../test/models';
import { statelessSessions } from '../test/sessions';
import { parseVariantArgument } from './declareVariant';
import { decodeUtterance } from './decodeUtterance';
import { loadModelDirectory, modelVariants, type ModelDirectoryIO } from './loadModelDirectory';
import { parseModelConfig } from './modelConfig';
import { statelessModelFromSessions } from './sessionAdapters';
import { parseTokensTxt, parseVocabFile } from './vocab';

const params: HashParams = { textVocab: 6, blankRate: 400, eouRate: 50, eobRate: 0, a: 5, b: 2 };
const { blankId, vocabSize } = ids(params);
/** A sherpa-onnx / icefall model.json: stateless net of context 2, no EOU token, tokens.txt. */
const sherpaJson = {
  format: 'eou-model/1',
  layout: 'sherpa-onnx',
  blankId,
  vocabSize,
  hiddenSize: H,
  encoderDim: E,
  jointDim: H,
  maxSymbolsPerFrame: 1,
  frameMs: 40,
  vocab: 'tokens.txt',
  predictionNet: { kind: 'stateless', contextSize: 2 },
};
const tokens = Array.from({ length: vocabSize }, (_, id) => `${id === blankId ? '<blk>' : `▁p${id}`} ${id}`);

function memoryIO(files: Record<string, string>): ModelDirectoryIO & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    readText: async (path) => files[path] ?? Promise.reject(new Error(`no ${path}`)),
    exists: async (path) => path in files,
    openSession: async (path) => {
      opened.push(path);
      const s = statelessSessions(params, { sync: true });
      return path.includes('joiner') ? s.joiner : s.decoder;
    },
  };
}

function dir(json: object | null, names: string[]): Record<string, string> {
  const files: Record<string, string> = { 'z/tokens.txt': tokens.join('\n') + '\n' };
  if (json !== null) files['z/model.json'] = JSON.stringify(json);
  for (const n of names) files[`z/${n}`] = '';
  return files;
}

const shipped = ['decoder.onnx', 'decoder.int8.onnx', 'joiner.onnx', 'joiner.int8.onnx'];

describe(loadModelDirectory, () => {
  it("opens a sherpa-onnx layout's built-in variants as stateless models that decode from sherpa-onnx's start context [-1, blank], or the one model.json gives", async () => {
    const frames = makeFrames(16, 3);
    const s = statelessSessions(params, { sync: true });
    const direct = statelessModelFromSessions(s.decoder, s.joiner, {
      contextSize: 2,
      decoderDim: H,
      encoderDim: E,
      vocabSize,
    });
    const decodeDirect = async (startContext: number[]) =>
      Array.from(
        (await decodeUtterance(direct, frames, 16, { blankId, maxSymbolsPerFrame: 1, startContext })).tokens,
      );
    const io = memoryIO(dir(sherpaJson, shipped));
    const loaded = await loadModelDirectory('z', 'int8-both', io);
    expect(loaded.model.kind).toBe('stateless');
    expect(loaded.decodeConfig).toMatchObject({
      blankId,
      eouId: undefined,
      maxSymbolsPerFrame: 1,
      predictionPolicy: 'cache',
      startContext: [-1, blankId],
    });
    expect(io.opened).toEqual(['z/decoder.int8.onnx', 'z/joiner.int8.onnx']);
    expect(loaded.vocab.get(1)).toBe('▁p1');
    const got = Array.from((await decodeUtterance(loaded.model, frames, 16, loaded.decodeConfig)).tokens);
    expect(got).toEqual(await decodeDirect([-1, blankId]));
    expect(got.length).toBeGreaterThan(0);
    await loaded.close();
    // A blank-filled start (sherpa-onnx's first version) is another input to the net: a real choice.
    const blanks = {
      ...sherpaJson,
      predictionNet: { kind: 'stateless', contextSize: 2, startContext: [blankId, blankId] },
    };
    const other = await loadModelDirectory('z', 'ref', memoryIO(dir(blanks, shipped)));
    const otherTokens = Array.from(
      (await decodeUtterance(other.model, frames, 16, other.decodeConfig)).tokens,
    );
    expect(otherTokens).toEqual(await decodeDirect([blankId, blankId]));
    expect(otherTokens).not.toEqual(got);
    await other.close();
  });

  it('takes a derived description instead of model.json, and user variants declared by file', async () => {
    const io = memoryIO(dir(null, [...shipped, 'joiner.ft.onnx']));
    const mine = parseVariantArgument('ft=decoder.int8.onnx,joiner.ft.onnx', 'sherpa-onnx');
    const loaded = await loadModelDirectory('z', 'ft', io, {
      description: { json: sherpaJson, file: 'z/model.json (derived)' },
      declaredVariants: [mine],
    });
    expect(io.opened).toEqual(['z/decoder.int8.onnx', 'z/joiner.ft.onnx']);
    expect(loaded.variant).toMatchObject({ name: 'ft', kind: 'stateless', predictionPolicy: 'cache' });
    await loaded.close();
  });

  it("lets model.json's own variants say which files a built-in name is (zoo file names)", async () => {
    const own = {
      ...sherpaJson,
      variants: [
        {
          name: 'ref',
          kind: 'stateless',
          files: { decoder: 'decoder-epoch-99.onnx', joint: 'joiner-epoch-99.onnx' },
        },
      ],
    };
    const io = memoryIO(dir(own, ['decoder-epoch-99.onnx', 'joiner-epoch-99.onnx']));
    const loaded = await loadModelDirectory('z', 'ref', io);
    expect(io.opened).toEqual(['z/decoder-epoch-99.onnx', 'z/joiner-epoch-99.onnx']);
    await loaded.close();
    const config = parseModelConfig(JSON.stringify(own), 'z/model.json');
    expect(() =>
      modelVariants(config, 'z/model.json', [parseVariantArgument('ref=a.onnx,b.onnx', 'sherpa-onnx')]),
    ).toThrow('z/model.json: variant name `ref` is taken (a built-in sherpa-onnx variant); pick another');
  });

  it('EXPECTED FAILURE - a directory without model.json says what reads it', async () => {
    await expect(loadModelDirectory('z', 'ref', memoryIO(dir(null, shipped)))).rejects.toMatchObject({
      name: 'RnntDecodeError',
      code: 'E_MISSING_FILE',
      message:
        'z: not a model directory (no model.json); a sherpa-onnx or FluidAudio folder is read by @eou/model-dir (`eou inspect z`, `eou model-json z` writes one)',
    });
  });

  it('EXPECTED FAILURE - a missing int8 file names the variant and the file', async () => {
    await expect(
      loadModelDirectory('z', 'int8-joiner', memoryIO(dir(sherpaJson, ['decoder.onnx', 'joiner.onnx']))),
    ).rejects.toMatchObject({
      code: 'E_MISSING_FILE',
      message: 'z: variant `int8-joiner` needs joiner.int8.onnx, not found at z/joiner.int8.onnx',
    });
  });

  it('EXPECTED FAILURE - an eou-layout variant name on a sherpa-onnx model lists the names it has', async () => {
    await expect(loadModelDirectory('z', 'lean', memoryIO(dir(sherpaJson, shipped)))).rejects.toThrow(
      'variant must be one of ref, int8-decoder, int8-joiner, int8-both, got "lean"',
    );
  });
});

describe(parseModelConfig, () => {
  it('EXPECTED FAILURE - a stateless net in the eou layout, a wrong start context and an LSTM in the sherpa-onnx layout are named', () => {
    const bad = (patch: object) => () =>
      parseModelConfig(JSON.stringify({ ...sherpaJson, ...patch }), 'm.json');
    expect(bad({ layout: 'eou' })).toThrow(
      'm.json: `predictionNet.kind` must be "lstm" in the eou layout (set "layout": "sherpa-onnx"), got "stateless"',
    );
    expect(bad({ predictionNet: { kind: 'stateless', contextSize: 2, startContext: [0] } })).toThrow(
      'm.json: `predictionNet.startContext` must be an array of contextSize 2 token ids (or -1), got an array',
    );
    expect(bad({ predictionNet: { kind: 'lstm' } })).toThrow(
      'm.json: `predictionNet.kind` must be "stateless" in the sherpa-onnx layout, got "lstm"',
    );
    expect(bad({ vocab: '../tokens.txt' })).toThrow('m.json: `vocab` must be a file name');
  });
});

describe(parseTokensTxt, () => {
  it('reads `piece id` lines, pieces with spaces included', () => {
    const v = parseTokensTxt('<blk> 0\n▁the 1\na b 2\n\n', 't.txt');
    expect([...v]).toEqual([
      [0, '<blk>'],
      [1, '▁the'],
      [2, 'a b'],
    ]);
    expect(parseVocabFile('{"0":"x"}', 'vocab.json').get(0)).toBe('x');
  });

  it('EXPECTED FAILURE - a line without an id, or a repeated id, is named by line', () => {
    expect(() => parseTokensTxt('<blk> 0\nthe\n', 'tokens.txt')).toThrow(
      'tokens.txt line 2: expected `piece id`, got "the"',
    );
    expect(() => parseTokensTxt('a 0\nb 0\n', 'tokens.txt')).toThrow('tokens.txt line 2: id 0 repeats');
  });
});

describe(parseVariantArgument, () => {
  it('reads name=files in role order, picking the kind from the layout and the file count', () => {
    expect(parseVariantArgument('q=decoder.int8.onnx,joiner.onnx', 'sherpa-onnx')).toMatchObject({
      name: 'q',
      kind: 'stateless',
      stems: { decoder: 'decoder.int8', joint: 'joiner' },
    });
    expect(parseVariantArgument('f=my_fused.onnx', 'eou')).toMatchObject({ kind: 'fused' });
    expect(parseVariantArgument('s=d.onnx,j.onnx', 'eou')).toMatchObject({ kind: 'split' });
  });

  it('BAD CALL - no name, the wrong file count or a path is a RangeError naming the argument', () => {
    expect(() => parseVariantArgument('decoder.onnx', 'eou')).toThrow(RangeError);
    expect(() => parseVariantArgument('x=a.onnx', 'sherpa-onnx')).toThrow(
      'variant declaration "x=a.onnx": a sherpa-onnx model takes 2 files (decoder, joiner), got 1',
    );
    expect(() => parseVariantArgument('x=a.onnx,sub/b.onnx', 'sherpa-onnx')).toThrow(
      'variant declaration "x=a.onnx,sub/b.onnx": files.joint must be a file name in the model directory (no directories), got "sub/b.onnx"',
    );
  });
});
