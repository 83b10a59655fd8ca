import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatWithOptions } from 'node:util';
import { describe, expect, it, vi } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('README', () => {
  it('has an example that runs and prints what the README says', async () => {
    const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
    const code = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const expected = /It prints[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    expect(expected).toBeDefined();
    // Written inside the package (git-ignored) so that `@eou/fusion` resolves as it would for a user.
    const file = path.join(packageDir, 'test-results', 'readme-example.ts');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, code as string);
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
  });
});
