// `eou wer` against outside references: the committed sclite golden set (sclite 2.4.10's own
// per-utterance alignments and reports, packages/wer/test/fixtures/sclite-golden) read as .trn,
// Kaldi and plain files; and random corpora against an independent weighted dynamic programme
// (sclite's costs) and fast-levenshtein's edit distance (the jiwer-style total).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import levenshtein from 'fast-levenshtein';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

const golden = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../packages/wer/test/fixtures/sclite-golden',
);
const readGolden = (name: string) => fs.readFileSync(path.join(golden, name), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-wer-parity-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

interface Utt {
  readonly id: string;
  readonly ref: string[];
  readonly hyp: string[];
}

/** `words (id)` lines of a .trn file, in order. */
function trnLines(text: string): { id: string; words: string[] }[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^(.*)\(([^()]*)\)\s*$/.exec(line)!;
      return { id: m[2]!, words: m[1]!.trim().split(/\s+/).filter(Boolean) };
    });
}

/** sclite's evaluation of each utterance from its SGML output: id -> [C, S, D, I]. */
function sgmlCounts(sgml: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const re = /<PATH id="\(([^)]*)\)"[^>]*>\n([^\n]*)\n<\/PATH>/g;
  for (let m = re.exec(sgml); m; m = re.exec(sgml)) {
    const ops = m[2]!.trim() === '' ? [] : m[2]!.split(':').map((step) => step.split(',')[0]!);
    out.set(
      m[1]!,
      ['C', 'S', 'D', 'I'].map((k) => ops.filter((o) => o === k).length),
    );
  }
  return out;
}

type Record4 = { id: string; hits: number; substitutions: number; deletions: number; insertions: number };
const four = (r: Record4) => [r.hits, r.substitutions, r.deletions, r.insertions];

/** The golden set's utterances in .trn order, with both sides. */
function goldenUtterances(): Utt[] {
  const hyps = new Map(trnLines(readGolden('hyp.trn')).map((e) => [e.id, e.words]));
  return trnLines(readGolden('ref.trn')).map((e) => ({ id: e.id, ref: e.words, hyp: hyps.get(e.id)! }));
}

/** The same utterances written in each format `eou wer` reads. */
function writeFormats(name: string, utts: readonly Utt[]) {
  const side = (pick: (u: Utt) => string[], format: 'kaldi' | 'plain' | 'trn') =>
    utts
      .map((u) => {
        const words = pick(u).join(' ');
        if (format === 'plain') return words;
        if (format === 'kaldi') return words ? `${u.id} ${words}` : u.id;
        return words ? `${words} (${u.id})` : `(${u.id})`;
      })
      .join('\n') + '\n';
  return (['kaldi', 'plain', 'trn'] as const).map((format) => ({
    format,
    ref: file(
      `${name}-ref.${format}`,
      side((u) => u.ref, format),
    ),
    hyp: file(
      `${name}-hyp.${format}`,
      side((u) => u.hyp, format),
    ),
  }));
}

