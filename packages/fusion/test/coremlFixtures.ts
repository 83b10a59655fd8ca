/**
 * Where the real Parakeet EOU CoreML programs live (`parakeet-eou-160ms` in the shared fixtures,
 * the repo root's parent's `shared/fixtures`). They are never committed; tests that read them skip
 * with this message when the directory is absent. (`@eou/coreml-format` has the same lookup for
 * its own tests, Silero VAD included.)
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Absolute path of the shared fixtures directory. */
export const fixturesDir = join(dirname(repoRoot), 'shared', 'fixtures');

/** The Parakeet EOU `.mlmodelc` directories (model.mil, no weights). */
export const eouDir = join(fixturesDir, 'parakeet-eou-160ms');

/** True when the fixtures are present. */
export const haveFixtures = existsSync(eouDir);

/** Describe-title suffix that says why a fixture suite was skipped. */
export const fixturesNote = haveFixtures ? '' : ` (SKIPPED: Parakeet EOU fixtures not found at ${eouDir})`;
