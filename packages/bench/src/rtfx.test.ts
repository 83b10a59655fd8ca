import { describe, expect, it } from 'vitest';
import { measureRtfx, rtfx } from './rtfx';

describe('rtfx', () => {
  it('gives per-file RTFx, their median, and total audio over total wall time', () => {
    const r = rtfx([
      { id: 'a', audioSeconds: 10, wallSeconds: 1 },
      { id: 'b', audioSeconds: 20, wallSeconds: 4 },
      { id: 'c', audioSeconds: 5, wallSeconds: 0.5 },
    ]);
    expect(r.files.map((f) => f.rtfx)).toEqual([10, 5, 10]);
    expect(r.medianPerFile).toBe(10);
    expect(r.total).toBeCloseTo(35 / 5.5, 12);
    expect(r).toMatchObject({ audioSeconds: 35, wallSeconds: 5.5, warmupExcluded: 0 });
  });

  it('BAD CALL - rejects an empty list and non-positive wall times', () => {
    expect(() => rtfx([])).toThrow('`entries` must hold at least one timed file, got none');
    expect(() => rtfx([{ audioSeconds: 1, wallSeconds: 0 }])).toThrow(
      '`entries[0].wallSeconds` must be a finite number > 0, got 0',
    );
  });
});

describe('measureRtfx', () => {
  it('decodes the warm-up items untimed first, then times every item', async () => {
    const seen: string[] = [];
    const items = [
      { id: 'x', audioSeconds: 2 },
      { id: 'y', audioSeconds: 3 },
      { id: 'z', audioSeconds: 4 },
    ];
    const r = await measureRtfx(
      items,
      async (item) => {
        seen.push(item.id);
        await new Promise((resolve) => setTimeout(resolve, 2));
      },
      { warmup: 2 },
    );
    expect(seen).toEqual(['x', 'y', 'x', 'y', 'z']);
    expect(r.files.map((f) => f.id)).toEqual(['x', 'y', 'z']);
    expect(r.warmupExcluded).toBe(2);
    expect(r.audioSeconds).toBe(9);
    for (const f of r.files) expect(f.wallSeconds).toBeGreaterThan(0.001);
    expect(r.total).toBeCloseTo(r.audioSeconds / r.wallSeconds, 12);
  });
});
