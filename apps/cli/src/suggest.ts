/**
 * "Did you mean": the known name closest to a mistyped one, when it is close enough to be a typo: an
 * edit distance of at most a third of the longer name (at least one), or the typed text starts
 * exactly one known name. The distance counts a swap of two neighbours as one edit (optimal string
 * alignment), the commonest typo (`--modle`), which the Levenshtein kernels of `@eou/wer` count as
 * two; names are short, so the plain dynamic programme is all it takes.
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function typoDistance(a: readonly number[], b: readonly number[]): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

// Leading dashes of flags are not part of the name: `--nope` is not close to `--mode`.
const codePoints = (s: string): number[] =>
  Array.from(s.replace(/^-+/, '').toLowerCase(), (c) => c.codePointAt(0)!);

/** The closest of `known` to `typed`, or undefined when none is close enough. */
export function closest(typed: string, known: Iterable<string>): string | undefined {
  const names = [...known];
  const prefixed = names.filter((n) => typed.length >= 2 && n.startsWith(typed));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = typoDistance(codePoints(typed), codePoints(name));
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  const length = Math.max(codePoints(typed).length, best === undefined ? 0 : codePoints(best).length);
  const limit = Math.max(1, Math.floor(length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** `; did you mean X?` for a message, or nothing. */
export function didYouMean(typed: string, known: Iterable<string>, show = (s: string) => s): string {
  const hit = closest(typed, known);
  return hit === undefined ? '' : `; did you mean ${show(hit)}?`;
}
