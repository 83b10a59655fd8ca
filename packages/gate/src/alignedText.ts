/**
 * The aligned-text section of the reports: for each listed file, the reference and both
 * hypotheses on one grid of columns (a reference word, or an insertion slot between two), each
 * hypothesis cell marked C, S, D or I, so a reader sees at once what the candidate changed. The
 * two pairwise alignments (`@eou/wer`'s chunks) are merged on the reference axis: an insertion slot
 * is as wide as the longer run of insertions the hypotheses have in that gap.
 */
import type { AlignmentChunk } from '@eou/wer';
import type { AlignedExample, GateReport } from './gateReport';
import { escapeXml } from './svgPlot';

export type CellOp = 'C' | 'S' | 'D' | 'I' | '';

export interface AlignedCell {
  /** The hypothesis word; empty for a deletion or a slot this hypothesis inserts nothing into. */
  readonly text: string;
  readonly op: CellOp;
}

export interface AlignedColumn {
  /** The reference word; empty in an insertion slot. */
  readonly ref: string;
  /** One cell per hypothesis, in order. */
  readonly cells: readonly AlignedCell[];
}

interface Split {
  /** What each reference word became. */
  readonly at: AlignedCell[];
  /** Words inserted before reference word g (g = n: after the last). */
  readonly before: string[][];
}

function split(n: number, words: readonly string[], chunks: readonly AlignmentChunk[]): Split {
  const at: AlignedCell[] = Array.from({ length: n }, () => ({ text: '', op: 'D' }));
  const before: string[][] = Array.from({ length: n + 1 }, () => []);
  for (const c of chunks) {
    if (c.kind === 'insert') before[c.refStart]!.push(...words.slice(c.hypStart, c.hypEnd));
    else if (c.kind === 'delete') for (let i = c.refStart; i < c.refEnd; i++) at[i] = { text: '', op: 'D' };
    else
      for (let k = 0; k < c.refEnd - c.refStart; k++)
        at[c.refStart + k] = { text: words[c.hypStart + k]!, op: c.kind === 'equal' ? 'C' : 'S' };
  }
  return { at, before };
}

/**
 * Merges alignments of several hypotheses against one reference into columns.
 * @param reference the processed reference words.
 * @param hypotheses each hypothesis' words and its chunks against `reference`.
 */
export function mergeAlignments(
  reference: readonly string[],
  hypotheses: readonly { readonly words: readonly string[]; readonly chunks: readonly AlignmentChunk[] }[],
): AlignedColumn[] {
  const n = reference.length;
  const splits = hypotheses.map((h) => split(n, h.words, h.chunks));
  const columns: AlignedColumn[] = [];
  for (let g = 0; g <= n; g++) {
    const slots = Math.max(0, ...splits.map((s) => s.before[g]!.length));
    for (let k = 0; k < slots; k++)
      columns.push({
        ref: '',
        cells: splits.map((s) => {
          const word = s.before[g]![k];
          return word === undefined ? { text: '', op: '' } : { text: word, op: 'I' };
        }),
      });
    if (g < n) columns.push({ ref: reference[g]!, cells: splits.map((s) => s.at[g]!) });
  }
  return columns;
}

const width = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};
const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - width(s)));

/** What a cell shows: its word, `*` for the missing side of a deletion or insertion. */
const shown = (text: string, op: CellOp): string => (text === '' && op !== '' ? '*' : text);

/**
 * Plain-text grid of one example (for Markdown): `REF` and one line per hypothesis, each followed
 * by a line of S/D/I marks, columns padded by code points and wrapped at `lineWidth`.
 */
export function alignedGridText(example: AlignedExample, lineWidth = 100): string {
  const columns = mergeAlignments(example.reference, example.hypotheses);
  const labels = ['REF', ...example.hypotheses.map((h) => h.variant)];
  const labelWidth = Math.max(...labels.map(width)) + 2;
  const widths = columns.map((c) =>
    Math.max(width(shown(c.ref, c.ref ? 'C' : 'I')), ...c.cells.map((x) => width(shown(x.text, x.op))), 1),
  );
  const blocks: string[] = [];
  for (let start = 0; start < columns.length || start === 0;) {
    let end = start;
    let used = labelWidth;
    while (end < columns.length && (end === start || used + widths[end]! + 1 <= lineWidth))
      used += widths[end++]! + 1;
    const slice = columns.slice(start, end);
    const w = widths.slice(start, end);
    const row = (cells: string[]) =>
      cells
        .map((c, i) => pad(c, w[i]!))
        .join(' ')
        .trimEnd();
    const lines = [pad('REF', labelWidth) + row(slice.map((c) => (c.ref === '' ? '*' : c.ref)))];
    example.hypotheses.forEach((h, k) => {
      lines.push(pad(h.variant, labelWidth) + row(slice.map((c) => shown(c.cells[k]!.text, c.cells[k]!.op))));
      const marks = row(slice.map((c) => (c.cells[k]!.op === 'C' ? '' : c.cells[k]!.op)));
      if (marks.trim() !== '') lines.push(' '.repeat(labelWidth) + marks);
    });
    blocks.push(lines.join('\n'));
    if (end >= columns.length) break;
    start = end;
  }
  return blocks.join('\n\n');
}

