/**
 * One colour per variant, the same in every plot of a report: a variant's colour is fixed by its
 * position in the report's variant list (the reference first), never by its position in one plot's
 * series, so `lean` is the same colour in the delta profile, the scatter and the timing boxes.
 */

/** Distinguishable on white and for the common colour-vision deficiencies (Okabe–Ito order, darkened). */
export const PALETTE: readonly string[] = [
  '#374151', // the reference: neutral grey
  '#d55e00', // vermillion
  '#0072b2', // blue
  '#009e73', // bluish green
  '#cc79a7', // reddish purple
  '#e69f00', // orange
  '#56b4e9', // sky blue
  '#8c6d1f', // ochre
];

/** `name -> colour` for the variants of a report, in report order (reference first). */
export function variantColors(variants: readonly string[]): Readonly<Record<string, string>> {
  return Object.fromEntries(variants.map((name, i) => [name, PALETTE[i % PALETTE.length]!]));
}
