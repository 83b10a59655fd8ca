import { describe, expect, it } from 'vitest';
import { collectErrorCounts, formatErrorCounts } from './errorCounts';
import { processWords } from './processWords';

describe('collectErrorCounts', () => {
  it('counts substitution pairs, deletions and insertions, most frequent first', () => {
    // u1: b->x; u2: b->x, d deleted; u3: y inserted, q->r.
    const out = processWords(['a b c', 'a b c d', 'p q'], ['a x c', 'a x c', 'p y r']);
    const counts = collectErrorCounts(out.utterances);
    expect(counts).toEqual({
      substitutions: [
        { reference: 'b', hypothesis: 'x', count: 2 },
        { reference: 'q', hypothesis: 'r', count: 1 },
      ],
      deletions: [{ word: 'd', count: 1 }],
      insertions: [{ word: 'y', count: 1 }],
    });
    expect(formatErrorCounts(counts, 1)).toBe(
      'SUBSTITUTIONS\n  b --> x  2\nDELETIONS\n  d  1\nINSERTIONS\n  y  1\n',
    );
  });
});
