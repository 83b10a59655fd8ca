/** How many feature frames a whole signal gives (what `computeFeatures` returns for it). */
import type { FeatureConfig } from './featureConfig';
import { geometryOf } from './frameKernels';
import { describeValue } from './frontendError';

/**
 * Feature frames of a finished signal of `samples` samples: `1 + (n + nFft - winLength) // hop` for
 * the NeMo mel, Kaldi's count for the fbank.
 * @throws RangeError for a negative or fractional count
 */
export function featureFrameCount(config: FeatureConfig, samples: number): number {
  if (!Number.isSafeInteger(samples) || samples < 0)
    throw new RangeError(`samples must be an integer >= 0, got ${describeValue(samples)}`);
  return geometryOf(config).frameCount(samples);
}
