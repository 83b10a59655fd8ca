import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreCorpus } from './scoreCorpus';
import { formatPra, formatSysSummary } from './scliteReports';
import { formatTrn, parseTrn } from './trn';
import { utteranceRecords } from './utteranceRecords';

const golden = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/sclite-golden');
const read = (name: string) => fs.readFileSync(path.join(golden, name), 'utf8');
const score = scoreCorpus(parseTrn(read('ref.trn'), 'ref.trn'), parseTrn(read('hyp.trn'), 'hyp.trn'), {
  costs: 'sclite',
});

describe('formatPra', () => {
  it("reproduces sclite's hyp.trn.pra of the golden set byte for byte", () => {
    expect(formatPra(score.utterances, { system: 'hyp.trn' })).toBe(read('hyp.trn.pra'));
  });

  it('wraps long alignments as sclite -l 20 does (its output, pasted), continuing with ">> "', () => {
    const s = scoreCorpus(
      { 'a-1': 'one two three four' },
      { 'a-1': 'one too three four five' },
      { costs: 'sclite' },
    );
    expect(formatPra(s.utterances, { lineWidth: 20 }).split('id: (a-1)\n')[1]).toBe(
      'Scores: (#C #S #D #I) 3 1 0 1\n' +
        'REF:  one TWO \nHYP:  one TOO \nEval:     S   \n\n' +
        '>> REF:  three \n>> HYP:  three \n>> Eval:       \n\n' +
        '>> REF:  four **** \n>> HYP:  four FIVE \n>> Eval:      I    \n\n\n',
    );
  });
});

describe('formatSysSummary', () => {
  it("reproduces sclite's hyp.trn.sys of the golden set byte for byte", () => {
    expect(formatSysSummary(score.utterances, { system: 'hyp.trn' })).toBe(read('hyp.trn.sys'));
  });

  it('prints n/a, not 0.0, for the rates of a corpus without reference words', () => {
    const s = scoreCorpus({ 'a-1': '' }, { 'a-1': 'x' });
    expect(formatSysSummary(s.utterances)).toContain(
      '| Sum/Avg|    1      0 |  n/a    n/a    n/a    n/a    n/a  100.0 |',
    );
  });
});

describe('formatTrn of scored words', () => {
  it('writes the processed reference and hypothesis words as sclite reads them back', () => {
    const refTrn = formatTrn(score.utterances.map((u) => ({ id: u.id, words: u.reference })));
    expect(refTrn).toBe(read('ref.trn'));
  });
});

describe('utteranceRecords', () => {
  it('gives id and counts per utterance, null for an undefined rate', () => {
    const s = scoreCorpus({ u1: 'a b', u2: '' }, { u1: 'a x y', u2: 'z' });
    expect(utteranceRecords(s.utterances)).toEqual([
      {
        id: 'u1',
        hits: 1,
        substitutions: 1,
        deletions: 0,
        insertions: 1,
        errors: 2,
        referenceWords: 2,
        hypothesisWords: 3,
        wer: 1,
        correct: false,
      },
      {
        id: 'u2',
        hits: 0,
        substitutions: 0,
        deletions: 0,
        insertions: 1,
        errors: 1,
        referenceWords: 0,
        hypothesisWords: 1,
        wer: null,
        correct: false,
      },
    ]);
  });
});
