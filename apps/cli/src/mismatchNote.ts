/**
 * What `eou bench` prints next to a variant's output mismatches (rounds whose token differs from the
 * first exact variant's, else the first variant's), from how the variant relates to the reference (`VariantSpec.numerics` in
 * `@eou/rnnt-decode`'s registry). Every mismatch used to read "(fp16 ties)", the int8 variants' and
 * a user's own files' too; now a variant that must be exact gets WARNING and the others their reason.
 */
import type { VariantNumerics } from '@eou/rnnt-decode';

/** The reason shown after a non-zero count, by numerics (`exact` is a warning, not a reason). */
const REASONS = {
  exact: 'WARNING',
  rebuilt: '(rebuilt graph)',
  int8: '(int8-quantised weights)',
  fp16: '(fp16-stored weights)',
  declared: '(not required to match)',
} as const satisfies Record<VariantNumerics, string>;

/**
 * The mismatches cell: `0`, or the count and what it means for a variant of these numerics.
 * @example mismatchNote(3, 'int8') // '3 (int8-quantised weights)'
 */
export function mismatchNote(mismatches: number, numerics: VariantNumerics): string {
  return mismatches === 0 ? '0' : `${mismatches} ${REASONS[numerics]}`;
}
