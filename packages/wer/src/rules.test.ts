import { describe, expect, it } from 'vitest';
import { compareSystems } from './compareSystems';
import { defaultGateRules, evaluateRules, parseRules, parseRuleText } from './rules';
import { WerError } from './werError';

const refs = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`u${i}`, 'one two three four five six seven eight nine ten']),
);

function comparison(candidateErrors: number) {
  // The first `candidateErrors` words of u0 are substituted.
  const u0 = refs
    .u0!.split(' ')
    .map((w, i) => (i < candidateErrors ? `x${i}` : w))
    .join(' ');
  const cand = { ...refs, u0 };
  return compareSystems({
    references: refs,
    systems: [
      { name: 'ref', hypotheses: refs },
      { name: 'lean', hypotheses: cand },
    ],
  });
}

describe('evaluateRules', () => {
  it('passes the default gate when the candidate equals the reference', () => {
    const v = evaluateRules(defaultGateRules, comparison(0));
    expect(v.pass).toBe(true);
    expect(v.rules).toEqual([
      {
        name: 'deltaWerPp <= 0.1',
        system: 'lean',
        metric: 'deltaWerPp',
        op: '<=',
        threshold: 0.1,
        value: 0,
        pass: true,
      },
      {
        name: 'blowups == 0',
        system: 'lean',
        metric: 'blowups',
        op: '==',
        threshold: 0,
        value: 0,
        pass: true,
      },
    ]);
  });

  it('fails each rule that the values break and lists the values', () => {
    // 3 substitutions in one 10-word file of 100 words: +3 pp overall, +30 pp on the file (a blowup).
    const v = evaluateRules([...defaultGateRules, parseRuleText('seqDiffs <= 1')], comparison(3));
    expect(v.pass).toBe(false);
    expect(v.rules.map((r) => [r.metric, r.value, r.pass])).toEqual([
      ['deltaWerPp', 3, false],
      ['blowups', 1, false],
      ['seqDiffs', 1, true],
    ]);
  });

  it('compares at 1e-9 so that +0.10 pp computed in floating point passes "<= 0.10"', () => {
    // 1 error in 1000 words = 0.1 pp exactly, which 100 * (a - b) may not give bit for bit.
    const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`u${i}`, 'a b c d e f g h i j']));
    const cand = { ...big, u0: 'a b c d e f g h i x' };
    const cmp = compareSystems({
      references: big,
      systems: [
        { name: 'ref', hypotheses: big },
        { name: 'lean', hypotheses: cand },
      ],
    });
    expect(evaluateRules([{ metric: 'deltaWerPp', op: '<=', threshold: 0.1 }], cmp).pass).toBe(true);
  });

  it('BAD CALL - a rule naming an unknown system is a RangeError', () => {
    expect(() =>
      evaluateRules([{ metric: 'blowups', op: '==', threshold: 0, system: 'nope' }], comparison(0)),
    ).toThrow(RangeError);
  });
});

describe('parseRules', () => {
  it('reads an array or { rules } with objects and strings', () => {
    expect(
      parseRules('[{"metric": "deltaWerPp", "op": "<=", "threshold": 0.1}, "blowups == 0"]', 'r.json'),
    ).toEqual(defaultGateRules);
    expect(
      parseRules(
        '{"rules": [{"metric": "seqDiffs", "op": "<", "threshold": 5, "name": "few diffs", "system": "lean"}]}',
        'r.json',
      ),
    ).toEqual([{ metric: 'seqDiffs', op: '<', threshold: 5, name: 'few diffs', system: 'lean' }]);
  });

  const bad: Array<[string, string, string]> = [
    ['{"rules": [', 'r.json: not valid JSON', ''],
    ['{"rules": 3}', 'r.json: `rules` must be an array, got 3', 'rules'],
    [
      '[{"metric": "wat", "op": "<=", "threshold": 1}]',
      'r.json: `[0].metric` must be one of deltaWerPp',
      '[0].metric',
    ],
    [
      '{"rules": ["blowups == 0", {"metric": "blowups", "op": "=<", "threshold": 0}]}',
      'r.json: `rules[1].op` must be one of',
      'rules[1].op',
    ],
    [
      '[{"metric": "blowups", "op": "==", "threshold": "0"}]',
      'r.json: `[0].threshold` must be a finite number, got "0"',
      '[0].threshold',
    ],
    [
      '[{"metric": "blowups", "op": "==", "threshold": 0, "treshold": 1}]',
      'r.json: `[0].treshold` is not a rule field',
      '[0].treshold',
    ],
    ['["blowups is zero"]', 'r.json: `[0]` must look like "deltaWerPp <= 0.10"', '[0]'],
  ];
  for (const [doc, message, field] of bad) {
    it(`EXPECTED FAILURE - ${message}`, () => {
      let error: unknown;
      try {
        parseRules(doc, 'r.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WerError);
      expect((error as WerError).code).toBe('E_BAD_RULES');
      expect((error as WerError).message.startsWith(message)).toBe(true);
      if (field) expect((error as WerError).field).toBe(field);
    });
  }
});

describe('caller-defined rule metrics', () => {
  const metrics = ['eouLatencyP90DeltaMs', 'earlyCutRateDeltaPp'];

  it('parse when their names are given (digits included) and refuse otherwise', () => {
    expect(parseRuleText('eouLatencyP90DeltaMs <= 40', '--rule', 'rule', { metrics })).toEqual({
      metric: 'eouLatencyP90DeltaMs',
      op: '<=',
      threshold: 40,
    });
    expect(parseRules('["earlyCutRateDeltaPp <= 0.5"]', 'r.json', { metrics })[0]!.metric).toBe(
      'earlyCutRateDeltaPp',
    );
    expect(() => parseRuleText('eouLatencyP90DeltaMs <= 40')).toThrow(
      /`rule.metric` must be one of deltaWerPp, .*; got "eouLatencyP90DeltaMs"/,
    );
  });

  it('evaluate through the function the caller gives; NaN (not measured) fails; an unknown one is a RangeError', () => {
    const rules = [
      parseRuleText('eouLatencyP90DeltaMs <= 40', 'r', 'rule', { metrics }),
      parseRuleText('earlyCutRateDeltaPp <= 0.5', 'r', 'rule', { metrics }),
    ];
    const v = evaluateRules(rules, comparison(0), {
      eouLatencyP90DeltaMs: (system) => (system === 'lean' ? 12 : 0),
      earlyCutRateDeltaPp: () => NaN,
    });
    expect(v.rules.map((r) => [r.metric, r.system, r.value, r.pass])).toEqual([
      ['eouLatencyP90DeltaMs', 'lean', 12, true],
      ['earlyCutRateDeltaPp', 'lean', null, false],
    ]);
    expect(v.pass).toBe(false);
    expect(() => evaluateRules(rules, comparison(0))).toThrow(
      "rule 'eouLatencyP90DeltaMs <= 40' names metric 'eouLatencyP90DeltaMs', which is neither a @eou/wer rule metric nor one the caller defined (none)",
    );
  });
});
