import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { processWords } from './processWords';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');

describe('README', () => {
  it('has an example that runs and prints what its comments say', async () => {
    const code = /## Example\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    // Written inside the package (git-ignored) so that `@eou/wer` resolves as it would for a user.
    const file = path.join(packageDir, 'test-results', 'readme-example.ts');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, code!);
    const printed: unknown[][] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      spy.mockRestore();
    }
    expect(printed[0]![0]).toBeCloseTo(1 / 3, 12);
    expect(printed[0]!.slice(1)).toEqual([1, 1, 0]);
    expect(printed[1]![0]).toEqual({ kind: 'substitute', refStart: 2, refEnd: 3, hypStart: 2, hypEnd: 3 });
    expect(printed[2]).toEqual([1]);
    expect(printed[3]).toEqual(['plain', 0.2]);
    expect(printed[4]).toEqual([false, 0.5]);
  });

  it('states the empty-reference rules that processWords follows', () => {
    const block = /## A note on empty references\s+```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(block).toContain("processWords('', '').wer; // NaN");
    expect(processWords('', '').wer).toBeNaN();
    expect(processWords('', 'x y').rate).toMatchObject({
      defined: false,
      value: null,
      reason: 'no-reference-words',
    });
    expect(processWords('x y', '').wer).toBe(1);
  });
});
