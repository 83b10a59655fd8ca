import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readOnnx } from '@eou/graph';
import { openOnnxSession } from '@eou/onnx-runtime';
import { decodeUtterance, loadModelDirectory, type ModelDirectoryIO } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynthCorpusGenerator } from '../synth/synthCorpus';
import { writeSynthModelDirectory } from '../synth/synthModelDirectory';
import { fuseModelDirectory } from './fuseModelDirectory';
import { fp16FileName, int8FileName, quantizeRows } from './quantizedVariants';

let dir = '';
let synth: ReturnType<typeof writeSynthModelDirectory>;
const io: ModelDirectoryIO = {
  readText: (p) => readFileSync(p, 'utf8'),
  exists: (p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  },
  openSession: (p) => openOnnxSession(p, { intraOpNumThreads: 1, interOpNumThreads: 1 }),
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quantized-'));
  synth = writeSynthModelDirectory(dir, { shape: 'tiny', seed: 5, margin: 'high' });
  for (const v of ['lean', 'int8', 'fp16']) fuseModelDirectory(dir, { variant: v });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(quantizeRows, () => {
  it('keeps every weight within half a step of its row scale, stored transposed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 25, maxLength: 25 }),
        (N, K, pool) => {
          const w = Float32Array.from({ length: N * K }, (_, i) => pool[i]!);
          const { q, scale } = quantizeRows(w, N, K);
          for (let n = 0; n < N; n++)
            for (let k = 0; k < K; k++)
              expect(Math.abs(q[k * N + n]! * scale[n]! - w[n * K + k]!)).toBeLessThanOrEqual(
                scale[n]! / 2 + 1e-6,
              );
        },
      ),
    );
  });
});

describe('int8 and fp16 variants', () => {
  it('store the LSTM and joint weights as int8 behind MatMulInteger', () => {
    const m = readOnnx(readFileSync(join(dir, int8FileName)));
    const ops = m.graph.nodes.map((n) => n.opType);
    expect(ops.filter((o) => o === 'MatMulInteger')).toHaveLength(5);
    expect(ops).not.toContain('LSTM');
    expect(ops).not.toContain('Gemm');
    expect(
      [...m.graph.initializers.values()].filter((t) => t.dtype === 'int8' && t.dims.length === 2),
    ).toHaveLength(5);
    expect(m.metadata['eou.variant']).toBe('int8');
    const half = readOnnx(readFileSync(join(dir, fp16FileName)));
    expect([...half.graph.initializers.values()].every((t) => t.dtype !== 'float32')).toBe(true);
  });

  it('decode a high-margin corpus to the same tokens as lean', async () => {
    const corpus = new SynthCorpusGenerator(synth, { seed: 6, framesPerFile: 24 });
    const files = Array.from({ length: 6 }, (_, k) => corpus.utterance(k));
    const lean = await loadModelDirectory(dir, 'lean', io);
    try {
      for (const v of ['int8', 'fp16']) {
        const q = await loadModelDirectory(dir, v, io);
        try {
          for (const f of files) {
            const a = await decodeUtterance(lean.model, f.frames, f.frameCount, lean.decodeConfig);
            const b = await decodeUtterance(q.model, f.frames, f.frameCount, q.decodeConfig);
            expect(Array.from(b.tokens), `${v} ${f.id}`).toEqual(Array.from(a.tokens));
          }
        } finally {
          await q.close();
        }
      }
    } finally {
      await lean.close();
    }
  });
});
