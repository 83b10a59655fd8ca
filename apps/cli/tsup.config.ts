import { projectTsupConfig } from '../../tsup.shared.ts';

// p-limit and its queue are ESM-only; bundling them keeps the CJS build working.
export default projectTsupConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  noExternal: ['p-limit', 'yocto-queue'],
  splitting: true,
});
