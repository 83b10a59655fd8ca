import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('README', () => {
  it('has an example that runs and prints a table and a ratio with its interval', async () => {
    const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    const code = /## Example\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    // Written inside the package (git-ignored) so that `@eou/bench` resolves as it would for a user.
    const file = path.join(packageDir, 'test-results', 'readme-example.ts');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, code as string);
    const printed: unknown[] = [];
    const spy = vi
      .spyOn(console, 'log')
      .mockImplementation((...args: unknown[]) => void printed.push(...args));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      spy.mockRestore();
    }
    expect(String(printed[0])).toContain('| for-loop |');
    expect(String(printed[0])).toContain('| async-reduce |');
    expect(printed[1]).toMatchObject({ confidence: 0.95, resamples: 2000, seed: 1 });
  });
});
