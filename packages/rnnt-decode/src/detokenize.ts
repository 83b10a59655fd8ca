/**
 * Token ids to text, as the seed's tokenizer does: concatenate the pieces, turn each `▁` (U+2581)
 * into a space, trim. Unknown ids are skipped; EOU, blank and `dropFromText` ids are never rendered.
 */
import type { Vocab } from './vocab';

/** Which ids {@link detokenize} leaves out (a {@link DecodeConfig} fits). */
export interface DetokenizeOptions {
  readonly eouId?: number | undefined;
  readonly blankId?: number | undefined;
  readonly dropFromText?: readonly number[] | undefined;
}

/**
 * Renders token ids as text.
 * @param tokens emitted ids, in order
 * @param vocab id -> piece
 * @param options ids to leave out (EOU, blank and `dropFromText`)
 */
export function detokenize(tokens: ArrayLike<number>, vocab: Vocab, options: DetokenizeOptions = {}): string {
  const skip = new Set<number>(options.dropFromText ?? []);
  if (options.eouId !== undefined) skip.add(options.eouId);
  if (options.blankId !== undefined) skip.add(options.blankId);
  let text = '';
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    if (skip.has(id)) continue;
    const piece = vocab.get(id);
    if (piece !== undefined) text += piece;
  }
  return text.replace(/\u2581/g, ' ').trim();
}
