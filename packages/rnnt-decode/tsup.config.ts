import { projectTsupConfig } from '../../tsup.shared.ts';

// `float16` is also its own entry so runtimes can import it without loading the decode loop.
export default projectTsupConfig({ entry: ['src/index.ts', 'src/float16.ts'] });
