/**
 * The batched gate's check of one variant: its lock-step decodes of the checked files against its
 * single-file decodes. Everything a results line takes from a decode is compared (tokens, text,
 * token frames, EOU frames, steps; not the time): equal tokens emitted at other frames would change
 * the EOU timing of the report, so tokens alone do not make a lock-step line the single-file line.
 */
import type { DecodedFile, VariantDecode } from './fileDecoder';

function decided(v: VariantDecode | undefined) {
  if (v === undefined) return undefined;
  const { tokens, text, tokenFrames, eouFrames, steps } = v;
  return { tokens, text, tokenFrames, eouFrames, steps };
}

/**
 * Whether `variant` decoded every file of `single` as in `lockStep` (same order): both undecodable,
 * or the same decisions.
 */
export function sameDecodes(
  variant: string,
  single: readonly DecodedFile[],
  lockStep: readonly DecodedFile[],
): boolean {
  return (
    single.length === lockStep.length &&
    single.every((x, i) => {
      const y = lockStep[i]!;
      if (!x.ok || !y.ok) return x.ok === y.ok;
      return JSON.stringify(decided(x.variants[variant])) === JSON.stringify(decided(y.variants[variant]));
    })
  );
}
