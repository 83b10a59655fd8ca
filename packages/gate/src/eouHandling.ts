/**
 * What ends utterances in a gate run, in a few words for one-line summaries. The EOU policy
 * (`stop-chunk`, `reset`) acts only on a model's `<EOU>` token, so for a model without one (the
 * sherpa-onnx zipformer) "EOU stop-chunk" was untrue: its utterances end by the endpoint rules when
 * the report replays them, and by nothing the decoder does otherwise.
 */
import type { GateReport } from './gateReport';

/**
 * `EOU <policy>` for a model with an `<EOU>` token (or a report that does not say), else what applies
 * instead.
 * @param report its `corpus` (policy, `eouId`) and `eou` section (the replayed detector)
 */
export function eouHandling(report: Pick<GateReport, 'corpus' | 'eou'>): string {
  if (report.corpus.eouId !== null) return `EOU ${report.corpus.eouPolicy}`;
  return report.eou?.detectorSpec.kind === 'endpoint'
    ? 'no EOU token: endpoint rules end utterances'
    : 'no EOU token: the EOU policy has no effect';
}
