// Scoring peers that run on this machine, measured on the same corpora in the same run as
// @eou/wer: the npm package fastest-levenshtein (a devDependency, interleaved in-process by
// bench/index.ts), Debian's python3-levenshtein (C, through /usr/bin/python3) and NIST sclite
// (Debian sctk). The last two are separate programs: they are run only when present (else a note
// says why they were skipped) and timed on their own scoring (python: text splitting, word-to-char
// mapping and Levenshtein.distance, median of repeats; sclite: the whole process, reading .trn,
// aligning and writing a summary). jiwer does not install here: its figures are quoted, never
// measured (see the README).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distance } from 'fastest-levenshtein';
import { presets } from '../src/index';

/**
 * fastest-levenshtein on words: each distinct word becomes one UTF-16 unit (what jiwer does with
 * rapidfuzz), and the distances are summed. The mapping is part of the timed work, as our
 * tokenising and vocabulary are.
 */
export function fastestLevenshteinErrors(refs: readonly string[], hyps: readonly string[]): number {
  const units = new Map<string, string>();
  const encode = (text: string) => {
    let s = '';
    for (const w of presets.harness(text)) {
      let u = units.get(w);
      if (u === undefined) units.set(w, (u = String.fromCharCode(0x100 + units.size)));
      s += u;
    }
    return s;
  };
  let errors = 0;
  for (let i = 0; i < refs.length; i++) errors += distance(encode(refs[i]!), encode(hyps[i]!));
  return errors;
}

/** One external peer's measurement, or why it was not measured. */
export interface PeerResult {
  readonly peer: string;
  readonly measured: boolean;
  readonly note?: string;
  /** Median seconds of the scoring runs. */
  readonly seconds?: number;
  readonly runs?: number;
  readonly referenceWordsPerSecond?: number;
  /** Errors the peer counted (python-Levenshtein: the edit distance; sclite: its weighted alignment's). */
  readonly errors?: number;
}

const PYTHON = `
import json, sys, time
import Levenshtein
refs = open(sys.argv[1], encoding="utf-8").read().split("\\n")[:-1]
hyps = open(sys.argv[2], encoding="utf-8").read().split("\\n")[:-1]
repeats = int(sys.argv[3])
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    units = {}
    def encode(text):
        out = []
        for w in text.lower().split():
            u = units.get(w)
            if u is None:
                u = chr(0x100 + len(units))
                units[w] = u
            out.append(u)
        return "".join(out)
    errors = 0
    for r, h in zip(refs, hyps):
        errors += Levenshtein.distance(encode(r), encode(h))
    times.append(time.perf_counter() - t0)
times.sort()
try:
    from importlib.metadata import version
    v = version("python-Levenshtein")
except Exception:
    v = getattr(Levenshtein, "__version__", "?")
print(json.dumps({"seconds": times[len(times) // 2], "errors": errors, "version": v}))
`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function findPython(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import Levenshtein'], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  return undefined;
}

function findSclite(): string[] | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const d of dirs) if (fs.existsSync(path.join(d, 'sclite'))) return [path.join(d, 'sclite')];
  if (fs.existsSync('/usr/lib/sctk/bin/sclite')) return ['/usr/lib/sctk/bin/sclite'];
  for (const d of dirs) if (fs.existsSync(path.join(d, 'sctk'))) return [path.join(d, 'sctk'), 'sclite'];
  return undefined;
}

/**
 * Runs the external peers on a corpus.
 *
 * @param repeats scoring runs per peer (the median is reported; sclite long-form takes ~30 s a run).
 */
export function externalPeers(
  corpus: { readonly refs: readonly string[]; readonly hyps: readonly string[]; readonly refWords: number },
  repeats: { python: number; sclite: number },
): PeerResult[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-wer-peers-'));
  const out: PeerResult[] = [];
  try {
    fs.writeFileSync(path.join(dir, 'ref.txt'), corpus.refs.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'hyp.txt'), corpus.hyps.join('\n') + '\n');
    const python = findPython();
    if (!python) {
      out.push({
        peer: 'python3-levenshtein',
        measured: false,
        note: 'skipped: no python3 with the Levenshtein module (Debian: apt-get install python3-levenshtein)',
      });
    } else {
      fs.writeFileSync(path.join(dir, 'peer.py'), PYTHON);
      const r = JSON.parse(
        execFileSync(
          python,
          [
            path.join(dir, 'peer.py'),
            path.join(dir, 'ref.txt'),
            path.join(dir, 'hyp.txt'),
            String(repeats.python),
          ],
          {
            encoding: 'utf8',
          },
        ),
      ) as { seconds: number; errors: number; version: string };
      out.push({
        peer: `python3-levenshtein ${r.version} (${python})`,
        measured: true,
        seconds: r.seconds,
        runs: repeats.python,
        referenceWordsPerSecond: Math.round(corpus.refWords / r.seconds),
        errors: r.errors,
      });
    }
    const sclite = findSclite();
    if (!sclite) {
      out.push({
        peer: 'sclite',
        measured: false,
        note: 'skipped: sclite not installed (Debian: apt-get install sctk)',
      });
    } else {
      const trn = (texts: readonly string[]) =>
        texts.map((t, i) => `${t} (s${i}-u${i})`.trimStart()).join('\n') + '\n';
      fs.writeFileSync(path.join(dir, 'ref.trn'), trn(corpus.refs));
      fs.writeFileSync(path.join(dir, 'hyp.trn'), trn(corpus.hyps));
      const [bin, ...pre] = sclite;
      const seconds: number[] = [];
      for (let k = 0; k < repeats.sclite; k++) {
        const t0 = performance.now();
        execFileSync(
          bin!,
          [...pre, '-r', 'ref.trn', 'trn', '-h', 'hyp.trn', 'trn', '-i', 'spu_id', '-o', 'rsum', '-O', dir],
          {
            cwd: dir,
            stdio: 'ignore',
          },
        );
        seconds.push((performance.now() - t0) / 1000);
      }
      // The raw summary's Sum row: sentences, words, then C S D I Err S.Err counts.
      const raw = fs.readFileSync(path.join(dir, 'hyp.trn.raw'), 'utf8');
      const sum = /\|\s*Sum\s*\|([^|]*)\|([^|]*)\|/.exec(raw);
      const cells = sum ? sum[2]!.trim().split(/\s+/).map(Number) : [];
      const s = median(seconds);
      out.push({
        peer: 'sclite 2.4.10 (whole process: read .trn, align, write a raw summary)',
        measured: true,
        seconds: s,
        runs: repeats.sclite,
        referenceWordsPerSecond: Math.round(corpus.refWords / s),
        ...(cells.length >= 5 ? { errors: cells[4]! } : {}),
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
