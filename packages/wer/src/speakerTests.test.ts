import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareSystems } from './compareSystems';
import { binomialTwoSided } from './significance';
import {
  scliteSpeakerSignTest,
  scliteSpeakerWilcoxonTest,
  speakerErrorRates,
  speakerOf,
  type SpeakerRate,
} from './speakerTests';
import { parseTrn } from './trn';

const golden = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/sclite-golden');
const read = (name: string) => fs.readFileSync(path.join(golden, name), 'utf8');

const rate = (speaker: string, errors: number, referenceWords: number): SpeakerRate => ({
  speaker,
  utterances: 1,
  errors,
  referenceWords,
  percent: referenceWords ? (100 * errors) / referenceWords : 0,
});

describe('speakerOf', () => {
  it('takes the text before the first "-", else before the first "_", as sclite does', () => {
    expect(speakerOf('spk1-utt_3')).toBe('spk1');
    expect(speakerOf('spk2_utt-3')).toBe('spk2_utt');
    expect(speakerOf('s3_u1')).toBe('s3');
    expect(speakerOf('plain')).toBe('plain');
  });
});

describe('scliteSpeakerSignTest', () => {
  it('splits ties between the sides, the odd one to the minus side (hand-checked)', () => {
    // first = reference (larger sum). Differences: +, +, +, 0, 0, 0 -> N+ 3 + 1, N- 0 + 2: p = 2 P(X <= 2 | 6).
    const ref = ['a', 'b', 'c', 'd', 'e', 'f'].map((s, i) => rate(s, i < 3 ? 5 : 1, 10));
    const cand = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => rate(s, 1, 10));
    const r = scliteSpeakerSignTest(ref, cand);
    expect(r).toMatchObject({ speakers: 6, first: 'reference', plus: 3, minus: 0, ties: 3 });
    expect(r.pValue).toBeCloseTo(binomialTwoSided(2, 6), 12);
  });

  it('gives p = 1 when the sides balance after splitting ties', () => {
    const ref = [rate('a', 2, 10), rate('b', 1, 10)];
    const cand = [rate('a', 1, 10), rate('b', 2, 10)];
    expect(scliteSpeakerSignTest(ref, cand).pValue).toBe(1);
  });

  it('BAD CALL - rejects systems with different speakers', () => {
    expect(() => scliteSpeakerSignTest([rate('a', 1, 2)], [rate('b', 1, 2)])).toThrow(RangeError);
  });
});

describe('scliteSpeakerWilcoxonTest', () => {
  it('ranks zero differences too and assigns them alternately (hand-checked)', () => {
    // Differences (reference first): 3, 0, -1, 0: ranks of |d|: 4, 1.5, 3, 1.5; zeros go plus, minus.
    const ref = [rate('a', 4, 10), rate('b', 1, 10), rate('c', 1, 10), rate('d', 1, 10)];
    const cand = [rate('a', 1, 10), rate('b', 1, 10), rate('c', 2, 10), rate('d', 1, 10)];
    const r = scliteSpeakerWilcoxonTest(ref, cand);
    expect(r).toMatchObject({ first: 'reference', plus: 2, minus: 2, plusRanks: 5.5, minusRanks: 4.5 });
    // Equal sides: W is the minus side's sum. E = 5, var = 7.5.
    expect(r.z).toBeCloseTo((4.5 - 5) / Math.sqrt(7.5), 12);
  });
});

