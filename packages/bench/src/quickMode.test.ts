import { describe, expect, it } from 'vitest';
import { quickMode } from './quickMode';

describe('quickMode', () => {
  it('is on with EOU_BENCH_QUICK=1 or true, or with --quick', () => {
    expect(quickMode({ EOU_BENCH_QUICK: '1' }, [])).toBe(true);
    expect(quickMode({ EOU_BENCH_QUICK: 'TRUE' }, [])).toBe(true);
    expect(quickMode({}, ['node', 'bench', '--quick'])).toBe(true);
  });
  it('is off otherwise', () => {
    expect(quickMode({}, ['node', 'bench'])).toBe(false);
    expect(quickMode({ EOU_BENCH_QUICK: '0' }, [])).toBe(false);
  });
});