async function scoreJson(args: string[]) {
  const run = await runCli(['wer', ...args, '--per-utterance', '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as {
    errors: number;
    wer: number;
    ser: number;
    hits: number;
    referenceWords: number;
    alignmentCosts: string;
    formats: { reference: { format: string; detected: boolean } };
    perUtterance: Record4[];
  };
}

describe('eou wer --sclite on the sclite golden set', () => {
  const utts = goldenUtterances();
  const want = sgmlCounts(readGolden('hyp.trn.sgml'));

  it('gives every utterance sclite C/S/D/I, read from .trn, Kaldi and plain files (formats detected)', async () => {
    expect(utts).toHaveLength(412);
    // The last utterance has words on both sides, so the plain files have no trailing blank line.
    expect(utts.at(-1)!.ref.length * utts.at(-1)!.hyp.length).toBeGreaterThan(0);
    for (const f of writeFormats('golden', utts)) {
      const doc = await scoreJson(['--ref', f.ref, '--hyp', f.hyp, '--sclite']);
      expect(doc.formats.reference).toMatchObject({ format: f.format, detected: true });
      expect(doc.alignmentCosts).toBe('sclite');
      expect(doc.perUtterance).toHaveLength(412);
      doc.perUtterance.forEach((r, i) => {
        const id = utts[i]!.id;
        // Plain files pair by line: their ids are line numbers.
        expect(r.id).toBe(f.format === 'plain' ? String(i + 1) : id);
        expect({ id, counts: four(r) }).toEqual({ id, counts: want.get(id) });
      });
      // sclite's .sys totals: 412 sentences, 3131 words, 84.5 % sentence errors, 36.4 % errors.
      expect(doc.referenceWords).toBe(3131);
      expect((100 * doc.ser).toFixed(1)).toBe('84.5');
      expect((100 * doc.wer).toFixed(1)).toBe('36.4');
    }
  });

  it('writes the .trn, .pra and .sys files sclite writes for the same input (--out)', async () => {
    const out = path.join(dir, 'sclite-out');
    const run = await runCli([
      'wer',
      '--ref',
      path.join(golden, 'ref.trn'),
      '--hyp',
      path.join(golden, 'hyp.trn'),
      '--sclite',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('wrote ref.trn, hyp.trn, hyp.trn.pra, hyp.trn.sys');
    for (const name of ['ref.trn', 'hyp.trn', 'hyp.trn.pra', 'hyp.trn.sys'])
      expect({ name, text: fs.readFileSync(path.join(out, name), 'utf8') }).toEqual({
        name,
        text: readGolden(name),
      });
    expect(fs.readdirSync(out).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('without --sclite splits S/D/I by fewest edits, and says which alignment it used', async () => {
    const f = writeFormats('golden-unit', utts)[2]!;
    const unit = await scoreJson(['--ref', f.ref, '--hyp', f.hyp]);
    expect(unit.alignmentCosts).toBe('unit');
    const differ = unit.perUtterance.filter((r) => four(r).join() !== want.get(r.id)!.join());
    expect(differ.length).toBeGreaterThan(0);
    const text = await runCli(['wer', '--ref', f.ref, '--hyp', f.hyp, '--sclite']);
    expect(text.stdout).toContain(`reference  ${f.ref}: trn (detected: every line ends with a unique "(id)"`);
    expect(text.stdout).toContain("alignment  sclite's weighted costs (S 4, D 3, I 3)");
    expect(text.stdout).toMatch(/\nSER 84\.466% \(348 of 412 utterances with an error\)\n/);
  });
});

/**
 * Independent reference for sclite's alignment: the full cost matrix (correct 0, substitution 4,
 * deletion 3, insertion 3), then a walk back from the end that at each cell prefers the diagonal
 * when it is optimal, else the deletion when it is strictly cheaper than the insertion, else the
 * insertion (sclite 2.4.10's choices).
 */
function weightedCounts(ref: readonly string[], hyp: readonly string[]): number[] {
  const n = ref.length;
  const m = hyp.length;
  const d = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: m + 1 }, (_, j) => (i === 0 ? 3 * j : j === 0 ? 3 * i : 0)),
  );
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 4),
        d[i - 1]![j]! + 3,
        d[i]![j - 1]! + 3,
      );
  const c = [0, 0, 0, 0];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const diag = i > 0 && j > 0 ? d[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 4) : Infinity;
    const del = i > 0 ? d[i - 1]![j]! + 3 : Infinity;
    const ins = j > 0 ? d[i]![j - 1]! + 3 : Infinity;
    if (diag <= del && diag <= ins) {
      c[ref[i - 1] === hyp[j - 1] ? 0 : 1]!++;
      i--;
      j--;
    } else if (del < ins) {
      c[2]!++;
      i--;
    } else {
      c[3]!++;
      j--;
    }
  }
  return c;
}

/** Word-level Levenshtein distance through fast-levenshtein: each distinct word becomes one character. */
function levenshteinWords(ref: readonly string[], hyp: readonly string[]): number {
  const code = new Map<string, string>();
  const enc = (words: readonly string[]) =>
    words
      .map((w) => {
        if (!code.has(w)) code.set(w, String.fromCodePoint(0xe000 + code.size));
        return code.get(w)!;
      })
      .join('');
  return levenshtein.get(enc(ref), enc(hyp));
}

