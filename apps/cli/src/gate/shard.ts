/** `--shard i/n`: a deterministic slice of the corpus (1-based i), so shards can run as a CI matrix. */
import { CLIError } from '../cliError';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new CLIError(`--shard: expected i/n with 1 <= i <= n (e.g. 2/4), got '${text}'`);
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** Manifest position `position` belongs to shard i when position mod n == i - 1. */
export function inShard(position: number, shard: Shard): boolean {
  return position % shard.count === shard.index - 1;
}
