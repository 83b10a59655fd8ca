import { describe, expect, it } from 'vitest';
import { E, H, ids, makeFrames, type HashParams } from '../test/models';
import { hashSessions, type FakeSession } from '../test/sessions';
import { decodeUtterance } from './decodeUtterance';
import { detokenize } from './detokenize';
import { joinPath, loadModelDirectory, type ModelDirectoryIO } from './loadModelDirectory';
import { declareVariant } from './declareVariant';
import { variantNames } from './variants';

const params: HashParams = { textVocab: 6, blankRate: 400, eouRate: 50, eobRate: 0, a: 5, b: 2 };
const { blankId, eouId, eobId, vocabSize } = ids(params);
const modelJson = {
  format: 'eou-model/1',
  blankId,
  eouId,
  eobId,
  vocabSize,
  hiddenSize: H,
  encoderDim: E,
  jointDim: H,
  maxSymbolsPerFrame: 2,
  frameMs: 80,
  ext: 'onnx',
};
const vocabJson = { 0: '▁a', 1: 'b', 2: '▁c', 3: 'd', 4: '▁e', 5: 'f' };

/** An in-memory model directory holding every variant's files, opened as fake sessions. */
function memoryIO(files: Record<string, string>, sync = true): ModelDirectoryIO & { opened: FakeSession[] } {
  const sessions = hashSessions(params, { sync });
  const byFile: Record<string, FakeSession> = {
    'decoder.onnx': sessions.decoder,
    'joint_decision.onnx': sessions.joint,
    'decoder_joint_decision_pipeline.onnx': sessions.fused,
    'decoder_joint_decision_fused.onnx': sessions.fused,
    'decoder_joint_decision_fused_topk.onnx': sessions.fused,
    'decoder_joint_decision_int8.onnx': sessions.fused,
    'decoder_joint_decision_fp16.onnx': sessions.fused,
    'projected_encoder.onnx': sessions.projectedEncoder,
    'projected_decoder.onnx': sessions.projectedDecoder,
    'projected_joint.onnx': sessions.projectedJoint,
  };
  const opened: FakeSession[] = [];
  return {
    opened,
    readText: (path) => files[path] ?? Promise.reject(new Error(`no ${path}`)),
    exists: async (path) => path in files,
    openSession: async (path) => {
      const session = byFile[path.slice(path.lastIndexOf('/') + 1)]!;
      opened.push(session);
      return session;
    },
  };
}

function directory(names: string[]): Record<string, string> {
  const files: Record<string, string> = {
    'm/model.json': JSON.stringify(modelJson),
    'm/vocab.json': JSON.stringify(vocabJson),
  };
  for (const name of names) files[`m/${name}`] = '';
  return files;
}

const allFiles = [
  'decoder.onnx',
  'joint_decision.onnx',
  'decoder_joint_decision_pipeline.onnx',
  'decoder_joint_decision_fused.onnx',
  'decoder_joint_decision_fused_topk.onnx',
  'projected_encoder.onnx',
  'projected_decoder.onnx',
  'projected_joint.onnx',
  'decoder_joint_decision_int8.onnx',
  'decoder_joint_decision_fp16.onnx',
];

