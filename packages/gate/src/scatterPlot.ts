/**
 * Per-file scatter of the reference variant's errors (x) against each candidate's (y): a point
 * above the diagonal is a file the candidate made worse. Files with the same pair of counts share
 * one circle whose area grows with their number, so ten thousand files stay readable.
 */
import { escapeXml, frame, legend, type PlotOptions } from './svgPlot';

export interface ScatterSeries {
  readonly name: string;
  readonly color: string;
  /** Per file: the reference variant's errors and this series' errors. */
  readonly points: readonly (readonly [number, number])[];
}

export function errorScatterPlot(series: readonly ScatterSeries[], options: PlotOptions): string {
  const all = series.flatMap((s) => s.points.flat());
  const hi = Math.max(1, ...all);
  // 5 % headroom, so a point at the largest count is not drawn on the frame.
  const top = hi * 1.05;
  const f = frame({ ...options, height: options.height ?? 360 }, [0, top], [0, top], true);
  const diagonal = `<line x1="${f.x(0).toFixed(1)}" y1="${f.y(0).toFixed(1)}" x2="${f.x(top).toFixed(1)}" y2="${f.y(top).toFixed(1)}" stroke="#111827" stroke-dasharray="3 3"/>`;
  const circles = series.map((s) => {
    const counts = new Map<string, number>();
    for (const [x, y] of s.points) counts.set(`${x},${y}`, (counts.get(`${x},${y}`) ?? 0) + 1);
    return [...counts]
      .map(([key, count]) => {
        const [x, y] = key.split(',').map(Number) as [number, number];
        const r = Math.min(14, 2.5 * Math.sqrt(count));
        return `<circle cx="${f.x(x).toFixed(1)}" cy="${f.y(y).toFixed(1)}" r="${r.toFixed(1)}" fill="${s.color}" fill-opacity="0.45" stroke="${s.color}"><title>${escapeXml(`${s.name}: ${count} file(s) with ${x} reference / ${y} candidate errors`)}</title></circle>`;
      })
      .join('');
  });
  const above = `<text x="${f.plotLeft + 8}" y="${f.plotTop + 12}" font-size="11" fill="#6b7280">above the line: more errors than the reference</text>`;
  return `${f.svgOpen}${f.axes}${diagonal}${circles.join('')}${above}${legend(series, f.plotRight - 150, f.plotBottom - 10 - 16 * (series.length - 1))}</svg>`;
}
