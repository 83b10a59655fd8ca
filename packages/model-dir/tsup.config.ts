import { projectTsupConfig } from '../../tsup.shared.ts';

export default projectTsupConfig();
