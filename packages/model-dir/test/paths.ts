/**
 * The shared real fixtures this package's tests read (see `@eou/test-support`: never committed;
 * a suite skips with a message when one is absent and fails under `CI=true`).
 */
import { sharedFixture } from '@eou/test-support';

export const zipformerDir = sharedFixture('zipformer-kws-gigaspeech-3.3M');
export const parakeetDir = sharedFixture('parakeet-eou-160ms');

/** A describe-title suffix saying why a suite skipped. */
export function skipNote(dir: string | undefined, name: string): string {
  return dir === undefined ? ` (SKIPPED: shared fixture ${name} not found)` : '';
}
