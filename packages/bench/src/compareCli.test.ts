import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { around, suite } from '../test/suiteFixture';
import { compareCli } from './compareCli';
import { writeBenchResults } from './writeBenchResults';

const dir = mkdtempSync(path.join(os.tmpdir(), 'eou-bench-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function results(name: string, lean: number): Promise<string> {
  const file = path.join(dir, `${name}.json`);
  await writeBenchResults({
    project: name,
    file,
    log: null,
    suites: [suite('step', { ref: around(200_000), lean: around(lean, 100, 1) })],
  });
  return file;
}

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = compareCli(args, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
  return { code, out, err };
}

describe('eou-bench compare', () => {
  it('exits 0 and prints the table when nothing regressed', async () => {
    const base = await results('base', 120_000);
    const same = await results('same', 120_000);
    const r = run(['compare', same, base]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('Verdict: no regression beyond noise.');
  });

  it('exits 1 on a regression and prints JSON with --json', async () => {
    const base = await results('base2', 120_000);
    const slow = await results('slow', 150_000);
    const r = run(['compare', slow, base, '--json', '--tolerance', '0.1']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ regressed: true });
  });

  it('fails on absolute medians only with --fail-on-median', async () => {
    const base = await results('base3', 120_000);
    const doc = JSON.parse(readFileSync(base, 'utf8'));
    for (const arm of doc.suites[0].arms) arm.summary.median /= 2; // the baseline was twice as fast everywhere
    const half = path.join(dir, 'half.json');
    writeFileSync(half, JSON.stringify(doc));
    const same = await results('same3', 120_000);
    expect(run(['compare', same, half]).code).toBe(0);
    expect(run(['compare', same, half, '--fail-on-median']).code).toBe(1);
  });

  it('BAD CALL - exits 2 with one line on a missing file, a bad option or a wrong argument count', () => {
    const missing = path.join(dir, 'nope.json');
    const r = run(['compare', missing, missing]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `^eou-bench: ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read bench results: .*\\n$`,
      ),
    );
    expect(run(['compare', 'a.json']).err).toBe(
      'eou-bench: compare needs CURRENT and BASELINE files, got 1; usage: eou-bench compare CURRENT.json BASELINE.json [--tolerance 0.05] [--median-tolerance 0.1] [--k 3] [--fail-on-median] [--json]\n',
    );
    expect(run(['compare', 'a', 'b', '--k', 'x'])).toMatchObject({
      code: 2,
      err: 'eou-bench: --k needs a number >= 0, got "x"\n',
    });
    expect(run(['frobnicate']).code).toBe(2);
  });

  it('EXPECTED FAILURE - exits 2 naming the file and field of a file that is not bench results', () => {
    const file = path.join(dir, 'other.json');
    writeFileSync(file, '{"schema":"x"}');
    const r = run(['compare', file, file]);
    expect(r).toMatchObject({
      code: 2,
      err: `eou-bench: ${file}: field schema should be "eou-bench-results/1", got "x"\n`,
    });
  });
});
