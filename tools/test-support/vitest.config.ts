import { projectVitestConfig } from '../../vitest.shared';

export default projectVitestConfig('test-support');
