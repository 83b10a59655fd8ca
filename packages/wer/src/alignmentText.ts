/**
 * The alignment printout: per utterance a REF line, a HYP line and an ops line marking S, D and
 * I under each column, words padded to a shared column width counted in code points; `*` fills
 * the missing side of a deletion or insertion.
 */
import type { AlignmentChunk } from './alignIds';

/** What {@link formatAlignment} prints for one utterance. */
export interface AlignedUtterance {
  readonly id?: string;
  readonly reference: readonly string[];
  readonly hypothesis: readonly string[];
  readonly chunks: readonly AlignmentChunk[];
}

/** Options of {@link formatAlignment}. */
export interface AlignmentTextOptions {
  /** Leave out utterances without errors (default false). */
  readonly skipCorrect?: boolean;
  /** Wrap each utterance's lines at this many code points (0 or absent: no wrapping). */
  readonly lineWidth?: number;
}

const width = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};
const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - width(s)));

/**
 * Renders alignments as text.
 *
 * @returns one block per printed utterance, blocks separated by a blank line, ending in a newline
 *   (empty string when nothing is printed).
 */
export function formatAlignment(
  utterances: Iterable<AlignedUtterance>,
  options: AlignmentTextOptions = {},
): string {
  const lineWidth = options.lineWidth ?? 0;
  const blocks: string[] = [];
  let index = 0;
  for (const u of utterances) {
    const name = u.id ?? `utterance ${index}`;
    index++;
    if (options.skipCorrect && u.chunks.every((c) => c.kind === 'equal')) continue;
    const cols: Array<[string, string, string]> = [];
    for (const c of u.chunks) {
      const n = Math.max(c.refEnd - c.refStart, c.hypEnd - c.hypStart);
      for (let k = 0; k < n; k++) {
        const r = c.kind === 'insert' ? '' : u.reference[c.refStart + k]!;
        const h = c.kind === 'delete' ? '' : u.hypothesis[c.hypStart + k]!;
        const w = Math.max(width(r), width(h), 1);
        const mark =
          c.kind === 'substitute' ? 'S' : c.kind === 'delete' ? 'D' : c.kind === 'insert' ? 'I' : '';
        cols.push([r === '' ? '*'.repeat(w) : pad(r, w), h === '' ? '*'.repeat(w) : pad(h, w), pad(mark, w)]);
      }
    }
    const lines: string[] = [name];
    let ref = 'REF:';
    let hyp = 'HYP:';
    let ops = '    ';
    for (const [r, h, o] of cols) {
      if (lineWidth > 0 && width(ref) > 4 && width(ref) + 1 + width(r) > lineWidth) {
        lines.push(ref.trimEnd(), hyp.trimEnd(), ops.trimEnd());
        ref = 'REF:';
        hyp = 'HYP:';
        ops = '    ';
      }
      ref += ` ${r}`;
      hyp += ` ${h}`;
      ops += ` ${o}`;
    }
    lines.push(ref.trimEnd(), hyp.trimEnd(), ops.trimEnd());
    blocks.push(lines.join('\n'));
  }
  return blocks.length ? blocks.join('\n\n') + '\n' : '';
}
