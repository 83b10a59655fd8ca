/**
 * sclite-style text reports of scored utterances: the `.pra` alignment dump (`-o pralign`) and the
 * `.sys` summary table by speaker (`-o sum`). Layout, number formats and rounding follow sclite
 * 2.4.10, and the golden set's files are reproduced byte for byte (test/fixtures/sclite-golden).
 * Differences, all on inputs sclite handles differently anyway: columns are counted in code points
 * (sclite without `-e utf-8` counts bytes), only ASCII letters are upper-cased in error columns
 * (sclite's default 8-bit mode), and an undefined rate (no reference words at all) prints `n/a`
 * where sclite prints 0.0.
 */
import type { AlignmentChunk, EditCounts } from './alignIds';
import { speakerOf as scliteSpeakerOf } from './speakerTests';

/** One scored utterance, as `scoreCorpus` returns them (`utterances`). */
export interface ScoredUtterance extends EditCounts {
  readonly id: string;
  readonly reference: readonly string[];
  readonly hypothesis: readonly string[];
  readonly chunks: readonly AlignmentChunk[];
}

/** Options of the sclite-style reports. */
export interface ScliteReportOptions {
  /** System name (sclite prints the hypothesis file name; default `hyp`). */
  readonly system?: string;
  /** Speaker of an utterance id (default: sclite's rule, text before the first `-` or `_`). */
  readonly speakerOf?: (id: string) => string;
  /** `.pra` only: wrap alignment lines as sclite's `-l` does (default 1000 columns). */
  readonly lineWidth?: number;
  /** `.pra` only: upper-case the words of error columns, as sclite does unless `-s` (default true). */
  readonly upperCaseErrors?: boolean;
}

const width = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};
const padRight = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - width(s)));
const center = (s: string, w: number): string => {
  const room = Math.max(0, w - width(s));
  const left = room >> 1;
  return ' '.repeat(left) + s + ' '.repeat(room - left);
};
const upperAscii = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

/** Utterances grouped by speaker, speakers in order of first appearance. */
function bySpeaker<T extends { readonly id: string }>(
  utterances: Iterable<T>,
  speaker: (id: string) => string,
): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const u of utterances) {
    const name = speaker(u.id);
    let g = groups.get(name);
    if (!g) groups.set(name, (g = []));
    g.push(u);
  }
  return [...groups];
}

/**
 * The `.pra` dump of sclite (`-o pralign`): per speaker, per utterance its id, C/S/D/I and the
 * REF / HYP / Eval lines, error words upper-cased and `*` for the missing side.
 */
export function formatPra(utterances: Iterable<ScoredUtterance>, options: ScliteReportOptions = {}): string {
  const groups = bySpeaker(utterances, options.speakerOf ?? scliteSpeakerOf);
  const max = options.lineWidth ?? 1000;
  const upper = options.upperCaseErrors ?? true;
  let out = `\n\n\t\tDUMP OF SYSTEM ALIGNMENT STRUCTURE\n\nSystem name:   ${options.system ?? 'hyp'}\n\nSpeakers: \n`;
  groups.forEach(([name], i) => (out += `${String(i).padStart(5)}:  ${name}\n`));
  out += '\n';
  groups.forEach(([name, utts], i) => {
    out += `Speaker sentences ${String(i).padStart(3)}:  ${name}   #utts: ${utts.length}\n`;
    for (const u of utts) out += praBlock(u, max, upper);
  });
  return out + '\n';
}

