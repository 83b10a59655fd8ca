// Parity with NIST sclite 2.4.10 (Debian `sctk`): the committed golden set
// (test/fixtures/sclite-golden, made by tools/sclite-golden/generate.mjs) is replayed everywhere;
// where the sclite binary is installed, freshly generated random pairs are also scored by it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignIds, type AlignmentChunk } from './alignIds';
import { alignIdsSclite } from './alignIdsSclite';
import { compareSystems } from './compareSystems';
import { parseTrn } from './trn';
import { Vocabulary } from './vocabulary';

const golden = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/sclite-golden');
const read = (name: string) => fs.readFileSync(path.join(golden, name), 'utf8');

/** sclite's SGML paths: id -> evaluation letters (C, S, D, I) with the words of each step. */
function parseSgmlPaths(sgml: string): Map<string, { ops: string[]; ref: string[]; hyp: string[] }> {
  const out = new Map<string, { ops: string[]; ref: string[]; hyp: string[] }>();
  const re = /<PATH id="\(([^)]*)\)"[^>]*>\n([^\n]*)\n<\/PATH>/g;
  for (let m = re.exec(sgml); m; m = re.exec(sgml)) {
    const steps = m[2]!.trim() === '' ? [] : m[2]!.split(':');
    const ops: string[] = [];
    const ref: string[] = [];
    const hyp: string[] = [];
    for (const step of steps) {
      const [op, r, h] = step.split(',');
      ops.push(op!);
      if (r) ref.push(JSON.parse(r) as string);
      if (h) hyp.push(JSON.parse(h) as string);
    }
    out.set(m[1]!, { ops, ref, hyp });
  }
  return out;
}

const LETTER = { equal: 'C', substitute: 'S', delete: 'D', insert: 'I' } as const;
function letters(chunks: readonly AlignmentChunk[]): string[] {
  const ops: string[] = [];
  for (const c of chunks)
    for (let k = 0; k < Math.max(c.refEnd - c.refStart, c.hypEnd - c.hypStart); k++) ops.push(LETTER[c.kind]);
  return ops;
}
const counts = (ops: readonly string[]) => ['C', 'S', 'D', 'I'].map((k) => ops.filter((o) => o === k).length);

function scoreBoth(refText: string, hypText: string, vocab: Vocabulary) {
  const ref = vocab.ids(refText.split(' ').filter(Boolean));
  const hyp = vocab.ids(hypText.split(' ').filter(Boolean));
  return { sclite: letters(alignIdsSclite(ref, hyp).chunks), unit: letters(alignIds(ref, hyp).chunks) };
}

describe('sclite parity (committed golden set)', () => {
  const refs = parseTrn(read('ref.trn'), 'ref.trn');
  const hyps = new Map(parseTrn(read('hyp.trn'), 'hyp.trn').map((e) => [e.id, e.text]));
  const paths = parseSgmlPaths(read('hyp.trn.sgml'));

  it('has every utterance of the golden set in sclite output', () => {
    expect(refs.length).toBe(412);
    expect(paths.size).toBe(refs.length);
  });

  it('aligns every golden utterance operation for operation as sclite does (hence equal C/S/D/I)', () => {
    const vocab = new Vocabulary();
    for (const { id, text } of refs) {
      const want = paths.get(id)!;
      const got = scoreBoth(text, hyps.get(id)!, vocab);
      expect({ id, ops: got.sclite }).toEqual({ id, ops: want.ops });
      expect(want.ref).toEqual(text.split(' ').filter(Boolean));
    }
  });

  it('shows that unit costs split S/D/I differently from sclite on many utterances', () => {
    const vocab = new Vocabulary();
    const differ = refs.filter(({ id, text }) => {
      const got = scoreBoth(text, hyps.get(id)!, vocab);
      return counts(got.unit).join() !== counts(paths.get(id)!.ops).join();
    });
    // Fixed by the fixtures: 52 of the 412 (the random ones and the crafted ones).
    expect(differ.length).toBe(52);
  });

  it('shows crafted pairs where sclite counts more errors than the Levenshtein minimum', () => {
    const vocab = new Vocabulary();
    const crafted = refs.filter((r) => r.id.startsWith('c1-'));
    expect(crafted).toHaveLength(12);
    // No random pair of this set differs in the total, only in the split.
    for (const { id, text } of refs.filter((r) => !r.id.startsWith('c1-'))) {
      const got = scoreBoth(text, hyps.get(id)!, vocab);
      expect(
        counts(got.unit)
          .slice(1)
          .reduce((a, b) => a + b, 0),
        id,
      ).toBe(
        counts(got.sclite)
          .slice(1)
          .reduce((a, b) => a + b, 0),
      );
    }
    for (const { id, text } of crafted) {
      const got = scoreBoth(text, hyps.get(id)!, vocab);
      const [, s, d, i] = counts(paths.get(id)!.ops);
      const [, us, ud, ui] = counts(got.unit);
      expect(us! + ud! + ui!, id).toBeLessThan(s! + d! + i!);
      expect(counts(got.sclite)).toEqual(counts(paths.get(id)!.ops));
    }
  });
});

