import { projectVitestConfig } from '../../vitest.shared.ts';

export default projectVitestConfig('frontend', { testTimeout: 120_000 });
