import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatWithOptions } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-gate-readme-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('README', () => {
  it('has an example that runs the gate and prints what the README says', async () => {
    const readme = fs.readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    const code = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const expected = /It prints\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    expect(expected).toBeDefined();
    // Written inside the package (git-ignored) so `@eou/gate` resolves as it would for a user; the
    // example's relative output and cache directories go to a scratch directory.
    const file = path.join(packageDir, 'test-results', 'readme-example.ts');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      code!
        .replace("'.eou-cache'", JSON.stringify(path.join(scratch, 'cache')))
        .replace("'gate-out'", JSON.stringify(path.join(scratch, 'out'))),
    );
    const lines: string[] = [];
    const spy = vi
      .spyOn(console, 'log')
      .mockImplementation(
        (...args: unknown[]) => void lines.push(formatWithOptions({ colors: false }, ...args)),
      );
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      spy.mockRestore();
    }
    expect(lines.join('\n') + '\n').toBe(expected);
    for (const f of ['results.jsonl', 'report.json', 'report.md', 'report.html'])
      expect(fs.existsSync(path.join(scratch, 'out', f)), f).toBe(true);
  });
});