function findSclite(): string[] | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'sclite'))) return [path.join(dir, 'sclite')];
  }
  if (fs.existsSync('/usr/lib/sctk/bin/sclite')) return ['/usr/lib/sctk/bin/sclite'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'sctk'))) return [path.join(dir, 'sctk'), 'sclite'];
  }
  return undefined;
}
const sclite = findSclite();

describe.skipIf(!sclite)('sclite parity (the sclite binary, random pairs)', () => {
  it('agrees with sclite on 300 random tie-rich pairs (one sclite run)', () => {
    const words = (n: number) => fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: n });
    const pairs = fc.sample(fc.tuple(words(16), words(16)), { numRuns: 300, seed: 424242 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-sclite-'));
    try {
      const trn = (side: 0 | 1) =>
        pairs.map((p, i) => `${p[side].join(' ')} (r-${String(i).padStart(3, '0')})`.trimStart()).join('\n') +
        '\n';
      fs.writeFileSync(path.join(dir, 'ref.trn'), trn(0));
      fs.writeFileSync(path.join(dir, 'hyp.trn'), trn(1));
      const [bin, ...pre] = sclite!;
      execFileSync(
        bin!,
        [...pre, '-r', 'ref.trn', 'trn', '-h', 'hyp.trn', 'trn', '-i', 'spu_id', '-o', 'sgml', '-O', dir],
        {
          cwd: dir,
          stdio: 'ignore',
        },
      );
      const paths = parseSgmlPaths(fs.readFileSync(path.join(dir, 'hyp.trn.sgml'), 'utf8'));
      const vocab = new Vocabulary();
      pairs.forEach((p, i) => {
        const id = `r-${String(i).padStart(3, '0')}`;
        expect({ id, ops: scoreBoth(p[0].join(' '), p[1].join(' '), vocab).sclite }).toEqual({
          id,
          ops: paths.get(id)!.ops,
        });
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the MAPSSWE segments and z of sc_stats on random two-system corpora (3 seeds)', () => {
    for (const seed of [1, 2, 3]) {
      const word = fc.constantFrom('a', 'b', 'c', 'd');
      const utt = fc.tuple(
        fc.array(word, { maxLength: 14 }),
        fc.array(word, { maxLength: 14 }),
        fc.array(word, { maxLength: 14 }),
      );
      const rows = fc.sample(utt, { numRuns: 120, seed });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-scstats-'));
      try {
        const id = (i: number) => `s${i % 6}-u${String(i).padStart(3, '0')}`;
        const trn = (side: 0 | 1 | 2) =>
          rows.map((r, i) => `${r[side].join(' ')} (${id(i)})`.trimStart()).join('\n') + '\n';
        fs.writeFileSync(path.join(dir, 'ref.trn'), trn(0));
        fs.writeFileSync(path.join(dir, 'a.trn'), trn(1));
        fs.writeFileSync(path.join(dir, 'b.trn'), trn(2));
        const [bin, ...pre] = sclite!;
        execFileSync(
          bin!,
          [
            ...pre,
            '-r',
            'ref.trn',
            'trn',
            '-h',
            'a.trn',
            'trn',
            'A',
            '-h',
            'b.trn',
            'trn',
            'B',
            '-i',
            'spu_id',
            '-o',
            'sgml',
            '-O',
            dir,
          ],
          { cwd: dir, stdio: 'ignore' },
        );
        const sgml =
          fs.readFileSync(path.join(dir, 'a.trn.sgml'), 'utf8') +
          fs.readFileSync(path.join(dir, 'b.trn.sgml'), 'utf8');
        const statsBin = bin!.endsWith('sctk') ? bin! : path.join(path.dirname(bin!), 'sc_stats');
        const statsPre = bin!.endsWith('sctk') ? ['sc_stats'] : [];
        execFileSync(statsBin, [...statsPre, '-p', '-t', 'mapsswe', '-v', '-n', 'out'], {
          cwd: dir,
          input: sgml,
          stdio: ['pipe', 'ignore', 'ignore'],
        });
        const text = fs.readFileSync(path.join(dir, 'out.stats.mapsswe'), 'utf8');
        const segments = Number(/\(# segs: (\d+)\)/.exec(text)![1]);
        const z = Number(/\(Z Stat: (-?[\d.]+)\)/.exec(text)![1]);
        const asEntries = (side: 0 | 1 | 2) => rows.map((r, i) => ({ id: id(i), text: r[side].join(' ') }));
        const c = compareSystems({
          references: asEntries(0),
          systems: [
            { name: 'A', hypotheses: asEntries(1) },
            { name: 'B', hypotheses: asEntries(2) },
          ],
          costs: 'sclite',
        }).candidates[0]!.significance.mapsswe;
        expect({ seed, segments: c.segments, z: (-c.z).toFixed(3) }).toEqual({
          seed,
          segments,
          z: z.toFixed(3),
        });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
