// Shared tsup settings: ESM first, CJS beside it, declarations for both, Node 20 target.
import { defineConfig, type Options } from 'tsup';

export function projectTsupConfig(overrides: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    splitting: false,
    ...overrides,
  });
}
