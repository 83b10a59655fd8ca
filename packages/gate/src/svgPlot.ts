/**
 * Minimal SVG charts for the self-contained HTML report: no scripts, no external assets, so the
 * plots render in any browser (and in headless Chromium) exactly as written.
 */
import { PALETTE } from './palette';

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** The series' colour (default: the palette by position); the report gives each variant one. */
  readonly color?: string;
}

export interface PlotOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
}

const colorOf = (s: { readonly color?: string }, i: number): string =>
  s.color ?? PALETTE[i % PALETTE.length]!;

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Round "nice" tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0];
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function formatTick(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0)
    ? v.toExponential(1)
    : String(Number(v.toPrecision(4)));
}

export interface Frame {
  readonly svgOpen: string;
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
  readonly plotLeft: number;
  readonly plotRight: number;
  readonly plotTop: number;
  readonly plotBottom: number;
}

/** The axes, ticks, title and labels of a plot, and its coordinate maps. */
export function frame(
  options: PlotOptions,
  xDomain: [number, number],
  yDomain: [number, number],
  xTicks: boolean,
  integerY = false,
): Frame & { axes: string } {
  const width = options.width ?? 720;
  const height = options.height ?? 300;
  const plotLeft = 64;
  const plotRight = width - 16;
  const plotTop = 36;
  const plotBottom = height - 44;
  const [x0, x1] = xDomain[0] === xDomain[1] ? [xDomain[0] - 1, xDomain[1] + 1] : xDomain;
  const [y0, y1] = yDomain[0] === yDomain[1] ? [yDomain[0] - 1, yDomain[1] + 1] : yDomain;
  const x = (v: number) => plotLeft + ((v - x0) / (x1 - x0)) * (plotRight - plotLeft);
  const y = (v: number) => plotBottom - ((v - y0) / (y1 - y0)) * (plotBottom - plotTop);
  const parts: string[] = [];
  for (const t of niceTicks(y0, y1)) {
    if (t < y0 || t > y1 || (integerY && !Number.isInteger(t))) continue;
    parts.push(
      `<line x1="${plotLeft}" x2="${plotRight}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e7eb"/>`,
    );
    parts.push(
      `<text x="${plotLeft - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#374151">${formatTick(t)}</text>`,
    );
  }
  if (xTicks) {
    for (const t of niceTicks(x0, x1)) {
      if (t < x0 || t > x1) continue;
      parts.push(
        `<text x="${x(t).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle" font-size="11" fill="#374151">${formatTick(t)}</text>`,
      );
    }
  }
  parts.push(`<line x1="${plotLeft}" x2="${plotLeft}" y1="${plotTop}" y2="${plotBottom}" stroke="#6b7280"/>`);
  parts.push(
    `<line x1="${plotLeft}" x2="${plotRight}" y1="${plotBottom}" y2="${plotBottom}" stroke="#6b7280"/>`,
  );
  parts.push(
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600" fill="#111827">${escapeXml(options.title)}</text>`,
  );
  parts.push(
    `<text x="${(plotLeft + plotRight) / 2}" y="${height - 8}" text-anchor="middle" font-size="12" fill="#374151">${escapeXml(options.xLabel)}</text>`,
  );
  parts.push(
    `<text x="14" y="${(plotTop + plotBottom) / 2}" text-anchor="middle" font-size="12" fill="#374151" transform="rotate(-90 14 ${(plotTop + plotBottom) / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  const svgOpen = `<svg xmlns="http://www.w3.org/2000/svg" class="plot" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title)}">`;
  return { svgOpen, x, y, plotLeft, plotRight, plotTop, plotBottom, axes: parts.join('') };
}

/** One colour box and name per series. */
export function legend(
  series: readonly { readonly name: string; readonly color?: string }[],
  left: number,
  top: number,
): string {
  return series
    .map((s, i) => {
      const y = top + i * 16;
      return `<rect x="${left}" y="${y - 9}" width="10" height="10" fill="${colorOf(s, i)}"/><text x="${left + 14}" y="${y}" font-size="11" fill="#111827">${escapeXml(s.name)}</text>`;
    })
    .join('');
}