describe('eou wer on random corpora in every format', () => {
  const word = fc.constantFrom('a', 'b', 'c', 'dd');
  const utterance = fc.record({
    ref: fc.array(word, { maxLength: 9 }),
    hyp: fc.array(word, { maxLength: 9 }),
  });
  // Ids look like ids (a digit), the last utterance has words on both sides (no trailing blank line
  // in a plain file), and some first word repeats, so every format is detected from the content.
  const corpus = fc
    .array(utterance, { minLength: 2, maxLength: 12 })
    .map((us) => [...us, { ref: ['a', 'b'], hyp: ['a', 'c'] }, { ref: ['a'], hyp: ['a'] }])
    .map((us) => us.map((u, k) => ({ id: `spk${k % 3}-u${String(k).padStart(3, '0')}`, ...u })));
  let run = 0;

  it('--sclite gives each utterance the weighted programme C/S/D/I; default totals equal Levenshtein', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, async (utts) => {
        run++;
        for (const f of writeFormats(`random-${run}`, utts)) {
          const sclite = await scoreJson(['--ref', f.ref, '--hyp', f.hyp, '--sclite']);
          expect(sclite.formats.reference.format).toBe(f.format);
          sclite.perUtterance.forEach((r, i) =>
            expect(four(r)).toEqual(weightedCounts(utts[i]!.ref, utts[i]!.hyp)),
          );
          const unit = await scoreJson(['--ref', f.ref, '--hyp', f.hyp]);
          unit.perUtterance.forEach((r, i) =>
            expect(r.substitutions + r.deletions + r.insertions).toBe(
              levenshteinWords(utts[i]!.ref, utts[i]!.hyp),
            ),
          );
          const words = utts.reduce((a, u) => a + u.ref.length, 0);
          const edits = utts.reduce((a, u) => a + levenshteinWords(u.ref, u.hyp), 0);
          expect(unit.errors).toBe(edits);
          expect(unit.wer).toBeCloseTo(edits / words, 12);
        }
      }),
      { numRuns: 40, seed: 20261202 },
    );
  });
});

describe('eou wer on the files that used to mis-score', () => {
  it('refuses unique non-id first words without --format, and scores them per line with --format plain', async () => {
    const r = file('amb-ref.txt', 'hello world foo\n');
    const h = file('amb-hyp.txt', 'hello word foo\n');
    const refused = await runCli(['wer', '--ref', r, '--hyp', h]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')).toHaveLength(2);
    expect(refused.stderr).toContain('cannot tell the format');
    expect(refused.stderr).toContain('--format plain');
    const plain = await scoreJson(['--ref', r, '--hyp', h, '--format', 'plain']);
    expect([plain.errors, plain.referenceWords]).toEqual([1, 3]);
    expect(plain.formats.reference).toMatchObject({ format: 'plain', detected: false });
  });

  it('scores jiwer-style plain files line by line when a first word repeats (detected as plain)', async () => {
    const r = file('p-ref.txt', 'hello world foo\nhello there\n');
    const h = file('p-hyp.txt', 'hello word foo\nhello there\n');
    const doc = await scoreJson(['--ref', r, '--hyp', h]);
    expect([doc.errors, doc.referenceWords, doc.formats.reference.format]).toEqual([1, 5, 'plain']);
  });

  it('prints an undefined rate as undefined (text) and null (JSON), never a percentage', async () => {
    const r = file('e-ref.txt', 'u1\nu2\n');
    const h = file('e-hyp.txt', 'u1 x y\nu2\n');
    const text = await runCli(['wer', '--ref', r, '--hyp', h, '--format', 'kaldi']);
    expect(text.stdout).toContain('WER undefined: no reference words (2 errors, 2 utterances)');
    const doc = JSON.parse(
      (await runCli(['wer', '--ref', r, '--hyp', h, '--format', 'kaldi', '--json'])).stdout,
    );
    expect(doc.wer).toBeNull();
    expect(doc.rate).toMatchObject({ defined: false, reason: 'no-reference-words' });
    expect(doc.ser).toBe(0.5);
  });

  it('--per-utterance prints one line per utterance with C S D I and its rate', async () => {
    const r = file('pu-ref.txt', 'u1 a b c\nu2\n');
    const h = file('pu-hyp.txt', 'u1 a x\nu2 z\n');
    const run = await runCli(['wer', '--ref', r, '--hyp', h, '--format', 'kaldi', '--per-utterance']);
    expect(run.stdout).toContain(
      'id      C    S    D    I  rate\nu1      1    1    1    0  66.667%\nu2      0    0    0    1  undefined\n',
    );
  });
});