function caption(e: AlignedExample): string {
  const [ref, cand] = e.hypotheses;
  const d = `${e.deltaErrors >= 0 ? '+' : ''}${e.deltaErrors} errors, ${Number.isFinite(e.deltaPp) ? `${e.deltaPp >= 0 ? '+' : ''}${e.deltaPp.toFixed(1)} pp` : 'n/a'}`;
  const counts = (h: typeof ref) =>
    `${h.variant} ${h.errors} (S ${h.substitutions}, D ${h.deletions}, I ${h.insertions})`;
  return `${e.variant} · ${e.id} · ${e.listedAs === 'blowup' ? 'blowup' : 'worst delta'} · ${e.words} words · ${d} · ${counts(ref)} → ${counts(cand)}`;
}

export const ALIGNED_TITLE = 'Worst files, aligned (blowups first, then the largest error deltas)';
const ALIGNED_NOTE =
  'Each hypothesis is aligned to the reference words after normalisation; S substitution, D deletion (*), I insertion (* in REF).';

/** The Markdown section: one fenced grid per example, under a caption with the counts. */
export function alignedExamplesMarkdown(report: Pick<GateReport, 'alignedExamples'>): string {
  const lines = [`## ${ALIGNED_TITLE}`, ''];
  if (report.alignedExamples.length === 0)
    lines.push('_none: no candidate has more errors than the reference on any file_', '');
  else lines.push(ALIGNED_NOTE, '');
  for (const e of report.alignedExamples)
    lines.push(
      `**${caption(e).replace(/[*_`]/g, (c) => `\\${c}`)}**`,
      '',
      '```text',
      alignedGridText(e),
      '```',
      '',
    );
  return lines.join('\n');
}

/** Characters of words in one row of the HTML grid (about the report's width in monospace). */
const LINE_CHARS = 130;

const OP_TITLE: Record<CellOp, string> = {
  C: 'correct',
  S: 'substitution',
  D: 'deletion',
  I: 'insertion',
  '': '',
};

function columnHtml(c: AlignedColumn): string {
  const ref = `<span class="aref${c.ref === '' ? ' gap' : ''}">${escapeXml(c.ref === '' ? '*' : c.ref)}</span>`;
  const cells = c.cells
    .map((x) => {
      const mark = x.op === 'C' || x.op === '' ? '' : `<sup>${x.op}</sup>`;
      const title = OP_TITLE[x.op] ? ` title="${OP_TITLE[x.op]}"` : '';
      return `<span class="ahyp op${x.op || 'none'}"${title}>${escapeXml(shown(x.text, x.op)) || '&#8203;'}${mark}</span>`;
    })
    .join('');
  return `<span class="acol">${ref}${cells}</span>`;
}

/** The HTML section: one grid of columns per example that wraps with the page, cells coloured by S/D/I. */
export function alignedExamplesHtml(report: Pick<GateReport, 'alignedExamples'>): string {
  if (report.alignedExamples.length === 0)
    return `<section id="aligned"><h2>${escapeXml(ALIGNED_TITLE)}</h2><p class="none">none: no candidate has more errors than the reference on any file</p></section>`;
  const blocks = report.alignedExamples.map((e) => {
    const columns = mergeAlignments(e.reference, e.hypotheses);
    const labels = `<span class="acol labels"><span class="aref">REF</span>${e.hypotheses.map((h) => `<span class="ahyp">${escapeXml(h.variant)}</span>`).join('')}</span>`;
    // Rows of about LINE_CHARS characters, each with its own labels, so a wrapped row still says
    // which line is which.
    const rows: string[] = [];
    let row = '';
    let used = 0;
    for (const c of columns) {
      const w = Math.max(width(c.ref), ...c.cells.map((x) => width(x.text)), 1) + 2;
      if (used > 0 && used + w > LINE_CHARS) {
        rows.push(row);
        row = '';
        used = 0;
      }
      row += columnHtml(c);
      used += w;
    }
    rows.push(row);
    return `<figure class="aligned"><figcaption>${escapeXml(caption(e))}</figcaption>${rows.map((r) => `<div class="agrid">${labels}${r}</div>`).join('')}</figure>`;
  });
  return `<section id="aligned"><h2>${escapeXml(ALIGNED_TITLE)}</h2><p class="note">${escapeXml(ALIGNED_NOTE)}</p>${blocks.join('\n')}</section>`;
}

/** The CSS of {@link alignedExamplesHtml}. */
export const ALIGNED_CSS = `
figure.aligned{margin:10px 0 16px;padding:8px 10px;border:1px solid #e5e7eb;border-radius:6px}
figure.aligned figcaption{font-weight:600;margin-bottom:6px;font-size:13px}
.agrid{display:flex;margin-bottom:8px;font:13px/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.acol{display:inline-flex;flex-direction:column;margin-right:6px}
.acol span{padding:1px 3px;white-space:pre;border-radius:3px;min-height:16px}
.acol.labels span{color:#6b7280;font-weight:600}
.aref{color:#111827}.aref.gap{color:#9ca3af}
.opS{background:#fde68a}.opD{background:#fecaca;color:#7f1d1d}.opI{background:#bbf7d0;color:#14532d}
.acol sup{font-size:9px;margin-left:1px;font-weight:700}
`;
