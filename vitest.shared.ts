// Shared vitest settings: every project resolves sibling @eou/* packages to their TypeScript
// source (the `@eou/source` export condition), so unit tests never need a prior build, and
// writes a JSON report that .ci/run sums into the plain "N passed, N failed" line.
import { defineConfig } from 'vitest/config';

const conditions = ['@eou/source', 'module', 'node', 'import', 'default'];

export function projectVitestConfig(
  name: string,
  options: { testTimeout?: number; hookTimeout?: number } = {},
) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: options.testTimeout ?? 20_000,
      // Hooks build fixtures (models, corpora) that take longer than vitest's 10 s default on a loaded 2-core machine.
      hookTimeout: options.hookTimeout ?? 60_000,
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
    },
  });
}
