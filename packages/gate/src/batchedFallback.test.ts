/**
 * The batched gate's fallback: a variant whose lock-step tokens differ from its single-file tokens on
 * a checked file is decoded again one file at a time, and the run ends with the log and report of a
 * `batch: 1` run. The difference is real, not mocked: the shipped `lean` file (made by "another
 * tool") is not what the decoder / joint pair builds (see test/staleVariant.ts), on two marked files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fuseModelDirectory } from '@eou/fusion';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCorpus, makeModel } from '../test/fixture';
import { LEAN_FILE, makeLeanFileStale, markFramesDimZero } from '../test/staleVariant';
import { createFileDecoder } from './fileDecoder';
import { deterministicPart, type GateReport } from './gateReport';
import { readResults, type FileResult } from './resultsLog';
import { runGate, type RunGateOptions } from './runGate';
import { gateDefaults } from './settings';

/** Manifest positions of the files where the two lean graphs decide differently. */
const MARKED = [4, 20];
const FILES = 30;

let root: string;
let model: string;
let corpus: string;
/** The lean the pair builds (what lock step decodes), in a copy of the model directory. */
let rebuilt: string;
let single: { report: GateReport; files: FileResult[] };
const base = (): Omit<RunGateOptions, 'outDir'> => ({
  modelDir: model,
  dataDir: corpus,
  candidates: ['pipeline', 'lean'],
  workers: 1,
  batch: 1,
  provenance: { command: 'a test', versions: { '@eou/gate': 'test' } },
});

/** The results lines with their decode times zeroed, in manifest order. */
function lines(outDir: string): FileResult[] {
  return readResults(path.join(outDir, 'results.jsonl'))
    .files.map((f) => ({
      ...f,
      variants: Object.fromEntries(Object.entries(f.variants).map(([v, r]) => [v, { ...r, decodeMs: 0 }])),
    }))
    .sort((a, b) => a.index - b.index);
}

async function run(name: string, options: Partial<RunGateOptions>) {
  const outDir = path.join(root, name);
  const { report } = await runGate({ ...base(), ...options, outDir });
  return { report: report!, files: lines(outDir) };
}

/** Lean tokens of every file, decoded one file at a time from `modelDir`. */
async function leanTokens(modelDir: string): Promise<number[][]> {
  const decoder = await createFileDecoder({
    modelDir,
    variants: ['lean'],
    eouPolicy: gateDefaults.eouPolicy,
  });
  try {
    const out: number[][] = [];
    const manifest = fs.readFileSync(path.join(corpus, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean);
    for (const line of manifest) {
      const d = await decoder.decodeFile(path.join(corpus, (JSON.parse(line) as { frames: string }).frames));
      if (!d.ok) throw new Error(d.reason);
      out.push(d.variants['lean']!.tokens);
    }
    return out;
  } finally {
    await decoder.close();
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-fallback-'));
  model = makeModel(path.join(root, 'model'));
  corpus = makeCorpus(path.join(root, 'corpus'), model, { files: FILES });
  markFramesDimZero(corpus, MARKED);
  rebuilt = path.join(root, 'rebuilt');
  fs.cpSync(model, rebuilt, { recursive: true });
  makeLeanFileStale(model);
  single = await run('single', {});
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the lean file not built from the pair (the mechanism of these tests)', () => {
  it('decodes exactly the marked files differently from the lean the pair builds', async () => {
    const built = fuseModelDirectory(rebuilt, { variant: 'lean' });
    expect(built.files.map((f) => f.fileName)).toEqual([LEAN_FILE]);
    const [stale, fresh] = [await leanTokens(model), await leanTokens(rebuilt)];
    const differing = stale.flatMap((t, i) => (JSON.stringify(t) === JSON.stringify(fresh[i]) ? [] : [i]));
    expect(differing).toEqual(MARKED);
  });
});

describe('a variant whose lock-step tokens differ on a checked file', () => {
  it.each([
    ['in-process', 1, 'in-process, lock-step batches'],
    ['on worker threads', 2, 'worker-threads, lock-step batches'],
  ] as const)(
    '%s: decodes that variant alone again, to the log and report of batch 1',
    async (_how, workers, mode) => {
      // B = 3: the check covers files 0..5, marked file 4 among them.
      const got = await run(`fallback-${workers}`, { batch: 3, workers });
      const execution = got.report.execution;
      expect(execution.mode).toBe(mode);
      expect(execution.batch).toMatchObject({ rows: 3, batched: ['cached', 'pipeline'], single: ['lean'] });
      expect(execution.batch!.check).toBe(
        'the first 6 file(s) decoded one at a time and in lock step: tokens and frames identical for cached, ' +
          'pipeline; lean differed, so every file was decoded again with them one file at a time' +
          (workers > 1 ? "; the lock-step decodes compared were the worker threads'" : '') +
          '; the other 24 file(s) were decoded with cached, pipeline in lock step only, not compared',
      );
      expect(got.files).toHaveLength(FILES);
      expect(got.files).toEqual(single.files);
      expect(deterministicPart(got.report)).toEqual(deterministicPart(single.report));
    },
  );
});

describe('a variant that differs on a checked file, in-process with several lock-step groups', () => {
  it('stops the lock-step decode and ends with the log and report of batch 1', async () => {
    // 40 files at B = 2: groups of 32 and 8 files, the check covers files 0..3 (marked file 2).
    const many = makeCorpus(path.join(root, 'corpus-40'), model, { files: 40, seed: 5 });
    markFramesDimZero(many, [2, 35]);
    const want = await run('single-40', { dataDir: many });
    const got = await run('fallback-40', { dataDir: many, batch: 2 });
    expect(got.report.execution.batch).toMatchObject({ batched: ['cached', 'pipeline'], single: ['lean'] });
    expect(got.files).toHaveLength(40);
    expect(got.files).toEqual(want.files);
    expect(deterministicPart(got.report)).toEqual(deterministicPart(want.report));
  });
});

describe('a variant whose lock-step tokens differ only after the checked files', () => {
  it('stays batched: its lines there are the lock-step decode, the check says which files it covered', async () => {
    // B = 2: the check covers files 0..3; marked files 4 and 20 are decoded in lock step only.
    const got = await run('unchecked', { batch: 2 });
    const batch = got.report.execution.batch!;
    expect(batch).toMatchObject({ rows: 2, batched: ['cached', 'pipeline', 'lean'], single: [] });
    expect(batch.check).toMatch(/^the first 4 file\(s\) decoded one at a time and in lock step/);
    expect(batch.check).toMatch(
      /; the other 26 file\(s\) were decoded with cached, pipeline, lean in lock step only, not compared$/,
    );
    const fresh = await leanTokens(rebuilt);
    for (const [i, line] of got.files.entries()) {
      const want = single.files[i]!;
      if (!MARKED.includes(i)) {
        expect(line, line.id).toEqual(want);
        continue;
      }
      // What the gate guarantees ends at the checked files: here lean is what the lock-step graphs
      // decide (the pair's lean), not the shipped file's single-file decode.
      expect(line.variants['lean']!.tokens, line.id).toEqual(fresh[i]);
      expect(line.variants['lean']!.tokens, line.id).not.toEqual(want.variants['lean']!.tokens);
      expect(line.variants['pipeline'], line.id).toEqual(want.variants['pipeline']);
    }
    expect(deterministicPart(got.report)).not.toEqual(deterministicPart(single.report));
  });
});
