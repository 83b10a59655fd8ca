import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder, writeOnnx } from '@eou/graph';
import { parakeetDir, skipNote } from '../test/paths';
import { writeSherpaDir } from '../test/sherpaDir';
import { detectLayout, readModelDirectory } from './readModelDirectory';

const scratch = mkdtempSync(join(tmpdir(), 'model-dir-synth-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(scratch, `d${n++}`);

describe(readModelDirectory, () => {
  it('derives a synthetic sherpa-onnx directory: window, shift and frame time from metadata and shapes', () => {
    const md = readModelDirectory(writeSherpaDir(fresh()));
    expect(md.config).toMatchObject({
      vocabSize: 6,
      hiddenSize: 16,
      encoderDim: 16,
      frameMs: 40,
      blankId: 0,
      unkId: undefined, // its tokens.txt has no <unk>
    });
    expect((md.modelJson['encoder'] as { streaming: { schedule: object } }).streaming.schedule).toMatchObject(
      {
        windowFrames: 45,
        shiftFrames: 32,
        frameMs: 40,
      },
    );
    expect(md.modelJson['variants']).toBeUndefined();
  });

  it("declares zoo file names under the built-in variant names (each precision's one file)", () => {
    const md = readModelDirectory(
      writeSherpaDir(fresh(), {
        encoders: ['encoder-epoch-99-avg-1-chunk-16.onnx'],
        decoders: ['decoder-epoch-99-avg-1.onnx', 'decoder-epoch-99-avg-1.int8.onnx'],
        joiners: ['joiner-epoch-99-avg-1.onnx'],
      }),
    );
    expect(md.modelJson['variants']).toEqual([
      expect.objectContaining({
        name: 'ref',
        files: { decoder: 'decoder-epoch-99-avg-1.onnx', joint: 'joiner-epoch-99-avg-1.onnx' },
      }),
      expect.objectContaining({
        name: 'int8-decoder',
        files: { decoder: 'decoder-epoch-99-avg-1.int8.onnx', joint: 'joiner-epoch-99-avg-1.onnx' },
      }),
    ]);
  });

  it('tells the layouts apart by their files', () => {
    expect(detectLayout(['model.json', 'decoder.onnx'])).toBe('model.json');
    expect(detectLayout(['decoder.onnx', 'joiner.onnx', 'tokens.txt'])).toBe('sherpa-onnx');
    expect(detectLayout(['decoder.mlmodelc', 'joint_decision.mlmodelc', 'vocab.json'])).toBe('fluidaudio');
    expect(detectLayout(['README.md'])).toBeUndefined();
  });

  it('EXPECTED FAILURE - a directory of nothing known says what a model directory holds', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), '');
    expect(() => readModelDirectory(dir)).toThrow(
      `${dir}: not a model directory: no model.json, no sherpa-onnx transducer (encoder*.onnx, decoder*.onnx, joiner*.onnx, tokens.txt), no FluidAudio Parakeet folder (decoder.mlmodelc, joint_decision.mlmodelc, vocab.json); \`eou synth-model\` writes an example`,
    );
    expect(() => readModelDirectory(join(dir, 'notes.txt'))).toThrow(
      `${join(dir, 'notes.txt')}: not a directory`,
    );
  });

  it('EXPECTED FAILURE - a sherpa-onnx directory without tokens.txt names the file', () => {
    const dir = writeSherpaDir(fresh(), { withTokens: false });
    expect(() => readModelDirectory(dir)).toThrow(
      `${dir}: a sherpa-onnx transducer directory needs tokens.txt (\`piece id\` per line), not found (it has decoder.int8.onnx, decoder.onnx, encoder.onnx, joiner.int8.onnx, joiner.onnx)`,
    );
  });

  it('EXPECTED FAILURE - two encoders are named, with the flag that picks one', () => {
    const dir = writeSherpaDir(fresh(), { encoders: ['encoder-a.onnx', 'encoder-b.onnx'] });
    expect(() => readModelDirectory(dir)).toThrow(
      `${dir}: 2 encoders (encoder-a.onnx, encoder-b.onnx); name one (\`eou model-json ${dir} --encoder FILE\`, or encoder.streaming.file in a model.json)`,
    );
    expect(readModelDirectory(dir, { encoder: 'encoder-b.onnx' }).derivedFrom[0]).toBe('encoder-b.onnx');
  });

  it('EXPECTED FAILURE - missing ONNX metadata names the file and the key', () => {
    const dir = writeSherpaDir(fresh(), { encoderMeta: { T: '45' } });
    expect(() => readModelDirectory(dir)).toThrow(
      `${join(dir, 'encoder.onnx')}: ONNX metadata has no \`decode_chunk_len\` (fbank frames the window advances, which sherpa-onnx reads too); re-export with it, or write the model.json by hand (docs/onnx-layout.md)`,
    );
    const noContext = writeSherpaDir(fresh(), { decoderMeta: {} });
    expect(() => readModelDirectory(noContext)).toThrow(
      `${join(noContext, 'decoder.onnx')}: ONNX metadata has no \`context_size\``,
    );
  });

  it('EXPECTED FAILURE - a tokens.txt of another model, and an unpaired state, are named', () => {
    const dir = writeSherpaDir(fresh(), { tokens: 5 });
    expect(() => readModelDirectory(dir)).toThrow(
      `${join(dir, 'tokens.txt')}: 5 tokens, the joiner joiner.onnx scores 6; tokens.txt is not this model's`,
    );
    const unpaired = writeSherpaDir(fresh(), { stateOutput: 'next_s' });
    expect(() => readModelDirectory(unpaired)).toThrow(
      `${join(unpaired, 'encoder.onnx')}: state input \`s\` has no output \`new_s\``,
    );
  });

  it('EXPECTED FAILURE - a vocabSize the shipped joint does not score is refused naming both files', () => {
    // The joint returns token_id (argmax inside), so its width shows only in its output layer;
    // declared one larger, the blank id 7 is one the graph can never return.
    const b = new GraphBuilder('joint_decision');
    const x = b.input('x', 'float32', [1, 4]);
    const logits = b.gemm(
      x,
      b.weight('w', new Float32Array(28), [4, 7]),
      b.weight('b', new Float32Array(7), [7]),
    );
    b.output(b.argMax(logits, {}, 'token_id'), 'int64', [1, 1]);
    const write = (vocabSize: number): string => {
      const dir = fresh();
      mkdirSync(dir);
      writeFileSync(join(dir, 'joint_decision.onnx'), writeOnnx(b.toModel()));
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          format: 'eou-model/1',
          blankId: vocabSize - 1,
          vocabSize,
          hiddenSize: 4,
          encoderDim: 4,
        }),
      );
      return dir;
    };
    expect(readModelDirectory(write(7)).config.vocabSize).toBe(7);
    const wrong = write(8);
    expect(() => readModelDirectory(wrong)).toThrow(
      expect.objectContaining({
        code: 'E_MISMATCH',
        field: 'vocabSize',
        message: `${join(wrong, 'model.json')}: \`vocabSize\` is 8, but ${join(wrong, 'joint_decision.onnx')} ranks 7 scores; model.json is not this joint's`,
      }),
    );
  });

  it('EXPECTED FAILURE - a bad model.json is named by the parsers the loaders use', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ format: 'eou-model/1', blankId: 0, vocabSize: 1 }),
    );
    expect(() => readModelDirectory(dir)).toThrow(
      `${join(dir, 'model.json')}: \`vocabSize\` must be an integer in 2..`,
    );
  });
});

describe.skipIf(parakeetDir === undefined)(
  `FluidAudio folders with a file missing${skipNote(parakeetDir, 'parakeet-eou-160ms')}`,
  () => {
    it('EXPECTED FAILURE - no vocab.json, or no joint, says which file and where it comes from', () => {
      const dir = fresh();
      cpSync(parakeetDir!, dir, { recursive: true });
      rmSync(join(dir, 'vocab.json'), { force: true });
      expect(() => readModelDirectory(dir)).toThrow(
        `${dir}: a FluidAudio Parakeet folder needs vocab.json (token id -> piece), not found; copy it from the release next to the graphs (FluidAudio ships it beside the .mlmodelc folders)`,
      );
      const noJoint = fresh();
      cpSync(parakeetDir!, noJoint, { recursive: true });
      rmSync(join(noJoint, 'joint_decision.mlmodelc'), { recursive: true, force: true });
      expect(() => readModelDirectory(noJoint)).toThrow(
        `${noJoint}: a FluidAudio Parakeet folder needs joint_decision.mlmodelc or joint_decision.mlpackage, not found; copy the joint from the same release`,
      );
    });
  },
);
