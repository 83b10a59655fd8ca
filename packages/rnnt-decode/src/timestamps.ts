/**
 * Timestamps follow the seed (FluidAudio `StreamingEouAsrManager`):
 * `(chunkIdx*validOut + t) * round(shift*1000 / (sampleRate*validOut))` ms. The streaming decoder
 * keeps the global frame index `chunkIdx*validOut + t`; this module gives the per-frame factor.
 */

/** One Parakeet encoder frame: 10 ms hop x 8 subsampling. */
export const defaultFrameMs = 80;

/**
 * The seed's milliseconds per global frame index: `round(shiftSamples*1000 / (sampleRate*validOutLen))`.
 * 40 for the 160 ms schedule (shift 1280, validOut 2), 80 for 320 ms (5120, 4) and 1280 ms (20480, 16).
 * @throws RangeError for a non-positive argument
 */
export function frameMsFor(shiftSamples: number, validOutLen: number, sampleRate = 16000): number {
  for (const [name, value] of [
    ['shiftSamples', shiftSamples],
    ['validOutLen', validOutLen],
    ['sampleRate', sampleRate],
  ] as const) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
    }
  }
  return Math.round((shiftSamples * 1000) / (sampleRate * validOutLen));
}
