export { fixturesRoot, sharedFixture } from './sharedFixture';
export type { SharedFixtureOptions } from './sharedFixture';
