import { projectVitestConfig } from '../../vitest.shared.ts';

export default projectVitestConfig('gate', { testTimeout: 60_000 });
