import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { around, suite } from '../test/suiteFixture';
import { BENCH_RESULTS_SCHEMA } from './benchResults';
import { combineReplicates, replicate } from './replicate';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'eou-replicate-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('combineReplicates', () => {
  it('pools samples and keeps each process ratio', () => {
    const docs = [1.1, 1.25, 1.4].map((r, p) => ({
      suites: [suite('step', { ref: around(100, 50, p), lean: around(100 * r, 50, p + 3) })],
    }));
    const [s] = combineReplicates(docs);
    expect(s!.rounds).toBe(150);
    expect(s!.arms[1]!.samplesNs).toHaveLength(150);
    expect(s!.replicates.processes).toBe(3);
    expect(s!.replicates.perProcess.map((p) => p.ratios[1]!)).toEqual(
      docs.map((d) => d.suites[0]!.arms[1]!.ratio!.ratio),
    );
    const ratio = s!.arms[1]!.ratio!;
    expect(ratio.ciLow).toBeLessThan(1.24);
    expect(ratio.ciHigh).toBeGreaterThan(1.26);
    expect(s!.arms[1]!.trust!.reasons).toContain('per-process ratios disagree: 1.100 to 1.399');
  });

  it('EXPECTED FAILURE - names a suite missing from a replicate', () => {
    const a = { suites: [suite('step', { ref: around(1), b: around(2) })] };
    expect(() => combineReplicates([a, { suites: [] }])).toThrow('replicate 1: suite "step" is missing');
  });
});

describe('replicate', () => {
  it('runs the command once per process and writes one combined document', async () => {
    // A child writes a results document with its own ratio to the file the parent names.
    const script = path.join(tmp, 'child.mjs');
    const doc = JSON.stringify({
      schema: BENCH_RESULTS_SCHEMA,
      project: 'demo',
      quick: false,
      suites: [suite('step', { ref: around(100, 40), lean: around(130, 40, 1) })],
    });
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(process.env.EOU_BENCH_REPLICATE_OUT, ${JSON.stringify(doc)});\n`,
    );
    const file = path.join(tmp, 'out.json');
    const outcome = await replicate(
      { processes: 3, file, log: null, command: { file: process.execPath, args: [script] } },
      () => Promise.reject(new Error('the parent must not run the suite')),
    );
    expect(outcome.role).toBe('parent');
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.processes).toBe(3);
    expect(written.suites[0].rounds).toBe(120);
    expect(written.suites[0].replicates.perProcess).toHaveLength(3);
  });

  it('runs the suite in-process for one process and says so', async () => {
    const file = path.join(tmp, 'single.json');
    const outcome = await replicate({ processes: 1, file, log: null }, async () => ({
      project: 'demo',
      suites: [suite('step', { ref: around(100), lean: around(120) })],
    }));
    expect(outcome.role).toBe('single');
    expect(outcome.results.processes).toBe(1);
  });

  it('EXPECTED FAILURE - reports a replicate that exits non-zero', async () => {
    const script = path.join(tmp, 'fail.mjs');
    writeFileSync(script, 'process.exit(3);\n');
    await expect(
      replicate(
        {
          processes: 2,
          file: path.join(tmp, 'x.json'),
          log: null,
          command: { file: process.execPath, args: [script] },
        },
        () => Promise.reject(new Error('unused')),
      ),
    ).rejects.toThrow('benchmark replicate 0 exited with code 3');
  });
});
