/**
 * Where the tests find repository data and the shared fixtures (`../shared/fixtures` beside the
 * repository root: never committed). `requireFixture` makes a suite skip with a message when the
 * fixtures are absent, and fail under `CI=true`, where they must be present.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(packageDir, '../..');
export const fixturesDir = join(dirname(repoRoot), 'shared', 'fixtures');
export const zipformerDir = join(fixturesDir, 'zipformer-kws-gigaspeech-3.3M');
export const parakeetDir = join(fixturesDir, 'parakeet-eou-160ms');
export const tinyGoldenDir = join(repoRoot, 'tools', 'tiny-eou', 'golden');
export const kaldiGoldenDir = join(repoRoot, 'tools', 'kaldi-fbank-golden');
export const tinyModelDir = [
  join(repoRoot, 'packages', 'tiny-eou-model', 'model'),
  join(repoRoot, 'apps', 'cli', 'assets', 'tiny-eou', 'model'),
].find((d) => existsSync(join(d, 'model.json')))!;
export const tinySetsDir = join(tinyModelDir, '..', 'sets');

/**
 * `{ present, note }` for a fixture directory: `note` is a describe-title suffix saying why the
 * suite skipped. Throws under CI=true when the fixture is missing (CI has it, so it must run).
 */
export function requireFixture(dir: string): { present: boolean; note: string } {
  const present = existsSync(dir);
  if (!present && process.env['CI'] === 'true') {
    throw new Error(`CI=true but the shared fixture ${dir} is missing; these tests must run in CI`);
  }
  return { present, note: present ? '' : ` (SKIPPED: shared fixture not found at ${dir})` };
}
