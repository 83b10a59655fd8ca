import { projectTsupConfig } from '../../tsup.shared.ts';

// p-limit and its queue are ESM-only; bundling them keeps the CJS build working. The `@eou/*`
// packages stay external (the gate finds its decode worker next to its own build).
export default projectTsupConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  noExternal: ['p-limit', 'yocto-queue'],
  splitting: true,
});