/** Numbers of sc_stats's verbose reports. */
function scStats() {
  const sign = read('sc_stats.sign');
  const wilc = read('sc_stats.wilc');
  const mcn = read('sc_stats.mcn');
  const mp = read('sc_stats.mapsswe');
  const num = (text: string, re: RegExp) => Number(re.exec(text)![1]);
  const rows = [...sign.matchAll(/^\s+(\S+)\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+([-+0])\s*$/gm)].map((m) => ({
    speaker: m[1]!,
    a: Number(m[2]),
    b: Number(m[3]),
  }));
  return {
    rows,
    signPlus: num(sign, /N\(\+\) =\s*(\d+)/),
    signMinus: num(sign, /N\(-\) =\s*(\d+)/),
    signTies: num(sign, /N\(0\) =\s*(\d+)/),
    signP: num(sign, /the probability of\s+it occurring is (\d\.\d+)/),
    wilcPlus: num(wilc, /Sum of\s+(\d+) positive ranks/),
    wilcPlusRanks: num(wilc, /positive ranks =\s*([\d.]+)/),
    wilcMinusRanks: num(wilc, /negative ranks =\s*([\d.]+)/),
    wilcZ: num(wilc, /The Z statistic = (-?[\d.]+)/),
    mcnTable: [...mcn.matchAll(/(?:corr|incorr)\s+(\d+)\s+(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]),
    mcnP: num(mcn, /the probability of\s+it occurring is (\d\.\d+)/),
    mpSegments: num(mp, /\(# segs: (\d+)\)/),
    mpZ: num(mp, /\(Z Stat: (-?[\d.]+)\)/),
  };
}

describe('against sc_stats 1.3 on the golden set (two systems, 9 speakers, 412 utterances)', () => {
  const refs = parseTrn(read('ref.trn'), 'ref.trn');
  const comparison = compareSystems({
    references: refs,
    systems: [
      { name: 'sysA', hypotheses: parseTrn(read('hyp.trn'), 'hyp.trn') },
      { name: 'sysB', hypotheses: parseTrn(read('sysB.trn'), 'sysB.trn') },
    ],
    costs: 'sclite',
    speakerOf,
  });
  const want = scStats();
  const c = comparison.candidates[0]!;

  it('finds the per-speaker error rates sc_stats prints', () => {
    const perUtt = (name: string) =>
      comparison.perUtterance.map((u) => ({
        id: u.id,
        errors: u.errors[name]!,
        referenceWords: u.referenceWords,
      }));
    const a = speakerErrorRates(perUtt('sysA'));
    const b = speakerErrorRates(perUtt('sysB'));
    expect(a.map((s) => s.speaker)).toEqual(want.rows.map((r) => r.speaker));
    expect(a.map((s) => s.percent.toFixed(2))).toEqual(want.rows.map((r) => r.a.toFixed(2)));
    expect(b.map((s) => s.percent.toFixed(2))).toEqual(want.rows.map((r) => r.b.toFixed(2)));
  });

  it('equals sc_stats -t sign (counts and p to the printed 3 decimals)', () => {
    const s = c.significance.speakerSign!;
    expect([s.plus, s.minus, s.ties]).toEqual([want.signPlus, want.signMinus, want.signTies]);
    expect(s.first).toBe('reference');
    expect(s.pValue.toFixed(3)).toBe(want.signP.toFixed(3));
  });

  it('equals sc_stats -t wilc (rank sums and z to the printed 2 decimals)', () => {
    const w = c.significance.speakerWilcoxon!;
    expect([w.plus, w.plusRanks, w.minusRanks]).toEqual([
      want.wilcPlus,
      want.wilcPlusRanks,
      want.wilcMinusRanks,
    ]);
    expect(w.z.toFixed(2)).toBe(want.wilcZ.toFixed(2));
  });

  it("counts the discordant sentences of sc_stats -t mcn; its p-value is the exact one, not sclite's", () => {
    const m = c.significance.mcnemar;
    // sclite's table: rows sysA corr / incorr, columns sysB corr / incorr.
    expect(want.mcnTable).toEqual([
      [expect.any(Number), m.referenceOnlyCorrect],
      [m.candidateOnlyCorrect, expect.any(Number)],
    ]);
    // 26 vs 39 of 65: the exact two-sided p is 0.136; sclite's normal approximation above 20
    // trials (R * 0.5 for R + 0.5) prints 0.000.
    expect(m.pValue).toBeCloseTo(binomialTwoSided(26, 65), 12);
    expect(m.pValue.toFixed(3)).toBe('0.136');
    expect(want.mcnP).toBe(0);
  });

  it('equals sc_stats -t mapsswe here (segments, mean, sd and z to the printed 3 decimals)', () => {
    const mp = c.significance.mapsswe;
    expect(mp.segments).toBe(want.mpSegments);
    // sclite subtracts system 2 from system 1; ours is candidate minus reference.
    expect((-mp.z).toFixed(3)).toBe(want.mpZ.toFixed(3));
  });
});
