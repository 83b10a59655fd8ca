/**
 * Where the shared real CoreML artefacts live (`/work/shared/fixtures`: the repo root's parent's
 * `shared/fixtures`). They are never committed; tests that read them skip with this message when
 * the directory is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageDir, '../..');

/** Absolute path of the shared fixtures directory. */
export const fixturesDir = join(dirname(repoRoot), 'shared', 'fixtures');

export const sileroMlmodelc = join(fixturesDir, 'silero-vad-coreml', 'silero-vad-unified-v6.0.0.mlmodelc');
export const sileroMlpackage = join(fixturesDir, 'silero-vad-coreml', 'silero-vad-unified-v6.0.0.mlpackage');
export const eouDir = join(fixturesDir, 'parakeet-eou-160ms');

/** True when the shared fixtures are present. */
export const haveFixtures = existsSync(join(fixturesDir, 'silero-vad-coreml')) && existsSync(eouDir);

/** Describe-title suffix that says why a fixture suite was skipped. */
export const fixturesNote = haveFixtures
  ? ''
  : ` (SKIPPED: shared CoreML fixtures not found at ${fixturesDir})`;
