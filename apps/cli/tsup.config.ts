import { projectTsupConfig } from '../../tsup.shared.ts';

// p-limit and its queue are ESM-only; bundling them keeps the CJS build working. The decode
// worker is its own entry so `new Worker(new URL('./gate/decodeWorker.js', import.meta.url))`
// finds it next to the chunks.
export default projectTsupConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', 'gate/decodeWorker': 'src/gate/decodeWorker.ts' },
  noExternal: ['p-limit', 'yocto-queue'],
  splitting: true,
});
