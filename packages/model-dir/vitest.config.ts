import { projectVitestConfig } from '../../vitest.shared.ts';

export default projectVitestConfig('model-dir', { testTimeout: 120_000 });
