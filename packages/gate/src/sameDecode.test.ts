import { describe, expect, it } from 'vitest';
import type { DecodedFile, VariantDecode } from './fileDecoder';
import { sameDecodes } from './sameDecode';

const decode = (over: Partial<VariantDecode> = {}): VariantDecode => ({
  tokens: [3, 7, 1024],
  text: 'a b',
  eouFrames: [9],
  tokenFrames: [2, 5, 9],
  decodeMs: 1.5,
  steps: 14,
  ...over,
});
const file = (lean: VariantDecode, cached = decode()): DecodedFile => ({
  ok: true,
  frames: 12,
  variants: { cached, lean },
});

describe(sameDecodes, () => {
  it('takes decodes that differ only in time as the same', () => {
    expect(sameDecodes('lean', [file(decode())], [file(decode({ decodeMs: 9 }))])).toBe(true);
  });

  it.each<[string, Partial<VariantDecode>]>([
    ['tokens', { tokens: [3, 8, 1024] }],
    ['token frames (same tokens, one emitted a frame later)', { tokenFrames: [2, 6, 9] }],
    ['EOU frames', { eouFrames: [10] }],
    ['steps', { steps: 15 }],
  ])('tells decodes apart by %s', (_what, over) => {
    expect(sameDecodes('lean', [file(decode()), file(decode())], [file(decode()), file(decode(over))])).toBe(
      false,
    );
  });

  it('looks at the variant asked for only', () => {
    expect(sameDecodes('lean', [file(decode(), decode({ steps: 1 }))], [file(decode())])).toBe(true);
  });

  it('takes two undecodable files as the same, one undecodable and one decoded as different', () => {
    const bad: DecodedFile = { ok: false, reason: 'x.npy: truncated' };
    expect(sameDecodes('lean', [bad], [{ ok: false, reason: 'other words' }])).toBe(true);
    expect(sameDecodes('lean', [bad], [file(decode())])).toBe(false);
  });
});
