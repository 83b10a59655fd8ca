import { projectTsupConfig } from '../../tsup.shared.ts';

export default projectTsupConfig({ entry: ['src/index.ts', 'src/bin.ts'] });
