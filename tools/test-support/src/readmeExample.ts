/**
 * Every package README has a runnable example (`## Example`, a ```ts block) and, for most, the
 * output it prints (`It prints ...` followed by a plain code block). {@link runReadmeExample}
 * extracts the example, writes it inside the package (under the git-ignored `test-results/`, so the
 * package's own name resolves as it would for a user), imports it with `console.log` captured, and
 * returns what it printed next to what the README says it prints.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatWithOptions } from 'node:util';
import { vi } from 'vitest';

/** Options of {@link runReadmeExample}. */
export interface ReadmeExampleOptions {
  /** Rewrites the example before it runs (e.g. relative paths made absolute, scratch directories). */
  readonly rewrite?: (code: string) => string;
}

/** What {@link runReadmeExample} found and captured. */
export interface ReadmeExampleRun {
  /** The example's source as the README shows it. */
  readonly code: string;
  /** The README's "It prints" block, when it has one. */
  readonly expected: string | undefined;
  /** Every `console.log` line, formatted as Node prints it (no colours), each ending in a newline. */
  readonly output: string;
  /** The raw arguments of every `console.log` call. */
  readonly calls: readonly (readonly unknown[])[];
}

/**
 * Runs the README example of the package at `packageDir`.
 * @throws Error when the README has no `## Example` section with a ```ts block
 */
export async function runReadmeExample(
  packageDir: string,
  options: ReadmeExampleOptions = {},
): Promise<ReadmeExampleRun> {
  const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
  const code = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error(`${packageDir}/README.md has no \`## Example\` with a ts block`);
  const expected = /It prints[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  const file = path.join(packageDir, 'test-results', 'readme-example.ts');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, options.rewrite ? options.rewrite(code) : code);
  const calls: unknown[][] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void calls.push(args));
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    spy.mockRestore();
  }
  const output = calls.map((args) => `${formatWithOptions({ colors: false }, ...args)}\n`).join('');
  return { code, expected, output, calls };
}