/** Each series' values sorted ascending and drawn as a step line over the rank: a per-file delta profile. */
export function sortedProfilePlot(series: readonly Series[], options: PlotOptions): string {
  const all = series.flatMap((s) => s.values);
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all);
  const f = frame(options, [0, n], [lo, hi], true);
  const lines = series.map((s, i) => {
    const sorted = [...s.values].sort((a, b) => a - b);
    const pts = sorted
      .map(
        (v, k) => `${f.x(k).toFixed(1)},${f.y(v).toFixed(1)} ${f.x(k + 1).toFixed(1)},${f.y(v).toFixed(1)}`,
      )
      .join(' ');
    return `<polyline fill="none" stroke="${colorOf(s, i)}" stroke-width="1.5" points="${pts}"/>`;
  });
  const zero = `<line x1="${f.plotLeft}" x2="${f.plotRight}" y1="${f.y(0).toFixed(1)}" y2="${f.y(0).toFixed(1)}" stroke="#111827" stroke-dasharray="3 3"/>`;
  return `${f.svgOpen}${f.axes}${zero}${lines.join('')}${legend(series, f.plotLeft + 8, f.plotTop + 12)}</svg>`;
}

/** Histogram of one or more series over shared bins. */
export function histogramPlot(series: readonly Series[], options: PlotOptions & { bins?: number }): string {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const binCount = options.bins ?? 20;
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const span = hi > lo ? hi - lo : 1;
  const counts = series.map((s) => {
    const c = new Array<number>(binCount).fill(0);
    for (const v of s.values)
      if (Number.isFinite(v)) c[Math.min(binCount - 1, Math.floor(((v - lo) / span) * binCount))]! += 1;
    return c;
  });
  const maxCount = Math.max(1, ...counts.flat());
  const f = frame(options, [lo, lo + span], [0, maxCount], true, true);
  const bars: string[] = [];
  const binWidth = (f.plotRight - f.plotLeft) / binCount;
  counts.forEach((c, si) => {
    const w = binWidth / Math.max(1, series.length);
    c.forEach((count, b) => {
      if (count === 0) return;
      const x = f.plotLeft + b * binWidth + si * w;
      bars.push(
        `<rect x="${x.toFixed(1)}" y="${f.y(count).toFixed(1)}" width="${Math.max(1, w - 1).toFixed(1)}" height="${(f.plotBottom - f.y(count)).toFixed(1)}" fill="${colorOf(series[si]!, si)}" opacity="0.85"/>`,
      );
    });
  });
  const empty =
    all.length === 0
      ? `<text x="${(f.plotLeft + f.plotRight) / 2}" y="${(f.plotTop + f.plotBottom) / 2}" text-anchor="middle" font-size="13" fill="#6b7280">no flipped steps</text>`
      : '';
  return `${f.svgOpen}${f.axes}${bars.join('')}${empty}${legend(series, f.plotRight - 150, f.plotTop + 12)}</svg>`;
}

/** One box per series: whiskers p10-p90, box p25-p75, a bar at the median. */
export function boxPlot(series: readonly Series[], options: PlotOptions): string {
  const q = (sorted: number[], p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))]! : 0;
  const stats = series.map((s) => {
    const sorted = [...s.values].sort((a, b) => a - b);
    return {
      p10: q(sorted, 0.1),
      p25: q(sorted, 0.25),
      p50: q(sorted, 0.5),
      p75: q(sorted, 0.75),
      p90: q(sorted, 0.9),
    };
  });
  const hi = Math.max(1e-9, ...stats.map((s) => s.p90));
  const f = frame(options, [0, series.length], [0, hi * 1.1], false);
  const slot = (f.plotRight - f.plotLeft) / Math.max(1, series.length);
  const parts = stats.map((s, i) => {
    const cx = f.plotLeft + slot * (i + 0.5);
    const w = Math.min(60, slot * 0.5);
    const color = colorOf(series[i]!, i);
    return [
      `<line x1="${cx}" x2="${cx}" y1="${f.y(s.p10).toFixed(1)}" y2="${f.y(s.p90).toFixed(1)}" stroke="${color}"/>`,
      `<rect x="${(cx - w / 2).toFixed(1)}" y="${f.y(s.p75).toFixed(1)}" width="${w.toFixed(1)}" height="${Math.max(1, f.y(s.p25) - f.y(s.p75)).toFixed(1)}" fill="${color}" opacity="0.35" stroke="${color}"/>`,
      `<line x1="${(cx - w / 2).toFixed(1)}" x2="${(cx + w / 2).toFixed(1)}" y1="${f.y(s.p50).toFixed(1)}" y2="${f.y(s.p50).toFixed(1)}" stroke="${color}" stroke-width="2.5"/>`,
      `<text x="${cx}" y="${f.plotBottom + 16}" text-anchor="middle" font-size="11" fill="#111827">${escapeXml(series[i]!.name)}</text>`,
    ].join('');
  });
  return `${f.svgOpen}${f.axes}${parts.join('')}</svg>`;
}
