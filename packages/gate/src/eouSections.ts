/** The end-of-utterance and schedule sections of the Markdown and HTML reports (tables and a histogram). */
import type { GateReport } from './gateReport';
import { histogramPlot } from './svgPlot';

/** One report table (the shape `renderReport` lays out). */
export interface EouSection {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly note?: string;
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(Math.round(v)));
const signed = (v: number | null | undefined, unit: string) =>
  v === null || v === undefined
    ? '—'
    : `${v >= 0 ? '+' : ''}${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
const pct = (fraction: number) => `${(100 * fraction).toFixed(1)}%`;

/** The EOU sections of a report (none when the corpus has no end of speech). */
export function eouSections(report: GateReport): EouSection[] {
  const eou = report.eou;
  const out: EouSection[] = [];
  if (report.schedule !== undefined)
    out.push({
      title: 'Chunk schedule',
      header: ['what', 'value'],
      rows: Object.entries(report.schedule).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    });
  if (eou === undefined) return out;
  const source = [
    eou.endOfSpeech.manifest ? `${eou.endOfSpeech.manifest} file(s) from the manifest` : '',
    eou.endOfSpeech.vad ? `${eou.endOfSpeech.vad} from the VAD` : '',
    eou.endOfSpeech.none ? `${eou.endOfSpeech.none} without an end of speech (not timed)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  out.push({
    title: 'End of utterance',
    header: [
      'variant',
      'latency p50 / p90 / p99 ms',
      'mean ms',
      'early cuts',
      'missed',
      'signal p50 / p90 ms',
      'Δ p50 / p90 / p99 vs ref',
      'paired Δ mean / p90 (moved)',
      'Δ early / missed',
    ],
    rows: eou.variants.map((v, i) => [
      v.variant,
      v.latencyMs === null ? '—' : `${ms(v.latencyMs.p50)} / ${ms(v.latencyMs.p90)} / ${ms(v.latencyMs.p99)}`,
      ms(v.latencyMs?.mean),
      `${v.earlyCuts}/${v.utterances} (${pct(v.earlyCutRate)})`,
      `${v.missed}/${v.utterances} (${pct(v.missedRate)})`,
      v.signalLatencyMs === null ? '—' : `${ms(v.signalLatencyMs.p50)} / ${ms(v.signalLatencyMs.p90)}`,
      i === 0
        ? '—'
        : `${signed(v.vsReference.p50DeltaMs, 'ms')} / ${signed(v.vsReference.p90DeltaMs, 'ms')} / ${signed(v.vsReference.p99DeltaMs, 'ms')}`,
      i === 0
        ? '—'
        : `${signed(v.vsReference.paired.meanDeltaMs, 'ms')} / ${signed(v.vsReference.paired.p90DeltaMs, 'ms')} (${v.vsReference.paired.changed}/${v.vsReference.paired.utterances})`,
      i === 0
        ? '—'
        : `${signed(v.vsReference.earlyCutRateDeltaPp, 'pp')} / ${signed(v.vsReference.missedRateDeltaPp, 'pp')}`,
    ]),
    note: `Detector: ${eou.detector}; ${eou.resetOnEndOfUtterance ? 'the decoder is reset on each confirmed EOU' : 'the decoder state is kept across EOUs (as the seed host)'}; after each file the detector listens on for ${eou.listenMs} ms of assumed silence. End of speech: ${source}. Chunks: ${Object.entries(
      eou.chunking,
    )
      .map(([k, n]) => `${k} (${n} files)`)
      .join(', ')}. ${eou.definitions}`,
  });
  if (eou.multiUtteranceStreams > 0)
    out.push({
      title: 'Multi-utterance streams (decoding must go on after each EOU)',
      header: [
        'variant',
        'streams',
        'utterances',
        'without words',
        'without an EOU',
        'stopped after first EOU',
      ],
      rows: eou.variants.map((v) => [
        v.variant,
        String(v.multiUtterance.streams),
        String(v.multiUtterance.utterances),
        String(v.multiUtterance.utterancesWithoutWords),
        String(v.multiUtterance.utterancesWithoutEou),
        v.multiUtterance.streamsStoppedAfterEou ? `**${v.multiUtterance.streamsStoppedAfterEou}**` : '0',
      ]),
      note: 'An utterance gets its words when a token is timed between its start and the next utterance; a stream stopped after its first EOU when an utterance starts after it and no token follows.',
    });
  return out;
}

/** The EOU latency histogram of the HTML report (none without EOU figures). */
export function eouPlots(report: GateReport): string[] {
  if (report.eou === undefined) return [];
  return [
    histogramPlot(
      report.eou.variants.map((v) => ({ name: v.variant, values: v.latencies })),
      {
        title: 'EOU latency after the end of speech',
        xLabel: 'ms of audio',
        yLabel: 'utterances',
      },
    ),
  ];
}