function praBlock(u: ScoredUtterance, max: number, upper: boolean): string {
  let out = `id: (${u.id})\nScores: (#C #S #D #I) ${u.hits} ${u.substitutions} ${u.deletions} ${u.insertions}\n`;
  const cols: Array<{ ref: string; hyp: string; eval: string; w: number }> = [];
  for (const c of u.chunks) {
    const n = Math.max(c.refEnd - c.refStart, c.hypEnd - c.hypStart);
    for (let k = 0; k < n; k++) {
      let ref = c.kind === 'insert' ? '' : u.reference[c.refStart + k]!;
      let hyp = c.kind === 'delete' ? '' : u.hypothesis[c.hypStart + k]!;
      if (upper && c.kind !== 'equal') {
        ref = upperAscii(ref);
        hyp = upperAscii(hyp);
      }
      const w = Math.max(width(ref), width(hyp), 1);
      const mark = c.kind === 'substitute' ? 'S' : c.kind === 'delete' ? 'D' : c.kind === 'insert' ? 'I' : '';
      cols.push({ ref: ref || '*'.repeat(w), hyp: hyp || '*'.repeat(w), eval: mark, w });
    }
  }
  // Passes of columns as sclite cuts them: a column is kept while the line is under `max`.
  let used = 0;
  while (used < cols.length) {
    let len = used > 0 ? 9 : 6;
    let i = used;
    while (len < max && i < cols.length) len += 1 + cols[i++]!.w;
    const end = i < cols.length ? i - 1 : i;
    const last = Math.max(end, used + 1);
    const lead = used > 0 ? '>> ' : '';
    if (used > 0) out += '\n';
    let ref = `${lead}REF:  `;
    let hyp = `${lead}HYP:  `;
    let ev = `${lead}Eval: `;
    for (let k = used; k < last; k++) {
      const c = cols[k]!;
      ref += `${padRight(c.ref, c.w)} `;
      hyp += `${padRight(c.hyp, c.w)} `;
      ev += `${padRight(c.eval, c.w)} `;
    }
    out += `${ref}\n${hyp}\n${ev}\n`;
    used = last;
  }
  return out + '\n';
}

/** sclite's F_ROUND then printf: round half away from zero at `digits`, through a float. */
function fixed(x: number, digits: number): string {
  const p = 10 ** digits;
  return (Math.fround(Math.trunc(x * p + (x > 0 ? 0.5 : -0.5))) / p).toFixed(digits);
}

const pct = (num: number, den: number): number => (den === 0 ? 0 : (100 * num) / den);

function stats(values: readonly number[]): { mean: number; sd: number; median: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 0, median: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sorted = [...values].sort((a, b) => a - b);
  const median = n % 2 === 0 ? (sorted[n / 2]! + sorted[n / 2 - 1]!) / 2 : sorted[(n - 1) / 2]!;
  const ss = values.reduce((a, v) => a + (v - mean) * (v - mean), 0);
  return { mean, sd: ss !== 0 ? Math.sqrt(ss / (n - 1)) : 0, median };
}

/**
 * The `.sys` summary of sclite (`-o sum`): per speaker the sentences, reference words, and
 * correct / substitution / deletion / insertion / error percentages of the reference words and
 * the sentence error rate, then the totals and the mean, standard deviation and median over
 * speakers.
 */