describe(loadModelDirectory, () => {
  it('loads every variant, and all of them decode to the same text on a deterministic model', async () => {
    const frames = makeFrames(20, 7);
    const texts = new Set<string>();
    for (const variant of variantNames) {
      const io = memoryIO(directory(allFiles));
      const loaded = await loadModelDirectory('m', variant, io, { decode: { eouPolicy: 'reset' } });
      expect(loaded.variant.name).toBe(variant);
      expect(loaded.decodeConfig.predictionPolicy).toBe(
        variant === 'cached' || variant === 'projected' ? 'cache' : 'recompute',
      );
      expect(loaded.model.kind).toBe(loaded.variant.kind);
      expect(loaded.model.frameMs).toBe(80);
      const result = await decodeUtterance(loaded.model, frames, 20, loaded.decodeConfig);
      texts.add(detokenize(result.tokens, loaded.vocab, loaded.decodeConfig));
      await loaded.close();
      expect(io.opened.every((s) => s.closed)).toBe(true);
    }
    expect(texts.size).toBe(1);
    expect([...texts][0]!.length).toBeGreaterThan(0);
  });

  it('names the opened files by role', async () => {
    const loaded = await loadModelDirectory('m/', 'ref', memoryIO(directory(allFiles)));
    expect(loaded.files).toEqual({ decoder: 'm/decoder.onnx', joint: 'm/joint_decision.onnx' });
  });

  it('joins paths without node:path', () => {
    expect(joinPath('a', 'b.onnx')).toBe('a/b.onnx');
    expect(joinPath('a/', 'b.onnx')).toBe('a/b.onnx');
    expect(joinPath('', 'b.onnx')).toBe('b.onnx');
  });

  it('EXPECTED FAILURE - a missing variant file is named with the command that builds it', async () => {
    const io = memoryIO(directory(['decoder.onnx', 'joint_decision.onnx']));
    await expect(loadModelDirectory('m', 'lean', io)).rejects.toMatchObject({
      name: 'RnntDecodeError',
      code: 'E_MISSING_FILE',
      message:
        'm: variant `lean` (build it with `eou fuse --variant lean`) needs decoder_joint_decision_fused.onnx, not found at m/decoder_joint_decision_fused.onnx',
    });
  });

  it('EXPECTED FAILURE - a session breaking the contract closes the ones already opened', async () => {
    const io = memoryIO(directory(allFiles));
    const open = io.openSession;
    io.openSession = async (path) => {
      const s = (await open(path)) as FakeSession;
      return path.endsWith('joint_decision.onnx')
        ? { ...s, inputs: [], close: () => void (s.closed = true) }
        : s;
    };
    await expect(loadModelDirectory('m', 'ref', io)).rejects.toMatchObject({ code: 'E_CONTRACT' });
    expect(io.opened.map((s) => s.closed)).toEqual([true, true]);
  });

  it('accepts a vocab.json without the blank and event ids', async () => {
    const loaded = await loadModelDirectory('m', 'ref', memoryIO(directory(allFiles)));
    expect([...loaded.vocab.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(loaded.vocab.has(blankId) || loaded.vocab.has(eouId)).toBe(false);
  });

  it('EXPECTED FAILURE - a vocab.json shorter than model.json vocabSize is refused naming both and the ids', async () => {
    // Before: loaded, and the tokens it lacks vanished from the text (issue 19, defect 7).
    const files = { ...directory(allFiles), 'm/vocab.json': JSON.stringify({ 0: '▁a', 2: '▁c' }) };
    await expect(loadModelDirectory('m', 'ref', memoryIO(files))).rejects.toMatchObject({
      name: 'RnntDecodeError',
      code: 'E_VOCAB',
      file: 'm/vocab.json',
      field: '1',
      message: `m/vocab.json: has no piece for 4 of the ${vocabSize} ids of model.json vocabSize (ids 1, 3, 4, 5); only blank, EOU and EOB may be absent`,
    });
  });

  it('EXPECTED FAILURE - a vocab.json id the model cannot emit is refused naming the file and the id', async () => {
    for (const vocab of [
      { ...vocabJson, [vocabSize + 2]: 'x' },
      [...Array.from({ length: vocabSize }, () => 'p'), 'extra'],
    ]) {
      const files = { ...directory(allFiles), 'm/vocab.json': JSON.stringify(vocab) };
      const bad = Array.isArray(vocab) ? vocabSize : vocabSize + 2;
      await expect(loadModelDirectory('m', 'ref', memoryIO(files))).rejects.toMatchObject({
        name: 'RnntDecodeError',
        code: 'E_VOCAB',
        file: 'm/vocab.json',
        field: String(bad),
        message: `m/vocab.json: token id ${bad} is not below model.json vocabSize ${vocabSize}`,
      });
    }
  });

  it('EXPECTED FAILURE - a joint with a top-k head wider than model.json vocabSize is refused', async () => {
    const io = memoryIO(directory(allFiles));
    const open = io.openSession;
    io.openSession = async (path) => {
      const s = (await open(path)) as FakeSession;
      return {
        ...s,
        outputs: path.endsWith('joint_decision.onnx')
          ? [...s.outputs, { name: 'top_k_ids', dtype: 'int32' as const, shape: [1, 1, 1, vocabSize + 1] }]
          : s.outputs,
      };
    };
    await expect(loadModelDirectory('m', 'ref', io)).rejects.toMatchObject({
      code: 'E_CONTRACT',
      field: 'top_k_ids',
      message: `joint_decision.onnx: output \`top_k_ids\` has top-k width ${vocabSize + 1} [1,1,1,${vocabSize + 1}], more than model.json vocabSize ${vocabSize}`,
    });
  });

  it('EXPECTED FAILURE - model.json sizes the sessions contradict are refused naming the file, tensor and both values', async () => {
    for (const [field, variant, message] of [
      [
        'hiddenSize',
        'ref',
        `decoder.onnx: input \`h_in\` expected float32 [1,B,${H + 1}], got float32 [1,1,${H}]`,
      ],
      [
        'encoderDim',
        'lean',
        `decoder_joint_decision_fused.onnx: input \`encoder_step\` expected float32 [B,${E + 1},1], got float32 [1,${E},1]`,
      ],
    ] as const) {
      const value = field === 'hiddenSize' ? H + 1 : E + 1;
      const files = {
        ...directory(allFiles),
        'm/model.json': JSON.stringify({ ...modelJson, jointDim: undefined, [field]: value }),
      };
      await expect(loadModelDirectory('m', variant, memoryIO(files))).rejects.toMatchObject({
        name: 'RnntDecodeError',
        code: 'E_CONTRACT',
        message,
      });
    }
  });

  it('BAD CALL - an unknown variant lists the known ones', async () => {
    await expect(loadModelDirectory('m', 'turbo', memoryIO(directory(allFiles)))).rejects.toMatchObject({
      name: 'RangeError',
      message:
        'variant must be one of ref, cached, pipeline, lean, lean-topk, projected, int8, fp16, got "turbo"',
    });
  });
});

describe('loadModelDirectory with a declared variant', () => {
  it('opens the files the declaration names and decodes like the built-in it mirrors', async () => {
    const spec = declareVariant({
      name: 'mine',
      kind: 'split',
      files: { decoder: 'decoder.onnx', joint: 'joint_decision.onnx' },
    });
    const files = directory(['decoder.onnx', 'joint_decision.onnx']);
    const mine = await loadModelDirectory('m', spec, memoryIO(files));
    const ref = await loadModelDirectory('m', 'ref', memoryIO(files));
    expect(mine.variant).toBe(spec);
    expect(mine.files).toEqual(ref.files);
    const frames = makeFrames(9, 4);
    const a = await decodeUtterance(mine.model, frames, 9, mine.decodeConfig);
    const b = await decodeUtterance(ref.model, frames, 9, ref.decodeConfig);
    expect(Array.from(a.tokens)).toEqual(Array.from(b.tokens));
  });

  it('EXPECTED FAILURE - a stateless variant of an LSTM model.json is refused naming predictionNet', async () => {
    const spec = declareVariant({
      name: 'z',
      kind: 'stateless',
      files: { decoder: 'decoder.onnx', joint: 'joiner.onnx' },
    });
    await expect(loadModelDirectory('m', spec, memoryIO(directory(['decoder.onnx'])))).rejects.toMatchObject({
      name: 'RnntDecodeError',
      code: 'E_MODEL_CONFIG',
      message:
        "m/model.json: variant `z` is a stateless variant but the model's prediction net is lstm (eou-model/1 `predictionNet`)",
    });
  });
});
