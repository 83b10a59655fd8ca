import { describe, expect, it } from 'vitest';
import { errorRateByLengthPlot, lengthBins } from './lengthPlot';
import { variantColors } from './palette';
import { errorScatterPlot } from './scatterPlot';

const opts = { title: 't', xLabel: 'x', yLabel: 'y' };

describe('report plots', () => {
  it('bins files by length with about equal counts, never splitting a length, and pools the WER', () => {
    const words = [1, 2, 2, 3, 4, 5, 6, 10, 0];
    const errors = [1, 0, 2, 3, 0, 0, 0, 5, 2];
    const bins = lengthBins(words, [{ name: 'a', color: '#000', errors }], 3);
    expect(bins.map((b) => [b.minWords, b.maxWords, b.files])).toEqual([
      [1, 2, 3],
      [3, 5, 3],
      [6, 10, 2],
    ]);
    // Pooled: (1 + 0 + 2) / (1 + 2 + 2); the empty-reference file is left out.
    expect(bins[0]!.werPct[0]).toBeCloseTo(60, 10);
    expect(bins.reduce((a, b) => a + b.files, 0)).toBe(8);
  });

  it('draws one circle per distinct (reference, candidate) error pair, sized by its count', () => {
    const svg = errorScatterPlot(
      [
        {
          name: 'lean',
          color: '#d55e00',
          points: [
            [0, 0],
            [0, 0],
            [0, 0],
            [0, 0],
            [1, 3],
          ],
        },
      ],
      opts,
    );
    const circles = svg.match(/<circle [^>]*r="([\d.]+)"/g)!;
    expect(circles).toHaveLength(2);
    expect(svg).toContain('4 file(s) with 0 reference / 0 candidate errors');
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it('gives each variant a fixed colour by its place in the report', () => {
    const c = variantColors(['ref', 'lean', 'lean-topk']);
    expect(new Set(Object.values(c)).size).toBe(3);
    expect(variantColors(['ref', 'lean']).lean).toBe(c.lean);
  });

  it('says so instead of drawing garbage when no file has words', () => {
    const svg = errorRateByLengthPlot([0], [{ name: 'a', color: '#000', errors: [1] }], opts);
    expect(svg).toContain('no file with reference words');
    expect(svg).not.toContain('NaN');
  });
});