export function formatSysSummary(
  utterances: Iterable<ScoredUtterance>,
  options: ScliteReportOptions = {},
): string {
  const groups = bySpeaker(utterances, options.speakerOf ?? scliteSpeakerOf);
  type Row = { first: string; align: 'l' | 'c'; cells: string[] };
  const rows: Row[] = [];
  const spk = groups.map(([name, utts]) => {
    const t = { c: 0, s: 0, d: 0, i: 0, serr: 0 };
    for (const u of utts) {
      t.c += u.hits;
      t.s += u.substitutions;
      t.d += u.deletions;
      t.i += u.insertions;
      if (u.substitutions + u.deletions + u.insertions > 0) t.serr++;
    }
    return { name, sentences: utts.length, words: t.c + t.s + t.d, ...t };
  });
  let zero = 0;
  for (const s of spk) {
    const values =
      s.words > 0
        ? [s.c, s.s, s.d, s.i, s.s + s.d + s.i].map((v) => `${fixed(pct(v, s.words), 1).padStart(5)} `)
        : [s.c, s.s, s.d, s.i, s.s + s.d + s.i].map((v) => `${fixed(v, 0).padStart(5)}*`);
    if (s.words === 0) zero++;
    rows.push({
      first: ` ${s.name} `,
      align: 'l',
      cells: [
        String(s.sentences).padStart(5),
        String(s.words).padStart(5),
        ...values,
        `${fixed(pct(s.serr, s.sentences), 1).padStart(5)} `,
      ],
    });
  }
  const sum = spk.reduce(
    (a, s) => ({
      c: a.c + s.c,
      s: a.s + s.s,
      d: a.d + s.d,
      i: a.i + s.i,
      serr: a.serr + s.serr,
      n: a.n + s.sentences,
      w: a.w + s.words,
    }),
    { c: 0, s: 0, d: 0, i: 0, serr: 0, n: 0, w: 0 },
  );
  const total = (v: number, den: number) => (den === 0 ? '  n/a ' : `${fixed(pct(v, den), 1).padStart(5)} `);
  const sumRow: Row = {
    first: ' Sum/Avg',
    align: 'l',
    cells: [
      String(sum.n).padStart(5),
      String(sum.w).padStart(5),
      ...[sum.c, sum.s, sum.d, sum.i, sum.s + sum.d + sum.i].map((v) => total(v, sum.w)),
      total(sum.serr, sum.n),
    ],
  };
  const rated = spk.filter((s) => s.words > 0);
  const columns = [
    stats(spk.map((s) => s.sentences)),
    stats(spk.map((s) => s.words)),
    ...[
      (s: (typeof spk)[0]) => s.c,
      (s: (typeof spk)[0]) => s.s,
      (s: (typeof spk)[0]) => s.d,
      (s: (typeof spk)[0]) => s.i,
      (s: (typeof spk)[0]) => s.s + s.d + s.i,
    ].map((f) => stats(rated.map((s) => pct(f(s), s.words)))),
    stats(spk.map((s) => pct(s.serr, s.sentences))),
  ];
  const mark = (k: number) => (zero > 0 && k >= 2 && k <= 6 ? '+' : ' ');
  const summary = (label: string, pick: (c: (typeof columns)[0]) => number): Row => ({
    first: label,
    align: 'c',
    cells: columns.map((c, k) => `${fixed(pick(c), 1).padStart(5)}${mark(k)}`),
  });
  const tail = [
    summary(' Mean ', (c) => c.mean),
    summary(' S.D. ', (c) => c.sd),
    summary('Median', (c) => c.median),
  ];
  const header: Row = {
    first: ' SPKR',
    align: 'l',
    cells: [' # Snt', '# Wrd', 'Corr', ' Sub', ' Del', ' Ins', ' Err', 'S.Err'],
  };
  const all = [header, ...rows, sumRow, ...tail];
  // Column widths: the widest cell of each column; cells are centred, the speaker column left-aligned.
  const w0 = Math.max(...all.map((r) => width(r.first)));
  const w = header.cells.map((_, k) => Math.max(...all.map((r) => width(r.cells[k]!))));
  const groups3 = [w0, w[0]! + 1 + w[1]!, w.slice(2).reduce((a, b) => a + b + 1, -1)];
  let inner = groups3[0]! + 1 + groups3[1]! + 1 + groups3[2]!;
  const title = options.system ?? 'hyp';
  if (width(title) > inner) {
    w[w.length - 1]! += width(title) - inner;
    groups3[2] = w.slice(2).reduce((a, b) => a + b + 1, -1);
    inner = width(title);
  }
  const margin = ' '.repeat(Math.max(0, (80 - (inner + 2)) >> 1));
  const line = (r: Row) =>
    `${margin}|${r.align === 'l' ? padRight(r.first, w0) : center(r.first, w0)}|${center(r.cells[0]!, w[0]!)} ${center(r.cells[1]!, w[1]!)}|${r.cells
      .slice(2)
      .map((c, k) => center(c, w[k + 2]!))
      .join(' ')}|`;
  const split = `${margin}|${'-'.repeat(groups3[0]!)}+${'-'.repeat(groups3[1]!)}+${'-'.repeat(groups3[2]!)}|`;
  const out = [
    '',
    '',
    '',
    center('SYSTEM SUMMARY PERCENTAGES by SPEAKER', 80),
    '',
    `${margin},${'-'.repeat(inner)}.`,
    `${margin}|${center(title, inner)}|`,
    `${margin}|${'-'.repeat(inner)}|`,
    line(header),
  ];
  for (const r of rows) out.push(split, line(r));
  out.push(`${margin}|${'='.repeat(inner)}|`, line(sumRow), `${margin}|${'='.repeat(inner)}|`);
  for (const r of tail) out.push(line(r));
  out.push(`${margin}\`${'-'.repeat(inner)}'`);
  let text = out.join('\n') + '\n';
  if (zero > 0)
    text +=
      '\n* No Reference words for this/these speaker(s).  Word counts supplied\n  rather than percents.\n+ Speaker(s) with no reference data is ignored\n';
  return text;
}
