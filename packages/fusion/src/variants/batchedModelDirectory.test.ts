import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOnnx, writeOnnx } from '@eou/graph';
import { openOnnxSession } from '@eou/onnx-runtime';
import { decodeRefill, decodeUtterance, loadModelDirectory, type ModelDirectoryIO } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynthCorpusGenerator } from '../synth/synthCorpus';
import { writeSynthModelDirectory } from '../synth/synthModelDirectory';
import { fuseModelDirectory } from './fuseModelDirectory';
import { BATCH_DIM, writeBatchedModelDirectory } from './batchedModelDirectory';
import { checkVariantSources } from './checkVariantSources';

let dir = '';
let shipped = '';
let batched = '';
let synth: ReturnType<typeof writeSynthModelDirectory>;
const variants = ['cached', 'pipeline', 'lean', 'projected'];

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
  dir = mkdtempSync(join(tmpdir(), 'batched-dir-'));
  shipped = join(dir, 'shipped');
  batched = join(dir, 'batched');
  synth = writeSynthModelDirectory(shipped, { shape: 'tiny', seed: 2 });
  for (const v of ['pipeline', 'lean', 'projected']) fuseModelDirectory(shipped, { variant: v });
  writeBatchedModelDirectory(shipped, batched, variants);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(writeBatchedModelDirectory, () => {
  it('widens the shipped pair to a symbolic batch, weights untouched', () => {
    const from = readOnnx(readFileSync(join(shipped, 'decoder.onnx')));
    const to = readOnnx(readFileSync(join(batched, 'decoder.onnx')));
    expect(to.graph.inputs.find((i) => i.name === 'targets')!.shape).toEqual([BATCH_DIM, 1]);
    expect(to.graph.inputs.find((i) => i.name === 'h_in')!.shape[1]).toBe(BATCH_DIM);
    expect(to.graph.nodes).toEqual(from.graph.nodes);
    expect([...to.graph.initializers.keys()]).toEqual([...from.graph.initializers.keys()]);
    expect(to.metadata['eou.batch']).toBe(BATCH_DIM);
  });

  it('gives batch-capable variants that decode every file as the shipped single-row files do', async () => {
    const corpus = new SynthCorpusGenerator(synth, { seed: 4, framesPerFile: 20 });
    const files = Array.from({ length: 7 }, (_, k) => corpus.utterance(k));
    for (const v of variants) {
      const one = await loadModelDirectory(shipped, v, io);
      const many = await loadModelDirectory(batched, v, io);
      try {
        expect(one.model.maxBatch).toBe(1);
        expect(many.model.maxBatch).toBeGreaterThan(1);
        const got = await decodeRefill(many.model, files, many.decodeConfig, { rows: 3 });
        for (const [i, f] of files.entries()) {
          const alone = await decodeUtterance(one.model, f.frames, f.frameCount, one.decodeConfig);
          expect(Array.from(got.utterances[i]!.tokens), `${v} file ${i}`).toEqual(Array.from(alone.tokens));
        }
      } finally {
        await Promise.all([one.close(), many.close()]);
      }
    }
  });

  it('refuses an unknown variant by name', () => {
    expect(() => writeBatchedModelDirectory(shipped, join(dir, 'x'), ['nope'])).toThrow(
      /unknown variant 'nope'/,
    );
  });
});

describe('shipped files that are not what the pair builds', () => {
  it('builds every variant whose shipped files are the build of the pair', () => {
    const r = writeBatchedModelDirectory(shipped, join(dir, 'again'), variants);
    expect(r.built).toEqual(['pipeline', 'lean', 'projected']);
    expect(r.skipped).toEqual({});
  });

  it('builds a variant whose shipped file holds the same graph without our metadata (another tool)', () => {
    const other = join(dir, 'same-graph');
    cpSync(shipped, other, { recursive: true });
    const lean = join(other, 'decoder_joint_decision_fused.onnx');
    const m = readOnnx(readFileSync(lean));
    writeFileSync(lean, writeOnnx({ ...m, producerName: 'other', producerVersion: '9', metadata: {} }));
    const r = writeBatchedModelDirectory(other, join(dir, 'same-graph-batched'), variants);
    expect(r.built).toEqual(['pipeline', 'lean', 'projected']);
  });

  it('leaves out a variant whose shipped file holds another graph, saying why', () => {
    const other = join(dir, 'other-graph');
    cpSync(shipped, other, { recursive: true });
    // One weight changed: what a file made by another tool could hold, and checkVariantSources
    // lets through (its metadata still names this pair).
    const lean = join(other, 'decoder_joint_decision_fused.onnx');
    const m = readOnnx(readFileSync(lean));
    const w = m.graph.initializers.get('joint.enc.weight')!;
    const data = Uint16Array.from(w.data as Uint16Array);
    data[0] = data[0]! ^ 0x8000;
    const initializers = new Map(m.graph.initializers).set('joint.enc.weight', { ...w, data });
    writeFileSync(lean, writeOnnx({ ...m, graph: { ...m.graph, initializers } }));
    checkVariantSources(other, 'lean');
    const r = writeBatchedModelDirectory(other, join(dir, 'other-batched'), variants);
    expect(r.built).toEqual(['pipeline', 'projected']);
    expect(r.skipped).toEqual({
      lean: 'its shipped decoder_joint_decision_fused.onnx is not the graph decoder.onnx and joint_decision.onnx build, so a lock-step build would decode another graph',
    });
    expect(existsSync(join(dir, 'other-batched', 'decoder_joint_decision_fused.onnx'))).toBe(false);
  });
});

describe('row-coupled variants', () => {
  it('leaves int8 out of a batched build, saying why', () => {
    fuseModelDirectory(shipped, { variant: 'int8' });
    const r = writeBatchedModelDirectory(shipped, join(dir, 'with-int8'), ['cached', 'int8']);
    expect(r.built).toEqual([]);
    expect(r.skipped['int8']).toMatch(/one scale per call/);
  });
});
