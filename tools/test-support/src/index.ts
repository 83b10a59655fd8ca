export { runReadmeExample } from './readmeExample';
export { fixturesRoot, sharedFixture } from './sharedFixture';
export type { ReadmeExampleOptions, ReadmeExampleRun } from './readmeExample';
export type { SharedFixtureOptions } from './sharedFixture';
