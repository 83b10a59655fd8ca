/**
 * The batched gate where lock step and single-file decoding could disagree for one variant, on two
 * marked files of 30 (see test/staleVariant.ts for how): a lean file made by another tool (caught
 * before the lock-step decode), and a lock-step lean graph that differs from the shipped one (put
 * there through the test seam: the check finds it on the first 2B files and decodes lean again one
 * file at a time; after them it stays, which is the edge of what the gate guarantees). Each run is
 * compared with a `batch: 1` run: results lines (decode times aside) and the report outside timing,
 * execution and provenance.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fuseModelDirectory } from '@eou/fusion';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeCorpus, makeModel } from '../test/fixture';
import { LEAN_FILE, makeLeanFileStale, markFramesDimZero } from '../test/staleVariant';
import { lockStepGraphsSeam } from './batchedRun';
import { createFileDecoder } from './fileDecoder';
import { deterministicPart, type GateReport } from './gateReport';
import { readResults, type FileResult } from './resultsLog';
import { runGate, type RunGateOptions } from './runGate';
import { gateDefaults } from './settings';

/** Manifest positions of the files where the two lean graphs decide differently. */
const MARKED = [4, 20];
const FILES = 30;

let root: string;
/** The fixture model: every built variant is what its pair builds. */
let model: string;
/** The same with a lean file made by another tool. */
let other: string;
let corpus: string;
/** `batch: 1` runs of each model directory. */
const single: Record<'model' | 'other', { report: GateReport; files: FileResult[] }> = {} as never;
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

/** Lean tokens of every file of `dataDir`, decoded one file at a time from `modelDir`. */
async function leanTokens(modelDir: string, dataDir = corpus): Promise<number[][]> {
  const decoder = await createFileDecoder({
    modelDir,
    variants: ['lean'],
    eouPolicy: gateDefaults.eouPolicy,
  });
  try {
    const out: number[][] = [];
    const manifest = fs
      .readFileSync(path.join(dataDir, 'manifest.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    for (const line of manifest) {
      const d = await decoder.decodeFile(path.join(dataDir, (JSON.parse(line) as { frames: string }).frames));
      if (!d.ok) throw new Error(d.reason);
      out.push(d.variants['lean']!.tokens);
    }
    return out;
  } finally {
    await decoder.close();
  }
}

const differingFiles = (a: number[][], b: number[][]) =>
  a.flatMap((t, i) => (JSON.stringify(t) === JSON.stringify(b[i]) ? [] : [i]));

/** Makes the lock-step lean of the next runs the other tool's graph (widened), the rest untouched. */
const editLockStepLean = () => {
  lockStepGraphsSeam.edit = (dir) => makeLeanFileStale(dir, { keepMetadata: true });
};

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-fallback-'));
  model = makeModel(path.join(root, 'model'));
  corpus = makeCorpus(path.join(root, 'corpus'), model, { files: FILES });
  markFramesDimZero(corpus, MARKED);
  other = path.join(root, 'other');
  fs.cpSync(model, other, { recursive: true });
  makeLeanFileStale(other);
  single.model = await run('single', {});
  single.other = await run('single-other', { modelDir: other });
}, 120_000);

afterEach(() => {
  lockStepGraphsSeam.edit = undefined;
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the lean file made by another tool (the mechanism of these tests)', () => {
  it('decodes exactly the marked files differently from the lean the pair builds', async () => {
    expect(differingFiles(await leanTokens(other), await leanTokens(model))).toEqual(MARKED);
    // Rebuilding it from the pair gives the fixture's file back: the pair was left as it was.
    const copy = path.join(root, 'rebuilt');
    fs.cpSync(other, copy, { recursive: true });
    fuseModelDirectory(copy, { variant: 'lean' });
    expect(
      fs.readFileSync(path.join(copy, LEAN_FILE)).equals(fs.readFileSync(path.join(model, LEAN_FILE))),
    ).toBe(true);
  });
});

