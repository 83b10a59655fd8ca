import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GateError } from './gateError';
import { inShard, parseShard, shardSize } from './shard';

describe(parseShard, () => {
  it('parses i/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });

  it.each(['0/4', '5/4', '1/0', 'a/b', '1', ''])('BAD CALL - rejects %j', (text) => {
    expect(() => parseShard(text)).toThrow(/^shard: expected i\/n/);
    expect(() => parseShard(text)).toThrow(GateError);
  });

  it('partitions every manifest position into exactly one shard', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 500 }), (count, position) => {
        const owners = Array.from({ length: count }, (_, i) =>
          inShard(position, { index: i + 1, count }),
        ).filter(Boolean);
        expect(owners).toHaveLength(1);
      }),
    );
  });
});

describe(shardSize, () => {
  it('counts the positions of a shard as filtering every position would', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 300 }), (count, files) => {
        for (let index = 1; index <= count; index++) {
          const reference = Array.from({ length: files }, (_, k) => k).filter((k) =>
            inShard(k, { index, count }),
          ).length;
          expect(shardSize(files, { index, count })).toBe(reference);
        }
      }),
    );
  });
});
