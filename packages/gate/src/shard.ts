/** Shards: a deterministic slice of the corpus (1-based i of n), so shards can run as a CI matrix. */
import { GateError } from './gateError';

/** Slice `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The whole corpus as one shard. */
export const WHOLE: Shard = { index: 1, count: 1 };

/** What {@link parseShard} accepts, for messages that name it. */
export const SHARD_SYNTAX = 'i/n with 1 <= i <= n (e.g. 2/4)';

/**
 * Parses `i/n`.
 * @throws {GateError} `E_BAD_SHARD` for anything else, or i outside 1..n.
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new GateError('E_BAD_SHARD', `shard: expected ${SHARD_SYNTAX}, got '${text}'`, {
      field: 'shard',
    });
  }
  return { index, count };
}

/** `i/n`, the form shard logs record. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** Manifest position `position` belongs to shard i when position mod n == i - 1. */
export function inShard(position: number, shard: Shard): boolean {
  return position % shard.count === shard.index - 1;
}

/** How many of a corpus's first `files` positions belong to `shard`. */
export function shardSize(files: number, shard: Shard): number {
  return files > shard.index - 1 ? Math.floor((files - shard.index) / shard.count) + 1 : 0;
}
