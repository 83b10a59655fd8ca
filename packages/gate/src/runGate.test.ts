import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseVariantArgument } from '@eou/rnnt-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusIds, makeCorpus, makeModel } from '../test/fixture';
import { GateError } from './gateError';
import { deterministicPart, type GateReport } from './gateReport';
import { mergeShards } from './mergeShards';
import { LOCK_NAME, lockOutput } from './outputLock';
import { readResults } from './resultsLog';
import { compareSchedules, renderScheduleComparison } from './scheduleComparison';
import { runGate, type RunGateOptions } from './runGate';

let root: string;
let model: string;
let corpus: string;
let whole: GateReport;
const base = (): Omit<RunGateOptions, 'outDir'> => ({
  modelDir: model,
  dataDir: corpus,
  candidates: ['pipeline', 'lean'],
  workers: 1,
  batch: 1,
  provenance: { command: 'a test', versions: { '@eou/gate': 'test' } },
});

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-rungate-'));
  model = makeModel(path.join(root, 'model'));
  corpus = makeCorpus(path.join(root, 'corpus'), model, { files: 30, broken: true });
  whole = (await runGate({ ...base(), outDir: path.join(root, 'whole') })).report!;
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe(runGate, () => {
  it('writes results.jsonl and the three reports, with the verdict of every rule', () => {
    for (const f of ['results.jsonl', 'report.json', 'report.md', 'report.html'])
      expect(fs.existsSync(path.join(root, 'whole', f)), f).toBe(true);
    expect(whole.variants.map((v) => v.name)).toEqual(['ref', 'pipeline', 'lean']);
    expect(whole.verdict.rules.map((r) => `${r.metric} ${r.op} ${r.threshold} [${r.variant}]`)).toEqual([
      'deltaWerPp <= 0.1 [pipeline]',
      'deltaWerPp <= 0.1 [lean]',
      'blowups == 0 [pipeline]',
      'blowups == 0 [lean]',
      'failedFiles <= 0 [corpus]',
      'referenceTokenFiles > 0 [corpus]',
    ]);
    expect(whole.variants.find((v) => v.name === 'pipeline')!.seqDiffVsRef).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'whole', 'report.json'), 'utf8'))).toEqual(whole);
  });

  it('lists the files that cannot be decoded with their reason and fails the failedFiles rule', () => {
    const ids = corpusIds(corpus);
    expect(whole.corpus.failed.map((f) => f.id)).toEqual([ids[3], ids[5], ids[7]]);
    expect(whole.corpus.failed[0]!.reason).toMatch(/non-finite value NaN at frame 0/);
    expect(whole.corpus.failed[2]!.reason).toContain(`missing-${ids[7]}.npy`);
    expect(whole.corpus.scoredFiles).toBe(27);
    expect(whole.verdict.pass).toBe(false);
  });

  it('records the provenance its caller gives, not the process command line', () => {
    expect(whole.provenance.command).toBe('a test');
    expect(whole.provenance.versions).toEqual({ '@eou/gate': 'test' });
    expect(readResults(path.join(root, 'whole', 'results.jsonl')).header.settings.toolkit).toEqual({
      '@eou/gate': 'test',
    });
  });

  it('decodes on worker threads (the TypeScript worker, from source) to the same report', async () => {
    const run = await runGate({ ...base(), workers: 2, outDir: path.join(root, 'threads') });
    expect(run.report!.execution.mode).toBe('worker-threads');
    expect(run.report!.execution.identicalCheck).toMatch(/identical$/);
    expect(deterministicPart(run.report!)).toEqual(deterministicPart(whole));
  });

  it('decodes in lock-step batches to the same report, saying which variants ran batched', async () => {
    expect(whole.execution.batch).toMatchObject({ rows: 1, batched: [] });
    const run = await runGate({ ...base(), batch: 3, outDir: path.join(root, 'batched') });
    const batch = run.report!.execution.batch!;
    expect(run.report!.execution.mode).toBe('in-process, lock-step batches');
    expect(batch.rows).toBe(3);
    expect(batch.batched).toEqual(['cached', 'pipeline', 'lean']);
    expect(batch.check).toMatch(
      /^the first 6 file\(s\) decoded one at a time and in lock step: tokens and frames identical for cached, pipeline, lean; the other 24 file\(s\) were decoded with cached, pipeline, lean in lock step only, not compared$/,
    );
    expect(deterministicPart(run.report!)).toEqual(deterministicPart(whole));
    expect(fs.readFileSync(path.join(root, 'batched', 'report.md'), 'utf8')).toContain(
      'B = 3, lock step: cached, pipeline, lean',
    );
  });

  it('decodes lock-step groups on worker threads to the same report', async () => {
    const run = await runGate({
      ...base(),
      batch: 2,
      workers: 2,
      outDir: path.join(root, 'batched-threads'),
    });
    expect(run.report!.execution.mode).toBe('worker-threads, lock-step batches');
    expect(run.report!.execution.identicalCheck).toMatch(
      /re-decoded one at a time on the main thread: identical; the other 26 file\(s\) were decoded with cached, pipeline, lean in lock step only, not compared$/,
    );
    expect(deterministicPart(run.report!)).toEqual(deterministicPart(whole));
  });

  it('decodes a variant declared by file one file at a time in a batched run, to the report of batch 1', async () => {
    // A declared variant has no batch-capable build: its own file decodes beside the lock-step ones.
    fs.copyFileSync(path.join(model, 'decoder_joint_decision_fused.onnx'), path.join(model, 'mine.onnx'));
    const declared = {
      declaredVariants: [parseVariantArgument('mine=mine.onnx', 'eou')],
      candidates: ['mine', 'lean'],
    };
    const one = await runGate({ ...base(), ...declared, outDir: path.join(root, 'declared-1') });
    const run = await runGate({ ...base(), ...declared, batch: 3, outDir: path.join(root, 'declared-3') });
    expect(run.report!.execution.batch).toMatchObject({ batched: ['cached', 'lean'], single: ['mine'] });
    expect(run.report!.execution.batch!.check).toContain(
      '; mine decoded one file at a time (declared by its own files: no batch-capable build)',
    );
    expect(deterministicPart(run.report!)).toEqual(deterministicPart(one.report!));
    const threads = await runGate({
      ...base(),
      ...declared,
      batch: 3,
      workers: 2,
      outDir: path.join(root, 'declared-3-threads'),
    });
    expect(threads.report!.execution.mode).toBe('worker-threads, lock-step batches');
    expect(threads.report!.execution.batch).toMatchObject({ batched: ['cached', 'lean'], single: ['mine'] });
    expect(deterministicPart(threads.report!)).toEqual(deterministicPart(one.report!));
  });

  it('resumes a log cut by a kill (a torn last line) and ends with the same report', async () => {
    const out = path.join(root, 'resumed');
    fs.mkdirSync(out);
    const lines = fs.readFileSync(path.join(root, 'whole', 'results.jsonl'), 'utf8').split('\n');
    fs.writeFileSync(
      path.join(out, 'results.jsonl'),
      lines.slice(0, 12).join('\n') + '\n' + lines[12]!.slice(0, 40),
    );
    const progress: number[] = [];
    const run = await runGate({ ...base(), outDir: out, onProgress: (p) => progress.push(p.done) });
    expect(run.resumed).toBe(11);
    expect(run.decodedNow).toBe(19);
    expect(progress[0]).toBe(11);
    expect(progress.at(-1)).toBe(30);
    expect(deterministicPart(run.report!)).toEqual(deterministicPart(whole));
  });

  it('gives the same report from shards merged as from one run', async () => {
    for (const index of [1, 2, 3]) {
      const run = await runGate({
        ...base(),
        shard: { index, count: 3 },
        outDir: path.join(root, `s${index}`),
      });
      expect(run.report).toBeUndefined();
      expect(run.decodedNow).toBe(10);
    }
    const merged = await mergeShards(
      [1, 2, 3].map((i) => path.join(root, `s${i}`)),
      { outDir: path.join(root, 'merged'), provenance: { command: 'merge test' } },
    );
    expect(deterministicPart(merged)).toEqual(deterministicPart(whole));
    expect(merged.provenance.shards).toEqual(['1/3', '2/3', '3/3']);
    expect(merged.provenance.command).toBe('merge test');
    expect(fs.existsSync(path.join(root, 'merged', 'report.md'))).toBe(true);
  });

  it('says in its verdict line what ends utterances: the EOU policy, or for a model without an <EOU> token that it has no effect', async () => {
    const eouId = (JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8')) as { eouId: number })
      .eouId;
    expect(whole.corpus.eouId).toBe(eouId);
    expect(fs.readFileSync(path.join(root, 'whole', 'report.md'), 'utf8')).toContain(
      'normaliser, EOU reset)',
    );
    const noEou = path.join(root, 'model-no-eou');
    fs.cpSync(model, noEou, { recursive: true });
    const json = JSON.parse(fs.readFileSync(path.join(noEou, 'model.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete json['eouId'];
    fs.writeFileSync(path.join(noEou, 'model.json'), JSON.stringify(json));
    const out = path.join(root, 'no-eou');
    const run = await runGate({
      ...base(),
      modelDir: noEou,
      candidates: ['pipeline'],
      eouPolicy: 'stop-chunk',
      outDir: out,
    });
    expect(run.report!.corpus).toMatchObject({ eouPolicy: 'stop-chunk', eouId: null });
    const headline = fs.readFileSync(path.join(out, 'report.md'), 'utf8').split('\n')[2]!;
    expect(headline).toContain('(harness normaliser, no EOU token: the EOU policy has no effect)');
    expect(headline).not.toContain('EOU stop-chunk');

    // Side by side under two policies: they differ only in name when the model has no <EOU> token.
    const twoPolicies = (report: GateReport, dir: string) =>
      compareSchedules([
        { schedule: 'a', outDir: dir, report },
        {
          schedule: 'b',
          outDir: dir,
          report: { ...report, corpus: { ...report.corpus, eouPolicy: 'reset' } },
        },
      ]);
    const without = twoPolicies(run.report!, out);
    expect(without.schedules.map((s) => s.endOfUtterance)).toEqual([
      'no EOU token: the EOU policy has no effect',
      'no EOU token: the EOU policy has no effect',
    ]);
    expect(without.differences).toEqual({});
    expect(renderScheduleComparison(without, 'markdown')).not.toMatch(/\| (stop-chunk|reset) \|/);
    const withToken = twoPolicies(
      { ...whole, corpus: { ...whole.corpus, eouPolicy: 'stop-chunk' } },
      path.join(root, 'whole'),
    );
    expect(withToken.schedules.map((s) => s.endOfUtterance)).toEqual(['EOU stop-chunk', 'EOU reset']);
    expect(withToken.differences).toEqual({ eouPolicy: { a: 'stop-chunk', b: 'reset' } });
  });

  it('EXPECTED FAILURE - merge refuses a missing shard', async () => {
    const error = await mergeShards([path.join(root, 's1'), path.join(root, 's3')], {
      outDir: path.join(root, 'bad-merge'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateError);
    expect(error).toMatchObject({ code: 'E_BAD_SHARDS', message: 'shard(s) 2/3 missing' });
    // The output directory it created (to lock it) is gone again.
    expect(fs.existsSync(path.join(root, 'bad-merge'))).toBe(false);
  });

  it('EXPECTED FAILURE - merge into a directory another gate holds is E_LOCKED before any shard log is read', async () => {
    const out = path.join(root, 'held-merge');
    fs.mkdirSync(out);
    const held = lockOutput(out);
    try {
      const error = await mergeShards([path.join(root, 'no-such-shard')], { outDir: out }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GateError);
      expect(error).toMatchObject({ code: 'E_LOCKED', file: path.join(out, LOCK_NAME) });
      expect((error as Error).message).toMatch(
        new RegExp(`^${path.join(out, LOCK_NAME)}: the output directory is in use by pid ${process.pid} `),
      );
    } finally {
      held.release();
    }
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('holds the output directory for the whole merge, not only while writing the reports', async () => {
    const out = path.join(root, 'merging');
    const merging = mergeShards(
      [1, 2, 3].map((i) => path.join(root, `s${i}`)),
      { outDir: out },
    );
    // The merge is now suspended at its first await, after reading the logs and before the reports.
    expect(fs.existsSync(path.join(out, 'report.json'))).toBe(false);
    expect(() => lockOutput(out)).toThrow(
      expect.objectContaining({ code: 'E_LOCKED', file: path.join(out, LOCK_NAME) }),
    );
    expect(deterministicPart(await merging)).toEqual(deterministicPart(whole));
    expect(fs.readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  it('EXPECTED FAILURE - a directory that is not a model directory is E_BAD_MODEL naming it', async () => {
    const error = await runGate({ ...base(), modelDir: corpus, outDir: path.join(root, 'x') }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'GateError',
      code: 'E_BAD_MODEL',
      message: `${corpus}: not a model directory (no model.json)`,
      file: corpus,
    });
  });

  it('EXPECTED FAILURE - a variant never built is E_BAD_MODEL naming the file and how to build it', async () => {
    const error = await runGate({ ...base(), candidates: ['lean-topk'], outDir: path.join(root, 'y') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).message).toBe(
      `${model}: decoder_joint_decision_fused_topk.onnx is missing (build it with \`eou fuse --model ${model} --variant lean-topk\`, or @eou/fusion's fuseModelDirectory)`,
    );
  });

  it('EXPECTED FAILURE - a log of other settings in outDir is refused, naming the file', async () => {
    const error = await runGate({
      ...base(),
      normalizer: 'none',
      outDir: path.join(root, 'whole'),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_RESULTS_MISMATCH' });
    expect((error as Error).message).toMatch(/results\.jsonl: written by a run with other settings/);
  });

  it.each([
    [{ candidates: [] }, RangeError, '`candidates` must name at least one variant, got []'],
    [
      { candidates: ['turbo'] },
      RangeError,
      '`candidates[0]` must be one of ref, cached, pipeline, lean, lean-topk, projected, int8, fp16, got "turbo"',
    ],
    [{ candidates: ['ref'] }, RangeError, "`reference` and `candidates` name 'ref' twice (ref, ref)"],
    [
      { normalizer: 'whisper' },
      RangeError,
      '`normalizer` must be one of harness, production, none, got "whisper"',
    ],
    [{ blowupFraction: -1 }, RangeError, '`blowupFraction` must be a finite number >= 0, got -1'],
    [{ workers: 0 }, RangeError, '`workers` must be an integer >= 1, got 0'],
    [{ batch: 0 }, RangeError, '`batch` must be an integer >= 1, got 0'],
    [{ shard: { index: 3, count: 2 } }, RangeError, '`shard.index` must be <= shard.count (2), got 3'],
    [{ modelDir: '' }, TypeError, '`modelDir` must be a non-empty string, got ""'],
  ] as const)('BAD CALL - %j', async (bad, type, message) => {
    const error = await runGate({
      ...base(),
      ...bad,
      outDir: path.join(root, 'never'),
    } as RunGateOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(message);
    expect(fs.existsSync(path.join(root, 'never'))).toBe(false);
  });
});
