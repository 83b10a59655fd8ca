/**
 * Sample-rate conversion with libsamplerate (Erik de Castro Lopo's band-limited sinc converter,
 * `@alexanderolsen/libsamplerate-js`: WebAssembly embedded in the package, nothing downloaded).
 * The output has `round(n * to / from)` samples, zero-padded or cut by at most a few samples from
 * what the converter returns, so lengths (and so durations) are predictable.
 */

/** Converter quality: libsamplerate's `SRC_SINC_BEST_QUALITY`, `_MEDIUM_QUALITY`, `_FASTEST`. */
export type ResampleQuality = 'best' | 'medium' | 'fastest';

/** Every {@link ResampleQuality}. */
export const resampleQualities: readonly ResampleQuality[] = ['best', 'medium', 'fastest'];

/** Default converter: 121 dB SNR over 90 % of the band, about twice as fast as `best`. */
export const defaultResampleQuality: ResampleQuality = 'medium';

const converterOf: Record<ResampleQuality, number> = { best: 0, medium: 1, fastest: 2 };

/** Describes a converter for provenance records, e.g. `libsamplerate sinc-medium 8000->16000`. */
export function resamplerName(quality: ResampleQuality, from: number, to: number): string {
  return `libsamplerate sinc-${quality} ${from}->${to}`;
}

/**
 * Resamples mono float32 audio.
 * @throws RangeError for a non-positive rate or an unknown quality
 */
export async function resample(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  quality: ResampleQuality = defaultResampleQuality,
): Promise<Float32Array> {
  for (const [name, rate] of [
    ['fromRate', fromRate],
    ['toRate', toRate],
  ] as const) {
    if (!Number.isInteger(rate) || rate < 1 || rate > 768_000)
      throw new RangeError(`${name} must be an integer sample rate in 1..768000, got ${String(rate)}`);
  }
  if (!(quality in converterOf))
    throw new RangeError(`quality must be one of ${resampleQualities.join(', ')}, got ${String(quality)}`);
  if (fromRate === toRate) return samples.slice();
  const expected = Math.round((samples.length * toRate) / fromRate);
  if (samples.length === 0) return new Float32Array(0);
  const lib = await import('@alexanderolsen/libsamplerate-js');
  const create = lib.create ?? (lib as unknown as { default: typeof lib }).default.create;
  const src = await create(1, fromRate, toRate, { converterType: converterOf[quality] as 0 });
  try {
    const out = src.simple(samples);
    if (out.length === expected) return out.slice();
    const fitted = new Float32Array(expected);
    fitted.set(out.subarray(0, Math.min(expected, out.length)));
    return fitted;
  } finally {
    src.destroy();
  }
}
