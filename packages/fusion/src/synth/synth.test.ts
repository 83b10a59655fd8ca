import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import type { LoadedModel } from '@eou/rnnt-decode';
import { decodeUtterance, detokenize, loadModelDirectory } from '@eou/rnnt-decode';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnnx } from '@eou/graph';
import { fromFloat16Array } from '../reference/fp16';
import { SynthCorpusGenerator } from './synthCorpus';
import { createSynthModel, fp16Exact } from './synthModel';
import { loadSynthModelDirectory, writeSynthModelDirectory } from './synthModelDirectory';

const root = mkdtempSync(join(tmpdir(), 'eou-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const io = {
  readText: (p: string) => readFileSync(p, 'utf8'),
  exists: (p: string) => existsSync(p),
  openSession: (p: string) => openOnnxSession(p),
};

async function decodeAll(loaded: LoadedModel, gen: SynthCorpusGenerator, files: number) {
  const out = [];
  for (let i = 0; i < files; i++) {
    const u = gen.utterance(i);
    const r = await decodeUtterance(loaded.model, u.frames, u.frameCount, loaded.decodeConfig);
    out.push({
      u,
      tokens: Array.from(r.tokens),
      eou: Array.from(r.eouFrames),
      text: detokenize(r.tokens, loaded.vocab, { eouId: loaded.config.eouId }),
    });
  }
  return out;
}

describe('synthetic models', () => {
  const tiny = join(root, 'tiny');
  const model = writeSynthModelDirectory(tiny, { shape: 'tiny', seed: 7 });

  it('write the exact contract of docs/onnx-layout.md with fp16 weights', () => {
    const cfg = JSON.parse(readFileSync(join(tiny, 'model.json'), 'utf8'));
    expect(cfg).toMatchObject({
      format: 'eou-model/1',
      vocabSize: 48,
      blankId: 47,
      eouId: 45,
      eobId: 46,
      hiddenSize: 40,
      encoderDim: 32,
      jointDim: 40,
      topK: 48,
      maxSymbolsPerFrame: 2,
    });
    const dec = readOnnx(readFileSync(join(tiny, 'decoder.onnx')));
    expect(dec.graph.inputs.map((i) => i.name)).toEqual(['targets', 'target_length', 'h_in', 'c_in']);
    expect(
      [...dec.graph.initializers.values()]
        .filter((t) => t.dims.length > 1)
        .every((t) => t.dtype === 'float16'),
    ).toBe(true);
    // Weights are exactly what the design says: reading them back gives the same values.
    const embed = dec.graph.initializers.get('embed.weight')!;
    expect(Array.from(fromFloat16Array(embed.data as Uint16Array))).toEqual(Array.from(model.decoder.embed));
    for (const w of [
      model.decoder.embed,
      model.decoder.W,
      model.decoder.R,
      model.decoder.B,
      model.joint.encWeight,
      model.joint.predWeight,
      model.joint.outWeight,
      model.joint.outBias,
    ]) {
      expect(fp16Exact(w)).toBe(true);
    }
    const vocab = JSON.parse(readFileSync(join(tiny, 'vocab.json'), 'utf8'));
    expect(Object.keys(vocab)).toHaveLength(47);
    expect(vocab['0']).toMatch(/^\u2581[a-z]+$/);
  });

  it('give byte-identical files for the same seed and different ones for another seed', () => {
    const again = join(root, 'tiny-again');
    const other = join(root, 'tiny-other');
    writeSynthModelDirectory(again, { shape: 'tiny', seed: 7 });
    writeSynthModelDirectory(other, { shape: 'tiny', seed: 8 });
    for (const f of ['decoder.onnx', 'joint_decision.onnx', 'vocab.json', 'model.json']) {
      expect(readFileSync(join(again, f)).equals(readFileSync(join(tiny, f)))).toBe(true);
    }
    expect(readFileSync(join(other, 'decoder.onnx')).equals(readFileSync(join(tiny, 'decoder.onnx')))).toBe(
      false,
    );
  });

  it('decode their corpus in ONNX Runtime to exactly the reference tokens at high margin, ref and cached alike, under both EOU policies', async () => {
    const gen = new SynthCorpusGenerator(loadSynthModelDirectory(tiny), { seed: 3 });
    for (const eouPolicy of ['stop-chunk', 'reset'] as const) {
      const results: number[][] = [];
      for (const variant of ['ref', 'cached']) {
        const loaded = await loadModelDirectory(tiny, variant, io, { decode: { eouPolicy } });
        const decoded = await decodeAll(loaded, gen, 20);
        for (const { u, tokens, eou, text } of decoded) {
          const expected = Array.from(u.tokens);
          expect(tokens).toEqual(eouPolicy === 'reset' ? expected : expected.slice(0, -1));
          expect(eou).toEqual([u.eouFrame]);
          expect(text).toBe(u.text);
          expect(u.referenceMismatches).toBe(0);
        }
        results.push(decoded.flatMap((d) => d.tokens));
        await loaded.close();
      }
      expect(results[1]).toEqual(results[0]);
    }
  });

  it('emit about one token per 2-4 frames, with the EOU in the last few frames', () => {
    const gen = new SynthCorpusGenerator(model, { seed: 5, framesPerFile: 92 });
    let frames = 0;
    let tokens = 0;
    for (let i = 0; i < 20; i++) {
      const u = gen.utterance(i);
      frames += u.frameCount;
      tokens += u.tokens.length;
      expect(u.frames).toHaveLength(u.frameCount * 32);
      expect(u.frameCount - u.eouFrame).toBeLessThanOrEqual(3);
      expect(u.eouFrame - u.tokenFrames[u.tokens.length - 2]!).toBeGreaterThanOrEqual(2);
      expect(Math.abs(u.frameCount - 92)).toBeLessThanOrEqual(8);
    }
    expect(frames / tokens).toBeGreaterThan(2.5);
    expect(frames / tokens).toBeLessThan(3.5);
  });

  it('flip a controllable share of low-margin frames, as substitutions', async () => {
    const loaded = await loadModelDirectory(tiny, 'ref', io, { decode: { eouPolicy: 'reset' } });
    const count = async (share: number) => {
      const decoded = await decodeAll(
        loaded,
        new SynthCorpusGenerator(model, { seed: 3, lowMarginShare: share }),
        20,
      );
      let subs = 0;
      let lengthChanges = 0;
      let low = 0;
      for (const { u, tokens } of decoded) {
        low += u.lowMarginFrames;
        if (tokens.length !== u.tokens.length) lengthChanges++;
        else subs += tokens.filter((t, k) => t !== u.tokens[k]).length;
      }
      return { subs, lengthChanges, low };
    };
    const some = await count(0.1);
    const more = await count(0.4);
    expect(some.low).toBeGreaterThan(20);
    expect(some.subs).toBeGreaterThan(some.low / 5);
    expect(some.subs).toBeLessThan(some.low);
    expect(more.subs).toBeGreaterThan(2 * some.subs);
    expect(more.lengthChanges).toBeLessThan(5);
    await loaded.close();
  });

  it('same corpus seed gives the same frames; files are independent of generation order', () => {
    const a = new SynthCorpusGenerator(model, { seed: 9 });
    const b = new SynthCorpusGenerator(model, { seed: 9 });
    const a3 = a.utterance(3);
    b.utterance(0);
    expect(b.utterance(3).frames).toEqual(a3.frames);
    expect(new SynthCorpusGenerator(model, { seed: 10 }).utterance(3).text).not.toBe(a3.text);
  });

  it('EXPECTED FAILURE - a modified or non-synthetic model directory is refused naming the file', () => {
    const dir = join(root, 'tampered');
    writeSynthModelDirectory(dir, { shape: 'tiny', seed: 7 });
    const bytes = readFileSync(join(dir, 'joint_decision.onnx'));
    bytes[bytes.length - 3]! ^= 1;
    writeFileSync(join(dir, 'joint_decision.onnx'), bytes);
    expect(() => loadSynthModelDirectory(dir)).toThrowError(
      expect.objectContaining({
        name: 'FusionError',
        code: 'E_SYNTH',
        message: `${join(dir, 'joint_decision.onnx')}: differs from the synthetic model model.json describes (seed 7, shape tiny)`,
      }),
    );
    const cfg = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete cfg.synth;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(cfg));
    expect(() => loadSynthModelDirectory(dir)).toThrowError(/no "synth" section from eou synth-model/);
  });

  it('BAD CALL - unknown shapes, bad seeds and margins are refused naming the option', () => {
    expect(() => createSynthModel({ shape: 'huge' as never })).toThrowError(
      'unknown synthetic shape "huge" (choices: parakeet-eou, tiny)',
    );
    expect(() => createSynthModel({ shape: 'tiny', seed: -1 })).toThrowError(RangeError);
    expect(() => createSynthModel({ shape: 'tiny', margin: 0 })).toThrowError(
      "margin must be 'high', 'low' or a positive number, got 0",
    );
    expect(() => new SynthCorpusGenerator(model, { lowMarginShare: 2 })).toThrowError(
      'lowMarginShare must be in [0, 1], got 2',
    );
  });
});

describe('the parakeet-shaped synthetic model', () => {
  it('has the Parakeet EOU sizes and decodes its corpus in ONNX Runtime to the reference', async () => {
    const dir = join(root, 'parakeet');
    const model = writeSynthModelDirectory(dir, { shape: 'parakeet-eou', seed: 1 });
    expect(model.modelJson).toMatchObject({
      vocabSize: 1027,
      blankId: 1026,
      eouId: 1024,
      eobId: 1025,
      hiddenSize: 640,
      encoderDim: 512,
      jointDim: 640,
      topK: 64,
    });
    const loaded = await loadModelDirectory(dir, 'cached', io);
    const decoded = await decodeAll(loaded, new SynthCorpusGenerator(model, { seed: 1 }), 3);
    for (const { u, text, eou } of decoded) {
      expect(text).toBe(u.text);
      expect(eou).toEqual([u.eouFrame]);
    }
    await loaded.close();
  }, 60_000);
});
