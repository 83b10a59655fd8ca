#!/usr/bin/env node
// Regenerates the sclite golden set of @eou/wer (packages/wer/test/fixtures/sclite-golden/):
// seeded random reference/hypothesis pairs over tiny vocabularies (so that equal-cost alignments
// are frequent), a few crafted pairs on which sclite's weighted alignment makes more errors than
// Levenshtein's, a second system for the significance tests, and what NIST sclite and sc_stats
// (Debian `sctk`, 2.4.10) print for them. The test suite replays these files, so CI needs no
// sclite. Run: `node tools/sclite-golden/generate.mjs` (needs `sctk` on PATH, or sclite in
// /usr/lib/sctk/bin); the output is byte-identical from run to run (sclite's creation date is
// blanked).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const out = path.join(root, 'packages/wer/test/fixtures/sclite-golden');
const SEED = 20_261_202;

/** mulberry32, the generator @eou/wer's seededRandom uses. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(SEED);
const int = (n) => Math.floor(random() * n);
const LETTERS = ['a', 'b', 'c', 'd', 'e'];

function edited(ref, rate, vocab) {
  const hyp = [];
  for (const w of ref) {
    const r = random();
    if (r < rate / 3) hyp.push(LETTERS[int(vocab)]);
    else if (r < (2 * rate) / 3) continue;
    else if (r < rate) hyp.push(w, LETTERS[int(vocab)]);
    else hyp.push(w);
  }
  if (random() < 0.2) hyp.push(LETTERS[int(vocab)]);
  return hyp;
}

/** Errors (S + D + I) of the minimum-cost alignment for substitution / gap costs (full matrix). */
function errorsOf(ref, hyp, sub, gap) {
  const n = ref.length;
  const m = hyp.length;
  let prev = Array.from({ length: m + 1 }, (_, j) => [j * gap, j]);
  for (let i = 1; i <= n; i++) {
    const cur = [[i * gap, i]];
    for (let j = 1; j <= m; j++) {
      const same = ref[i - 1] === hyp[j - 1];
      const options = [
        [prev[j - 1][0] + (same ? 0 : sub), prev[j - 1][1] + (same ? 0 : 1)],
        [prev[j][0] + gap, prev[j][1] + 1],
        [cur[j - 1][0] + gap, cur[j - 1][1] + 1],
      ];
      // Among equal costs keep the fewest errors: a lower bound of what any tie-break gives.
      options.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      cur.push(options[0]);
    }
    prev = cur;
  }
  return prev[m][1];
}

// 1. Random pairs: 8 speakers x 50 utterances.
const refs = [];
const hypsA = [];
const hypsB = [];
for (let s = 1; s <= 8; s++) {
  for (let u = 1; u <= 50; u++) {
    const id = `s${s}-u${String(u).padStart(3, '0')}`;
    const vocab = 2 + int(3);
    const ref = Array.from({ length: int(15) }, () => LETTERS[int(vocab)]);
    const shape = random();
    const hyp =
      shape < 0.15
        ? Array.from({ length: int(15) }, () => LETTERS[int(vocab)])
        : edited(ref, 0.15 + 0.35 * random(), vocab);
    refs.push([id, ref]);
    hypsA.push([id, hyp]);
    // System B: speakers 1-2 identical to A (tied speakers), the others their own error rate.
    hypsB.push([id, s <= 2 ? hyp : edited(ref, 0.05 + 0.05 * s, vocab)]);
  }
}

// 2. Crafted: pairs on which the 4/3/3 optimum has more errors than the Levenshtein optimum
// (five substitutions traded for three deletions and three insertions lowers the cost by 2).
let found = 0;
for (let tries = 0; found < 12 && tries < 2_000_000; tries++) {
  const len = 8 + int(10);
  const ref = Array.from({ length: len }, () => LETTERS[int(2)]);
  const hyp = edited(ref, 0.6, 2);
  if (errorsOf(ref, hyp, 4, 3) > errorsOf(ref, hyp, 1, 1)) {
    found++;
    const id = `c1-u${String(found).padStart(3, '0')}`;
    refs.push([id, ref]);
    hypsA.push([id, hyp]);
    hypsB.push([id, hyp]);
  }
}
if (found < 12) throw new Error(`only ${found} crafted pairs found`);

const trn = (rows) =>
  rows.map(([id, words]) => (words.length ? `${words.join(' ')} (${id})` : `(${id})`)).join('\n') + '\n';

function tool(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (fs.existsSync(path.join(dir, name))) return [path.join(dir, name), []];
  }
  if (fs.existsSync(`/usr/lib/sctk/bin/${name}`)) return [`/usr/lib/sctk/bin/${name}`, []];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (fs.existsSync(path.join(dir, 'sctk'))) return [path.join(dir, 'sctk'), [name]];
  }
  throw new Error(`${name} not found: install Debian's sctk (apt-get install sctk)`);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sclite-golden-'));
