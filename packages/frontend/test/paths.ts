/**
 * Where the tests find repository data and the shared fixtures (see `@eou/test-support`: never
 * committed; a suite skips with a message when they are absent and fails under `CI=true`).
 */
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
