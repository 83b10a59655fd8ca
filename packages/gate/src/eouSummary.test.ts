import { describe, expect, it } from 'vitest';
import { evaluateRules, parseRuleText, compareSystems } from '@eou/wer';
import { chunkLayoutOf } from './chunkLayout';
import { resolveEouDetector } from './eouDetectorSpec';
import { eouSections } from './eouSections';
import {
  defaultEouRules,
  EOU_DEFINITIONS_WITHOUT_TOKEN,
  eouRuleMetricNames,
  eouRuleMetrics,
  summarizeEou,
} from './eouSummary';
import type { GateReport } from './gateReport';
import type { FileResult, VariantFileResult } from './resultsLog';

const EOU = 9;
const layout = chunkLayoutOf(
  Array.from({ length: 40 }, () => ({ frames: 2, advanceSamples: 2560 })),
  't',
  16000,
  80,
);

/** One file, one utterance ending at `endSec`; each variant: a token at frame 1 and EOU signals from `eouFrom` on. */
function file(id: string, endSec: number, eouFrom: Record<string, number | null>): FileResult {
  const variants: Record<string, VariantFileResult> = {};
  for (const [name, from] of Object.entries(eouFrom)) {
    const eouFrames = from === null ? [] : Array.from({ length: 30 }, (_, k) => from + k);
    variants[name] = {
      tokens: [1, ...eouFrames.map(() => EOU)],
      tokenFrames: [1, ...eouFrames],
      eouFrames,
      text: 'a',
      errors: 0,
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      seqDiff: false,
      decodeMs: 1,
      steps: 1,
    };
  }
  return {
    kind: 'file',
    id,
    index: 0,
    status: 'ok',
    reference: 'a',
    words: 1,
    frames: 80,
    speech: { source: 'manifest', utterances: [{ startMs: 0, endMs: endSec * 1000 }] },
    chunking: layout,
    variants,
  };
}

const ctx = { detector: resolveEouDetector({ debounceMs: 640 }), eouId: EOU, listenMs: 0 };

describe(summarizeEou, () => {
  it('gives percentiles, rates and the paired difference vs the reference', () => {
    // Signals from frame f (chunk floor(f/2), ending at (floor(f/2)+1)*160 ms) confirm 640 ms later.
    const files = [
      file('a', 0.2, { ref: 4, cand: 4 }), // both: anchor 480, confirmed 1120: latency 920
      file('b', 0.2, { ref: 4, cand: 8 }), // cand: anchor 800, confirmed 1440: latency 1240
      file('c', 0.2, { ref: 4, cand: null }), // cand: missed
    ];
    const s = summarizeEou(files, ['ref', 'cand'], ctx)!;
    const [ref, cand] = s.variants;
    expect(ref!.latencies).toEqual([920, 920, 920]);
    expect(cand!.latencies).toEqual([920, 1240]);
    expect([cand!.missed, cand!.missedRate, cand!.earlyCuts]).toEqual([1, 0.333, 0]);
    expect(cand!.vsReference).toEqual({
      p50DeltaMs: 320, // nearest rank of [920, 1240] at 0.5 is index 1
      p90DeltaMs: 320,
      p99DeltaMs: 320,
      paired: { utterances: 2, meanDeltaMs: 160, p50DeltaMs: 320, p90DeltaMs: 320, changed: 1 },
      earlyCutRateDeltaPp: 0,
      missedRateDeltaPp: 33.333,
    });
    expect(s.endOfSpeech).toEqual({ manifest: 3, vad: 0, none: 0 });
    expect(s.chunking).toEqual({ t: 3 });
  });

  it('turns into rule metrics for @eou/wer, NaN where nothing was measured', () => {
    const s = summarizeEou([file('a', 0.2, { ref: 4, cand: 8 })], ['ref', 'cand'], ctx);
    const m = eouRuleMetrics(s);
    expect(Object.keys(m).sort()).toEqual([...eouRuleMetricNames].sort());
    expect(m['eouLatencyP90DeltaMs']!('cand')).toBe(320);
    expect(m['missedEouRatePp']!('cand')).toBe(0);
    expect(m['streamsStoppedAfterEou']!('cand')).toBeNaN(); // no multi-utterance stream
    expect(eouRuleMetrics(undefined)['eouLatencyP90DeltaMs']!('cand')).toBeNaN();
    const comparison = compareSystems({
      references: { a: 'a' },
      systems: [
        { name: 'ref', hypotheses: { a: 'a' } },
        { name: 'cand', hypotheses: { a: 'a' } },
      ],
      referenceSystem: 'ref',
    });
    const rule = parseRuleText('eouLatencyP90DeltaMs <= 40', '--rule', 'rule', {
      metrics: eouRuleMetricNames,
    });
    const v = evaluateRules([rule, ...defaultEouRules], comparison, m);
    expect(v.rules.map((r) => [r.metric, r.value, r.pass])).toEqual([
      ['eouLatencyP90DeltaMs', 320, false],
      ['eouLatencyP90DeltaMs', 320, false],
      ['earlyCutRateDeltaPp', 0, true],
      ['missedEouRateDeltaPp', 0, true],
    ]);
  });

  it('is absent when no file knows its end of speech, and renders a table with its definitions when present', () => {
    const noTruth = { ...file('a', 0.2, { ref: 4 }), speech: undefined };
    expect(summarizeEou([noTruth], ['ref'], ctx)).toBeUndefined();
    const eou = summarizeEou([file('a', 0.2, { ref: 4, cand: 4 })], ['ref', 'cand'], ctx)!;
    const sections = eouSections({ eou } as unknown as GateReport);
    expect(sections.map((x) => x.title)).toEqual(['End of utterance']);
    expect(sections[0]!.rows[0]!.slice(0, 2)).toEqual(['ref', '920 / 920 / 920']);
    expect(sections[0]!.note).toContain('eou-debounce(silence-since-last-token, 640 ms)');
    expect(sections[0]!.note).toContain('Early cut = an EOU confirmed before the end of speech');
    expect(sections[0]!.note).toContain("Signal = the model's own <EOU> token");
  });

  it('says there is no signal and the policy has no effect for a model without an <EOU> token, whose endpoint rules end utterances', () => {
    const endpoint = { detector: resolveEouDetector(undefined, false), eouId: undefined, listenMs: 3000 };
    const eou = summarizeEou([file('a', 0.2, { ref: null, cand: null })], ['ref', 'cand'], endpoint)!;
    expect(eou.definitions).toBe(EOU_DEFINITIONS_WITHOUT_TOKEN);
    const note = eouSections({ eou } as unknown as GateReport)[0]!.note!;
    expect(note).toMatch(/^Detector: endpoint\(rule1: /);
    expect(note).toContain('Signal: none, the model has no <EOU> token (so the EOU policy has no effect)');
    expect(note).not.toContain("the model's own <EOU> token");
    expect(eou.variants.every((v) => v.signalLatencyMs === null)).toBe(true);
  });
});
