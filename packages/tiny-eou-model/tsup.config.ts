import { projectTsupConfig } from '../../tsup.shared.ts';

// `shims` gives the CJS build an `import.meta.url`, from which both builds find `../model` and `../sets`.
export default projectTsupConfig({ shims: true });
