/**
 * Where the shared real artefacts live (the zipformer transducer, the Parakeet EOU CoreML graphs,
 * Silero VAD): data from public repositories that the project must never commit. They sit in
 * `shared/fixtures/` beside the repository (CI always has them), or wherever `EOU_SHARED_FIXTURES`
 * points. A test that needs one asks {@link sharedFixture}: on a user's machine without the folder
 * it gets `undefined` and skips with a message saying what is missing; under `CI=true` the absence
 * is an error, so CI can never pass by skipping.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options of {@link sharedFixture}. */
export interface SharedFixtureOptions {
  /** Environment to read `CI` and `EOU_SHARED_FIXTURES` from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where a skip message goes (default `console.warn`). */
  readonly warn?: (message: string) => void;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The fixtures folder: `$EOU_SHARED_FIXTURES`, else `<repo>/../shared/fixtures`. */
export function fixturesRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['EOU_SHARED_FIXTURES'];
  return fromEnv ? path.resolve(fromEnv) : path.join(path.dirname(repoRoot), 'shared', 'fixtures');
}

/**
 * The absolute path of `relative` inside the fixtures folder, or `undefined` when it is absent
 * (after printing why the test will skip).
 * @param relative e.g. `zipformer-kws-gigaspeech-3.3M/test_wavs/0.wav`
 * @throws Error under `CI=true` when the fixture is absent
 */
export function sharedFixture(relative: string, options: SharedFixtureOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const root = fixturesRoot(env);
  const file = path.join(root, relative);
  if (fs.existsSync(file)) return file;
  const what = `shared fixture ${relative} is absent (looked in ${root}; set EOU_SHARED_FIXTURES or put shared/fixtures beside the repository)`;
  if (env['CI'] === 'true' || env['CI'] === '1') {
    throw new Error(`${what}: CI must have it, so the tests that need it fail instead of skipping`);
  }
  (options.warn ?? console.warn)(`skipping tests: ${what}`);
  return undefined;
}
