import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BenchError } from './benchError';
import { BENCH_RESULTS_SCHEMA, checkBenchResults, readBenchResults } from './benchResults';
import { formatMarkdown, formatNs } from './formatMarkdown';
import { interleave } from './interleave';
import { machineInfo } from './machineInfo';
import { rtfx } from './rtfx';
import { writeBenchResults } from './writeBenchResults';

const dir = mkdtempSync(path.join(os.tmpdir(), 'eou-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeBenchResults', () => {
  it('writes bench-results/<project>.json atomically, with machine info, and prints Markdown', async () => {
    const suite = await interleave({
      name: 'tiny',
      arms: [
        { name: 'a', run: () => [1] },
        { name: 'b', run: () => [2] },
      ],
      warmup: 1,
      rounds: 5,
      compareOutputs: true,
      unit: 'step',
    });
    let printed = '';
    const { path: file, results } = await writeBenchResults({
      project: 'demo',
      suites: [suite],
      rtfx: { ref: rtfx([{ audioSeconds: 10, wallSeconds: 0.1 }]) },
      extra: { note: 'x' },
      quick: true,
      dir,
      log: { write: (t: string) => (printed += t) },
    });
    expect(file).toBe(path.join(dir, 'demo.json'));
    expect(readdirSync(dir)).toEqual(['demo.json']); // no temporary file left behind
    const back = readBenchResults(file);
    expect(back).toEqual(JSON.parse(JSON.stringify(results)));
    expect(back).toMatchObject({
      schema: BENCH_RESULTS_SCHEMA,
      project: 'demo',
      quick: true,
      extra: { note: 'x' },
    });
    expect(back.machine.cpus).toBeGreaterThan(0);
    expect(back.suites[0]!.mismatches.count).toBe(5);
    expect(printed).toContain('### tiny');
    expect(printed).toContain('| b |');
    expect(printed).toContain('**5 output mismatch(es)**: round 0 b vs a at $[0]');
    expect(printed).toContain('### RTFx: ref');
    expect(printed).toContain(`wrote ${file}`);
  });

  it('BAD CALL - rejects a project name that is not a safe file name', async () => {
    await expect(writeBenchResults({ project: '../x', suites: [], dir, log: null })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('readBenchResults', () => {
  it('EXPECTED FAILURE - names the file and the field of a document that is not bench results', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ schema: BENCH_RESULTS_SCHEMA, suites: [{ name: 's', arms: [{ name: 'a' }] }] }),
    );
    let error: unknown;
    try {
      readBenchResults(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BenchError);
    expect(error).toMatchObject({
      name: 'BenchError',
      code: 'E_RESULTS',
      file,
      message: `${file}: field suites[0].arms[0].summary.median should be a number, got undefined`,
    });
  });

  it('EXPECTED FAILURE - reports unreadable JSON and a wrong schema', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{');
    expect(() => readBenchResults(file)).toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read bench results: `),
    );
    expect(() => checkBenchResults({ schema: 'other' }, 'x.json')).toThrow(
      'x.json: field schema should be "eou-bench-results/1", got "other"',
    );
  });
});

describe('formatNs', () => {
  it('picks a unit that keeps three or four significant digits', () => {
    expect(formatNs(7.153)).toBe('7.15 ns');
    expect(formatNs(812)).toBe('812.0 ns');
    expect(formatNs(2146)).toBe('2.146 µs');
    expect(formatNs(214_600)).toBe('214.6 µs');
    expect(formatNs(12_345_678)).toBe('12.35 ms');
    expect(formatNs(3e9)).toBe('3.000 s');
  });
});

describe('formatMarkdown', () => {
  it('prints one table per suite with the ratio interval', async () => {
    const suite = await interleave({
      name: 's',
      arms: [
        { name: 'a', run: () => 0 },
        { name: 'b', run: () => 0 },
      ],
      warmup: 1,
      rounds: 8,
    });
    const md = formatMarkdown({ suites: [suite] });
    expect(md).toContain(
      '| arm | median | p90 | p95 | p99 | MAD (raw) | outliers | CPU/wall | ratio vs a [95% CI] | trusted |',
    );
    expect(md).toMatch(/\| a \| .* \| 1 \(baseline\) \| - \|/);
    // One process is never trusted: the verdict names that reason.
    expect(md).toMatch(/\| b \| .* \| \d+\.\d{3} \[\d+\.\d{3}, \d+\.\d{3}\] \| \*\*no\*\*: .*one process/);
    expect(md).toMatch(/load \d+\.\d{2} -> \d+\.\d{2} on \d+ CPUs/);
  });
});

describe('machineInfo', () => {
  it('describes the CPU, memory, Node and the git commit of this repository', () => {
    const m = machineInfo(path.dirname(new URL(import.meta.url).pathname));
    expect(m.cpus).toBeGreaterThan(0);
    expect(m.totalMemoryBytes).toBeGreaterThan(0);
    expect(m.node).toBe(process.version);
    expect(m.loadAverage).toHaveLength(3);
    expect(m.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(machineInfo(os.tmpdir()).gitCommit).toBeNull();
  });
  it('finds the onnxruntime-node version when the package is installed', () => {
    const m = machineInfo(path.dirname(new URL(import.meta.url).pathname));
    const pkg = path.resolve(
      path.dirname(new URL(import.meta.url).pathname),
      '../../../node_modules/onnxruntime-node/package.json',
    );
    const expected = (() => {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
      } catch {
        return null;
      }
    })();
    expect(m.onnxruntimeNode).toBe(expected);
  });
});
