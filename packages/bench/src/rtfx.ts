import { median } from './stats';

/** One timed file: how much audio it holds and how long decoding it took. */
export interface RtfxEntry {
  readonly id?: string;
  readonly audioSeconds: number;
  readonly wallSeconds: number;
}

/** Real-time factors of a set of files. */
export interface RtfxSummary {
  /** Every timed file with its own RTFx = audioSeconds / wallSeconds. */
  readonly files: (RtfxEntry & { readonly rtfx: number })[];
  /** Median of the per-file RTFx (the seed's end-to-end figure). */
  readonly medianPerFile: number;
  /** Σ audio seconds / Σ wall seconds (the Open ASR leaderboard's figure). */
  readonly total: number;
  readonly audioSeconds: number;
  readonly wallSeconds: number;
  /** Untimed warm-up passes that preceded the timed ones (0 when unknown). */
  readonly warmupExcluded: number;
}

/**
 * RTFx (inverse real-time factor) = audio seconds / wall seconds: 100 means a second of audio takes
 * 10 ms. Pass only timed entries: warm-up passes are excluded by the caller (or by
 * {@link measureRtfx}). Reports both the median per-file RTFx and the total ratio.
 *
 * @throws RangeError when `entries` is empty or an entry has a non-positive or non-finite time.
 */
export function rtfx(entries: readonly RtfxEntry[], options: { warmupExcluded?: number } = {}): RtfxSummary {
  if (entries.length === 0) throw new RangeError('`entries` must hold at least one timed file, got none');
  let audio = 0;
  let wall = 0;
  const files = entries.map((e, i) => {
    if (!(e.audioSeconds >= 0 && Number.isFinite(e.audioSeconds)))
      throw new RangeError(
        `\`entries[${i}].audioSeconds\` must be a finite number >= 0, got ${e.audioSeconds}`,
      );
    if (!(e.wallSeconds > 0 && Number.isFinite(e.wallSeconds)))
      throw new RangeError(`\`entries[${i}].wallSeconds\` must be a finite number > 0, got ${e.wallSeconds}`);
    audio += e.audioSeconds;
    wall += e.wallSeconds;
    return { ...e, rtfx: e.audioSeconds / e.wallSeconds };
  });
  return {
    files,
    medianPerFile: median(files.map((f) => f.rtfx)),
    total: audio / wall,
    audioSeconds: audio,
    wallSeconds: wall,
    warmupExcluded: options.warmupExcluded ?? 0,
  };
}

/** A file to decode in {@link measureRtfx}. */
export interface RtfxItem {
  readonly id?: string;
  readonly audioSeconds: number;
}

/**
 * Times `decode` over every item and returns {@link rtfx}. First, the first `warmup` items
 * (default 1) are decoded untimed; they are decoded again, timed, in the main pass, as the Open ASR
 * leaderboard does with its warm-up batches.
 */
export async function measureRtfx<T extends RtfxItem>(
  items: readonly T[],
  decode: (item: T) => unknown,
  options: { warmup?: number } = {},
): Promise<RtfxSummary> {
  const warmup = Math.min(options.warmup ?? 1, items.length);
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new RangeError(`\`options.warmup\` must be an integer >= 0, got ${options.warmup}`);
  for (let i = 0; i < warmup; i++) await decode(items[i] as T);
  const timed: RtfxEntry[] = [];
  for (const item of items) {
    const t0 = process.hrtime.bigint();
    await decode(item);
    const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    timed.push({
      ...(item.id === undefined ? {} : { id: item.id }),
      audioSeconds: item.audioSeconds,
      wallSeconds,
    });
  }
  return rtfx(timed, { warmupExcluded: warmup });
}
