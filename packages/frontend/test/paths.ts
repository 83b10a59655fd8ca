/**
 * Where the tests find repository data and the shared fixtures (see `@eou/test-support`: never
 * committed; a suite skips with a message when they are absent and fails under `CI=true`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturesRoot, sharedFixture } from '@eou/test-support';
import { modelDir, setsDir } from '@eou/tiny-eou-model';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(packageDir, '../..');
export const fixturesDir = fixturesRoot();
export const zipformerDir = join(fixturesDir, 'zipformer-kws-gigaspeech-3.3M');
export const parakeetDir = join(fixturesDir, 'parakeet-eou-160ms');
export const tinyGoldenDir = join(repoRoot, 'tools', 'tiny-eou', 'golden');
export const kaldiGoldenDir = join(repoRoot, 'tools', 'kaldi-fbank-golden');
export const tinyModelDir = modelDir;
export const tinySetsDir = setsDir;

/**
 * `{ present, note }` for a fixture directory: `note` is a describe-title suffix saying why the
 * suite skipped. Throws under CI=true when the fixture is missing (CI has it, so it must run).
 */
export function requireFixture(dir: string): { present: boolean; note: string } {
  const present = sharedFixture(relative(fixturesDir, dir)) !== undefined;
  return { present, note: present ? '' : ` (SKIPPED: shared fixture not found at ${dir})` };
}

/** The Asterisk prompts (Debian `asterisk-core-sounds-en-wav`, 8 kHz originals). */
export const asteriskSoundsDir = '/usr/share/asterisk/sounds/en';

/**
 * `{ present, note }` for data a Debian package installs (not a shared fixture): skips with a
 * message naming the package on a user's machine, throws under CI=true (`.ci/run` installs it).
 */
export function requireDebianData(path: string, pkg: string): { present: boolean; note: string } {
  if (existsSync(path)) return { present: true, note: '' };
  const what = `${path} is absent (Debian package ${pkg})`;
  if (process.env['CI'] === 'true' || process.env['CI'] === '1')
    throw new Error(`${what}: CI must have it, so the tests that need it fail instead of skipping`);
  console.warn(`skipping tests: ${what}`);
  return { present: false, note: ` (SKIPPED: ${what})` };
}