describe('a built variant whose shipped file is not what the pair builds', () => {
  it.each([
    ['B = 3 (marked file 4 among the checked files), in-process', 3, 1],
    ['B = 2 (both marked files after the checked ones), in-process', 2, 1],
    ['B = 3, on worker threads', 3, 2],
    ['B = 2, on worker threads', 2, 2],
  ] as const)(
    '%s: decodes it one file at a time, to the log and report of batch 1',
    async (_how, batch, workers) => {
      const got = await run(`other-${batch}-${workers}`, { modelDir: other, batch, workers });
      const b = got.report.execution.batch!;
      expect(b).toMatchObject({ rows: batch, batched: ['cached', 'pipeline'], single: ['lean'] });
      expect(b.check).toContain(
        `; lean decoded one file at a time (its shipped ${LEAN_FILE} is not the graph decoder.onnx and joint_decision.onnx build, so a lock-step build would decode another graph)`,
      );
      expect(got.files).toHaveLength(FILES);
      expect(got.files).toEqual(single.other.files);
      expect(deterministicPart(got.report)).toEqual(deterministicPart(single.other.report));
    },
  );
});

describe('a variant whose lock-step decode differs on a checked file (the test seam)', () => {
  it.each([
    ['in-process', 1, 'in-process, lock-step batches'],
    ['on worker threads', 2, 'worker-threads, lock-step batches'],
  ] as const)(
    '%s: decodes that variant alone again, to the log and report of batch 1',
    async (_how, workers, mode) => {
      editLockStepLean();
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
      expect(got.files).toEqual(single.model.files);
      expect(deterministicPart(got.report)).toEqual(deterministicPart(single.model.report));
    },
  );

  it('in-process over several lock-step groups: stops the lock-step decode, ends with the log and report of batch 1', async () => {
    // 40 files at B = 2: groups of 32 and 8 files, the check covers files 0..3 (marked file 2).
    const many = makeCorpus(path.join(root, 'corpus-40'), model, { files: 40, seed: 5 });
    markFramesDimZero(many, [2, 35]);
    const want = await run('single-40', { dataDir: many });
    editLockStepLean();
    const got = await run('fallback-40', { dataDir: many, batch: 2 });
    expect(got.report.execution.batch).toMatchObject({ batched: ['cached', 'pipeline'], single: ['lean'] });
    expect(got.files).toHaveLength(40);
    expect(got.files).toEqual(want.files);
    expect(deterministicPart(got.report)).toEqual(deterministicPart(want.report));
  });
});

describe('a variant whose lock-step decode differs only after the checked files (the test seam)', () => {
  it('stays batched: its lines there are the lock-step decode, and the check says which files it covered', async () => {
    editLockStepLean();
    // B = 2: the check covers files 0..3; marked files 4 and 20 are decoded in lock step only.
    const got = await run('unchecked', { batch: 2 });
    const batch = got.report.execution.batch!;
    expect(batch).toMatchObject({ rows: 2, batched: ['cached', 'pipeline', 'lean'], single: [] });
    expect(batch.check).toBe(
      'the first 4 file(s) decoded one at a time and in lock step: tokens and frames identical for cached, ' +
        'pipeline, lean; the other 26 file(s) were decoded with cached, pipeline, lean in lock step only, not compared',
    );
    const lockStep = await leanTokens(other);
    for (const [i, line] of got.files.entries()) {
      const want = single.model.files[i]!;
      if (!MARKED.includes(i)) {
        expect(line, line.id).toEqual(want);
        continue;
      }
      // The gate's guarantee ends at the checked files: here lean is what the lock-step graph decided.
      expect(line.variants['lean']!.tokens, line.id).toEqual(lockStep[i]);
      expect(line.variants['lean']!.tokens, line.id).not.toEqual(want.variants['lean']!.tokens);
      expect(line.variants['pipeline'], line.id).toEqual(want.variants['pipeline']);
    }
    expect(deterministicPart(got.report)).not.toEqual(deterministicPart(single.model.report));
  });
});