try {
  fs.writeFileSync(path.join(work, 'ref.trn'), trn(refs));
  fs.writeFileSync(path.join(work, 'hyp.trn'), trn(hypsA));
  fs.writeFileSync(path.join(work, 'sysB.trn'), trn(hypsB));
  const [sclite, sclitePre] = tool('sclite');
  const [scStats, scStatsPre] = tool('sc_stats');
  const run = (file, args, cwd) =>
    execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  // sclite prints its usage, with the version, and exits 1 when given no arguments.
  let usage = '';
  try {
    run(sclite, sclitePre, work);
  } catch (error) {
    usage = String(error.stderr ?? '');
  }
  const version = usage.match(/sclite Version: [^\n]*/)?.[0] ?? 'unknown';
  // Alignments: per-utterance paths (sgml), the printout (pra) and the summary (sys).
  run(
    sclite,
    [
      ...sclitePre,
      '-r',
      'ref.trn',
      'trn',
      '-h',
      'hyp.trn',
      'trn',
      '-i',
      'spu_id',
      '-o',
      'sgml',
      'pralign',
      'sum',
      '-O',
      work,
    ],
    work,
  );
  // Two systems for the significance tests.
  fs.mkdirSync(path.join(work, 'two'));
  run(
    sclite,
    [
      ...sclitePre,
      '-r',
      'ref.trn',
      'trn',
      '-h',
      'hyp.trn',
      'trn',
      'sysA',
      '-h',
      'sysB.trn',
      'trn',
      'sysB',
      '-i',
      'spu_id',
      '-o',
      'sgml',
      '-O',
      'two',
    ],
    work,
  );
  const sgml =
    fs.readFileSync(path.join(work, 'two/hyp.trn.sgml'), 'utf8') +
    fs.readFileSync(path.join(work, 'two/sysB.trn.sgml'), 'utf8');
  const stats = {};
  for (const test of ['sign', 'wilc', 'mcn', 'mapsswe']) {
    execFileSync(scStats, [...scStatsPre, '-p', '-t', test, '-v', '-n', `stats`], {
      cwd: work,
      input: sgml,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    stats[test] = fs.readFileSync(path.join(work, `stats.stats.${test}`), 'utf8');
  }
  const blankDate = (text) => text.replace(/creation_date="[^"]*"/g, 'creation_date=""');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const f of ['ref.trn', 'hyp.trn', 'sysB.trn']) fs.copyFileSync(path.join(work, f), path.join(out, f));
  fs.writeFileSync(
    path.join(out, 'hyp.trn.sgml'),
    blankDate(fs.readFileSync(path.join(work, 'hyp.trn.sgml'), 'utf8')),
  );
  fs.copyFileSync(path.join(work, 'hyp.trn.pra'), path.join(out, 'hyp.trn.pra'));
  fs.copyFileSync(path.join(work, 'hyp.trn.sys'), path.join(out, 'hyp.trn.sys'));
  fs.writeFileSync(path.join(out, 'two-systems.sgml'), blankDate(sgml));
  for (const [test, text] of Object.entries(stats))
    fs.writeFileSync(path.join(out, `sc_stats.${test}`), text);
  fs.writeFileSync(
    path.join(out, 'README.md'),
    `# sclite golden set

Made by \`node tools/sclite-golden/generate.mjs\` (seed ${SEED}) with ${version} (Debian \`sctk\`
2.4.10). Do not edit by hand: rerun the generator (the output is byte-identical between runs).

- \`ref.trn\`, \`hyp.trn\`: ${refs.length} utterances. Speakers \`s1\`..\`s8\`: 50 random pairs each over
  2-4 letter vocabularies (15 % unrelated hypotheses, the rest edited at 15-50 %), empty sides
  included. Speaker \`c1\`: ${found} crafted pairs on which the 4/3/3 optimum has more errors than the
  Levenshtein optimum.
- \`hyp.trn.sgml\`, \`hyp.trn.pra\`, \`hyp.trn.sys\`: \`sclite -r ref.trn trn -h hyp.trn trn -i spu_id -o
  sgml pralign sum\` (creation date blanked in the SGML).
- \`sysB.trn\`: a second system on the same references (speakers \`s1\`, \`s2\`, \`c1\` identical to
  \`hyp.trn\`); \`two-systems.sgml\`: sclite's SGML of both (\`-h hyp.trn trn sysA -h sysB.trn trn
  sysB\`); \`sc_stats.{sign,wilc,mcn,mapsswe}\`: \`sc_stats -p -t <test> -v\` on that SGML.
`,
  );
  console.log(`wrote ${out} (${refs.length} utterances, ${found} crafted)`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
