import { decodeVariants, sherpaOnnxVariants } from '@eou/rnnt-decode';
import { describe, expect, it } from 'vitest';
import { mismatchNote } from './mismatchNote';

describe(mismatchNote, () => {
  it('prints 0 for no mismatch, whatever the variant', () => {
    expect(mismatchNote(0, 'exact')).toBe('0');
    expect(mismatchNote(0, 'int8')).toBe('0');
  });

  it('warns for a variant that must be exact, and gives the others their reason', () => {
    const note = (n: number, spec: { numerics: Parameters<typeof mismatchNote>[1] }) =>
      mismatchNote(n, spec.numerics);
    expect(note(2, decodeVariants.pipeline)).toBe('2 WARNING');
    expect(note(2, decodeVariants.cached)).toBe('2 WARNING');
    expect(note(2, sherpaOnnxVariants.ref)).toBe('2 WARNING');
    expect(note(3, decodeVariants.int8)).toBe('3 (int8-quantised weights)');
    for (const name of ['int8-decoder', 'int8-joiner', 'int8-both'] as const)
      expect(note(1, sherpaOnnxVariants[name])).toBe('1 (int8-quantised weights)');
    expect(note(4, decodeVariants.fp16)).toBe('4 (fp16-stored weights)');
    for (const name of ['lean', 'lean-topk', 'projected'] as const)
      expect(note(5, decodeVariants[name])).toBe('5 (rebuilt graph)');
    expect(mismatchNote(6, 'declared')).toBe('6 (not required to match)');
  });
});
