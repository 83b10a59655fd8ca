import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStreamingModel, readAudioFile, transcribe } from '@eou/frontend';
import { openOnnxSession } from '@eou/onnx-runtime';
import type { ModelDirectoryIO } from '@eou/rnnt-decode';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parakeetDir, skipNote, zipformerDir } from '../test/paths';
import { inspectModelDirectory } from './inspectModelDirectory';
import { readModelDirectory } from './readModelDirectory';
import { writeModelJson } from './writeModelJson';

const io: ModelDirectoryIO = {
  readText: (p) => readFileSync(p, 'utf8'),
  exists: (p) => existsSync(p),
  openSession: (p) => openOnnxSession(p, { intraOpNumThreads: 1, interOpNumThreads: 1 }),
};
const scratch = mkdtempSync(join(tmpdir(), 'model-dir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Word errors by plain Levenshtein (a rough check of real transcripts, not @eou/wer). */
function wordErrors(ref: readonly string[], hyp: readonly string[]): number {
  let row = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const next = [i];
    for (let j = 1; j <= hyp.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    row = next;
  }
  return row[hyp.length]!;
}

describe.skipIf(zipformerDir === undefined)(
  `a sherpa-onnx zipformer directory without model.json${skipNote(zipformerDir, 'zipformer-kws-gigaspeech-3.3M')}`,
  () => {
    const dir = zipformerDir!;

    it('is described from its ONNX metadata and graphs the way sherpa-onnx reads them', () => {
      const md = readModelDirectory(dir);
      expect(md.layout).toBe('sherpa-onnx');
      expect(md.derivedFrom).toEqual(['encoder.int8.onnx', 'decoder.onnx', 'joiner.onnx', 'tokens.txt']);
      expect(md.config).toMatchObject({
        layout: 'sherpa-onnx',
        blankId: 0,
        eouId: undefined,
        unkId: 2, // `<unk> 2` in tokens.txt: decoded as blank, as sherpa-onnx does
        vocabSize: 500,
        hiddenSize: 320,
        encoderDim: 320,
        maxSymbolsPerFrame: 1,
        frameMs: 40,
        vocab: 'tokens.txt',
        predictionNet: { kind: 'stateless', contextSize: 2, startContext: [-1, 0] },
      });
      const summary = inspectModelDirectory(dir);
      expect(summary.encoder?.states).toHaveLength(38);
      expect(summary.encoder?.states[0]).toEqual({
        input: 'cached_key_0',
        output: 'new_cached_key_0',
        shape: [64, 1, 128],
      });
      expect(summary.encoder?.schedule).toMatchObject({
        windowFrames: 45,
        shiftFrames: 32,
        tailPaddingMs: 800,
      });
      expect(summary.variants.map((v) => [v.name, v.status])).toEqual([
        ['ref', 'present'],
        ['int8-decoder', 'present'],
        ['int8-joiner', 'present'],
        ['int8-both', 'present'],
      ]);
      expect(summary.vocab).toEqual({ file: 'tokens.txt', pieces: 500 });
    });

    it('loads through the streaming loop on the derived description and transcribes the LibriSpeech clips (3 errors in 66 words, as sherpa-onnx)', async () => {
      const md = readModelDirectory(dir);
      const refs = new Map(
        readFileSync(join(dir, 'test_wavs', 'trans.txt'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)] as const),
      );
      let errors = 0;
      let words = 0;
      for (const variant of ['ref', 'int8-both']) {
        const model = await loadStreamingModel(dir, io, { variant, description: md.description });
        try {
          expect(model.endpointRules).not.toBeNull();
          for (const id of ['0', '1']) {
            const audio = (await readAudioFile(join(dir, 'test_wavs', `${id}.wav`), { sampleRate: 16000 }))
              .samples;
            const r = await transcribe(audio, model.transcriberOptions());
            expect(r.schedule).toBe('zipformer2-320ms');
            if (variant !== 'ref') continue;
            const ref = refs.get(`${id}.wav`)!.split(' ');
            errors += wordErrors(ref, r.text.toUpperCase().split(' '));
            words += ref.length;
          }
        } finally {
          await model.close();
        }
      }
      expect([errors, words]).toEqual([3, 66]);
    });

    it('writes its model.json so a copy is an ordinary toolkit directory described the same way', () => {
      const copy = join(scratch, 'zipformer');
      cpSync(dir, copy, { recursive: true });
      const md = readModelDirectory(copy);
      expect(writeModelJson(md)).toBe(join(copy, 'model.json'));
      const again = readModelDirectory(copy);
      expect(again.layout).toBe('model.json');
      expect(again.config).toEqual(md.config);
      expect(JSON.parse(readFileSync(join(copy, 'model.json'), 'utf8'))).toEqual(md.modelJson);
    });

    it('EXPECTED FAILURE - a path that cannot be written is named with --out as the fix, and nothing is left behind', () => {
      const md = readModelDirectory(dir);
      const out = join(scratch, 'no-such-dir', 'model.json');
      expect(() => writeModelJson(md, out)).toThrow(
        `${out}: cannot write the model.json (ENOENT); pass --out FILE to write it elsewhere`,
      );
      expect(existsSync(join(scratch, 'no-such-dir'))).toBe(false);
    });
  },
);

describe.skipIf(parakeetDir === undefined)(
  `the real FluidAudio Parakeet EOU folder without model.json${skipNote(parakeetDir, 'parakeet-eou-160ms')}`,
  () => {
    it('is described from the graphs and the vocabulary: ids, sizes, top-k and the mlmodelc extension', () => {
      const md = readModelDirectory(parakeetDir!);
      expect(md.layout).toBe('fluidaudio');
      expect(md.config).toMatchObject({
        layout: 'eou',
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
        ext: 'mlmodelc',
        predictionNet: { kind: 'lstm' },
      });
      const summary = inspectModelDirectory(parakeetDir!);
      expect(summary.variants.slice(0, 3).map((v) => [v.name, v.status])).toEqual([
        ['ref', 'present'],
        ['cached', 'present'],
        ['pipeline', 'buildable'],
      ]);
      expect(summary.endOfUtterance).toBe('EOU token 1024 (debounced)');
    });
  },
);
