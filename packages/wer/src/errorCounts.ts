/**
 * Error frequency tables (sclite's `dtl` confusion pairs, jiwer's `collect_error_counts`): how
 * often each reference word was substituted by each hypothesis word, deleted, or inserted.
 */
import type { AlignedUtterance } from './alignmentText';

/** Frequencies, most frequent first (ties in first-seen order). */
export interface ErrorFrequencies {
  readonly substitutions: ReadonlyArray<{
    readonly reference: string;
    readonly hypothesis: string;
    readonly count: number;
  }>;
  readonly deletions: ReadonlyArray<{ readonly word: string; readonly count: number }>;
  readonly insertions: ReadonlyArray<{ readonly word: string; readonly count: number }>;
}

function sorted<T extends { count: number }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => b.count - a.count);
}

/** Counts substitution pairs, deleted words and inserted words over aligned utterances. */
export function collectErrorCounts(utterances: Iterable<AlignedUtterance>): ErrorFrequencies {
  const subs = new Map<string, { reference: string; hypothesis: string; count: number }>();
  const dels = new Map<string, { word: string; count: number }>();
  const ins = new Map<string, { word: string; count: number }>();
  const bump = (map: Map<string, { word: string; count: number }>, word: string) => {
    const e = map.get(word);
    if (e) e.count++;
    else map.set(word, { word, count: 1 });
  };
  for (const u of utterances) {
    for (const c of u.chunks) {
      if (c.kind === 'substitute') {
        for (let k = 0; k < c.refEnd - c.refStart; k++) {
          const reference = u.reference[c.refStart + k]!;
          const hypothesis = u.hypothesis[c.hypStart + k]!;
          // JSON of the pair is an unambiguous key whatever the words contain.
          const key = JSON.stringify([reference, hypothesis]);
          const e = subs.get(key);
          if (e) e.count++;
          else subs.set(key, { reference, hypothesis, count: 1 });
        }
      } else if (c.kind === 'delete') {
        for (let i = c.refStart; i < c.refEnd; i++) bump(dels, u.reference[i]!);
      } else if (c.kind === 'insert') {
        for (let j = c.hypStart; j < c.hypEnd; j++) bump(ins, u.hypothesis[j]!);
      }
    }
  }
  return {
    substitutions: sorted(subs.values()),
    deletions: sorted(dels.values()),
    insertions: sorted(ins.values()),
  };
}

/**
 * Text tables of the `top` most frequent errors of each kind (`ref --> hyp  count`).
 */
export function formatErrorCounts(counts: ErrorFrequencies, top = 10): string {
  const lines: string[] = ['SUBSTITUTIONS'];
  for (const s of counts.substitutions.slice(0, top))
    lines.push(`  ${s.reference} --> ${s.hypothesis}  ${s.count}`);
  lines.push('DELETIONS');
  for (const d of counts.deletions.slice(0, top)) lines.push(`  ${d.word}  ${d.count}`);
  lines.push('INSERTIONS');
  for (const i of counts.insertions.slice(0, top)) lines.push(`  ${i.word}  ${i.count}`);
  return lines.join('\n') + '\n';
}
