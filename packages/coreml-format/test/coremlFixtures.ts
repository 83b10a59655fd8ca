/**
 * Where the shared real CoreML artefacts live (see `@eou/test-support`: never committed; suites
 * that read them skip with this message when they are absent, and fail under `CI=true`).
 */
import { join } from 'node:path';
import { fixturesRoot, sharedFixture } from '@eou/test-support';

/** Absolute path of the shared fixtures directory. */
export const fixturesDir = fixturesRoot();

export const sileroMlmodelc = join(fixturesDir, 'silero-vad-coreml', 'silero-vad-unified-v6.0.0.mlmodelc');
export const sileroMlpackage = join(fixturesDir, 'silero-vad-coreml', 'silero-vad-unified-v6.0.0.mlpackage');
export const eouDir = join(fixturesDir, 'parakeet-eou-160ms');

/** True when the shared fixtures are present (throws under CI=true when they are not). */
export const haveFixtures =
  sharedFixture('silero-vad-coreml') !== undefined && sharedFixture('parakeet-eou-160ms') !== undefined;

/** Describe-title suffix that says why a fixture suite was skipped. */
export const fixturesNote = haveFixtures
  ? ''
  : ` (SKIPPED: shared CoreML fixtures not found at ${fixturesDir})`;
