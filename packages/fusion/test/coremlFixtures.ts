/**
 * Where the real Parakeet EOU CoreML programs live (`parakeet-eou-160ms` in the shared fixtures;
 * see `@eou/test-support`: never committed; suites that read them skip with this message when they
 * are absent, and fail under `CI=true`).
 */
import { join } from 'node:path';
import { fixturesRoot, sharedFixture } from '@eou/test-support';

/** Absolute path of the shared fixtures directory. */
export const fixturesDir = fixturesRoot();

/** The Parakeet EOU `.mlmodelc` directories (model.mil, no weights). */
export const eouDir = join(fixturesDir, 'parakeet-eou-160ms');

/** True when the fixtures are present (throws under CI=true when they are not). */
export const haveFixtures = sharedFixture('parakeet-eou-160ms') !== undefined;

/** Describe-title suffix that says why a fixture suite was skipped. */
export const fixturesNote = haveFixtures ? '' : ` (SKIPPED: Parakeet EOU fixtures not found at ${eouDir})`;
