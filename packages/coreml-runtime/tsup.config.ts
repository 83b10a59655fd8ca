import { projectTsupConfig } from '../../tsup.shared.ts';

// shims: the CJS build needs import.meta.url to find the package root (and the .node file).
export default projectTsupConfig({ shims: true });
