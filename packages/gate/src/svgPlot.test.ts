import { describe, expect, it } from 'vitest';
import { boxPlot, escapeXml, histogramPlot, niceTicks, sortedProfilePlot } from './svgPlot';

const opts = { title: 'T <&>', xLabel: 'x', yLabel: 'y' };

describe('svgPlot', () => {
  it('picks round ticks covering the range', () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-3, 3)).toEqual([-2, 0, 2]);
    expect(niceTicks(0, 0.07)).toEqual([0, 0.02, 0.04, 0.06]);
  });

  it('escapes text so titles cannot break the markup', () => {
    expect(escapeXml(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&#39;');
    expect(sortedProfilePlot([{ name: 'lean', values: [0, 1, -2] }], opts)).toContain('T &lt;&amp;&gt;');
  });

  it('draws one polyline per series and one bar per non-empty bin', () => {
    const svg = sortedProfilePlot(
      [
        { name: 'a', values: [1, 2] },
        { name: 'b', values: [0] },
      ],
      opts,
    );
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    const hist = histogramPlot([{ name: 'a', values: [0, 0, 1] }], { ...opts, bins: 4 });
    expect(hist.match(/<rect [^>]*opacity="0.85"/g)).toHaveLength(2);
  });

  it('says so when there is nothing to plot instead of drawing garbage', () => {
    const hist = histogramPlot([{ name: 'a', values: [] }], opts);
    expect(hist).toContain('no flipped steps');
    expect(hist).not.toContain('NaN');
    expect(boxPlot([{ name: 'ref', values: [] }], opts)).not.toContain('NaN');
  });
});
