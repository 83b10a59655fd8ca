import { projectTsupConfig } from '../../tsup.shared.ts';

// The decode worker is its own entry, so `decodeWorkerUrl()` finds `dist/decodeWorker.js` next to the
// chunks; `manifest` is a light entry (no ONNX Runtime) for tools that only read corpora. `shims` gives
// the CJS build the `import.meta.url` the worker lookup starts from. p-limit and its queue are
// ESM-only and tsup's CJS output of them is not callable (`import_p_limit.default is not a
// function`), so they are bundled.
export default projectTsupConfig({
  entry: { index: 'src/index.ts', manifest: 'src/manifest.ts', decodeWorker: 'src/decodeWorker.ts' },
  noExternal: ['p-limit', 'yocto-queue'],
  splitting: true,
  shims: true,
});
