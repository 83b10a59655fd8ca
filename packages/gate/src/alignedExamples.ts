/**
 * The files of a report a person reads to judge a regression: each candidate's blowups, then its
 * worst deltas, with the reference and both hypotheses aligned by `@eou/wer`. Aligned at report
 * time from the texts the results log already holds (a reference and every variant's text per
 * file), so the log keeps its size and the report stays a pure function of it.
 */
import { presets, processWords, type CandidateComparison, type UtteranceDelta } from '@eou/wer';
import { ALIGNED_EXAMPLES_PER_CANDIDATE, type AlignedExample, type AlignedHypothesis } from './gateReport';
import type { FileResult } from './resultsLog';
import type { GateSettings } from './settings';

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * Aligned examples of every candidate: blowups first, then the largest error deltas not already
 * listed, at most `perCandidate` each, in the comparison's order (largest first).
 */
export function alignedExamples(
  files: readonly FileResult[],
  candidates: readonly CandidateComparison[],
  settings: Pick<GateSettings, 'reference' | 'normalizer'>,
  perCandidate = ALIGNED_EXAMPLES_PER_CANDIDATE,
): AlignedExample[] {
  const byId = new Map(files.map((f) => [f.id, f]));
  const normalizer = presets[settings.normalizer];
  const align = (file: FileResult, variant: string): AlignedHypothesis & { reference: readonly string[] } => {
    const out = processWords(file.reference, file.variants[variant]!.text, { normalizer });
    const u = out.utterances[0]!;
    return {
      variant,
      reference: u.reference,
      words: u.hypothesis,
      chunks: u.chunks,
      errors: u.errors,
      substitutions: u.substitutions,
      deletions: u.deletions,
      insertions: u.insertions,
    };
  };
  const out: AlignedExample[] = [];
  for (const c of candidates) {
    const picked: { d: UtteranceDelta; listedAs: 'blowup' | 'worst' }[] = [];
    const seen = new Set<string>();
    for (const [list, listedAs] of [
      [c.blowups, 'blowup'],
      [c.worst, 'worst'],
    ] as const) {
      for (const d of list) {
        if (picked.length >= perCandidate || seen.has(d.id)) continue;
        seen.add(d.id);
        picked.push({ d, listedAs });
      }
    }
    for (const { d, listedAs } of picked) {
      const file = byId.get(d.id);
      if (!file || file.status !== 'ok') continue;
      const { reference, ...ref } = align(file, settings.reference);
      const { reference: _same, ...cand } = align(file, c.name);
      out.push({
        variant: c.name,
        id: d.id,
        listedAs,
        words: d.referenceWords,
        deltaErrors: d.deltaErrors,
        deltaPp: round6(d.deltaPp),
        reference,
        hypotheses: [ref, cand],
      });
    }
  }
  return out;
}
