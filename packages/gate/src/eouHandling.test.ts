import { describe, expect, it } from 'vitest';
import { defaultDebounce, resolveEouDetector } from './eouDetectorSpec';
import { eouHandling } from './eouHandling';
import type { EouSummary } from './eouSummary';
import type { GateReport } from './gateReport';

const corpus = (eouId: number | null | undefined, eouPolicy = 'stop-chunk') =>
  ({
    files: 2,
    scoredFiles: 2,
    words: 66,
    failed: [],
    normalizer: 'harness',
    eouPolicy,
    ...(eouId === undefined ? {} : { eouId }),
  }) satisfies GateReport['corpus'];
const timedWith = (detectorSpec: EouSummary['detectorSpec']) => ({ detectorSpec }) as EouSummary;

describe(eouHandling, () => {
  it('names the EOU policy of a model with an <EOU> token', () => {
    expect(eouHandling({ corpus: corpus(1024) })).toBe('EOU stop-chunk');
    expect(eouHandling({ corpus: corpus(0, 'reset'), eou: timedWith(defaultDebounce) })).toBe('EOU reset');
  });

  it('keeps the policy for a report of an older version, which does not say whether the model has the token', () => {
    expect(eouHandling({ corpus: corpus(undefined, 'reset') })).toBe('EOU reset');
  });

  it('says that endpoint rules end the utterances of a model without an <EOU> token when the report replays them', () => {
    const eou = timedWith(resolveEouDetector(undefined, false));
    expect(eouHandling({ corpus: corpus(null), eou })).toBe('no EOU token: endpoint rules end utterances');
  });

  it('says that the policy has no effect for a model without an <EOU> token and no endpoint rules', () => {
    expect(eouHandling({ corpus: corpus(null) })).toBe('no EOU token: the EOU policy has no effect');
    // A debounce waits for <EOU> signals this model never gives.
    expect(eouHandling({ corpus: corpus(null), eou: timedWith(defaultDebounce) })).toBe(
      'no EOU token: the EOU policy has no effect',
    );
  });
});
