/**
 * Error rate against utterance length: files sorted by reference words and cut into bins of about
 * equal file counts (a length is never split between bins); per bin and variant the pooled WER
 * (summed errors / summed words), drawn at the bin's mean length. Shows whether a candidate's
 * errors come from long files (state drift) or short ones.
 */
import { escapeXml, frame, legend, type PlotOptions } from './svgPlot';

export interface LengthSeries {
  readonly name: string;
  readonly color: string;
  /** Per file, in the same order as `words`. */
  readonly errors: readonly number[];
}

export interface LengthBin {
  readonly files: number;
  readonly meanWords: number;
  readonly minWords: number;
  readonly maxWords: number;
  /** Pooled WER in % per series, in series order. */
  readonly werPct: readonly number[];
}

/** The bins of {@link errorRateByLengthPlot}; files without reference words are left out. */
export function lengthBins(
  words: readonly number[],
  series: readonly LengthSeries[],
  binCount = 8,
): LengthBin[] {
  const order = words
    .map((w, i) => ({ w, i }))
    .filter((f) => f.w > 0)
    .sort((a, b) => a.w - b.w || a.i - b.i);
  const target = Math.max(1, Math.ceil(order.length / binCount));
  const bins: LengthBin[] = [];
  for (let start = 0; start < order.length;) {
    let end = Math.min(order.length, start + target);
    while (end < order.length && order[end]!.w === order[end - 1]!.w) end++;
    const group = order.slice(start, end);
    const total = group.reduce((a, f) => a + f.w, 0);
    bins.push({
      files: group.length,
      meanWords: total / group.length,
      minWords: group[0]!.w,
      maxWords: group.at(-1)!.w,
      werPct: series.map((s) => (100 * group.reduce((a, f) => a + (s.errors[f.i] ?? 0), 0)) / total),
    });
    start = end;
  }
  return bins;
}

export function errorRateByLengthPlot(
  words: readonly number[],
  series: readonly LengthSeries[],
  options: PlotOptions & { readonly bins?: number },
): string {
  const bins = lengthBins(words, series, options.bins);
  const xs = bins.map((b) => b.meanWords);
  const ys = bins.flatMap((b) => b.werPct);
  const f = frame(options, [0, Math.max(1, ...xs) * 1.05], [0, Math.max(1, ...ys) * 1.1], true);
  if (bins.length === 0)
    return `${f.svgOpen}${f.axes}<text x="${(f.plotLeft + f.plotRight) / 2}" y="${(f.plotTop + f.plotBottom) / 2}" text-anchor="middle" font-size="13" fill="#6b7280">no file with reference words</text></svg>`;
  const lines = series.map((s, k) => {
    const pts = bins.map((b) => `${f.x(b.meanWords).toFixed(1)},${f.y(b.werPct[k]!).toFixed(1)}`);
    const marks = bins
      .map(
        (b) =>
          `<circle cx="${f.x(b.meanWords).toFixed(1)}" cy="${f.y(b.werPct[k]!).toFixed(1)}" r="3.5" fill="${s.color}"><title>${escapeXml(`${s.name}: ${b.werPct[k]!.toFixed(2)}% over ${b.files} files of ${b.minWords}-${b.maxWords} words`)}</title></circle>`,
      )
      .join('');
    return `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.join(' ')}"/>${marks}`;
  });
  return `${f.svgOpen}${f.axes}${lines.join('')}${legend(series, f.plotLeft + 8, f.plotTop + 12)}</svg>`;
}
