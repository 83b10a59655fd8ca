/**
 * Decodes groups of cached-frames files with every variant of a run, the batched variants in lock
 * step (`decodeRefill`: B rows share each model call, a row takes the next file as its file ends)
 * from a directory of batch-capable graphs, the others one file at a time from the model directory.
 * Used on the main thread and inside decode workers, like {@link createFileDecoder}. Only whole-file
 * decoding is batched (no chunk layout, no reset on EOU): the caller checks that.
 */
import {
  decodeRefill,
  decodeUtterance,
  detokenize,
  loadModelDirectory,
  type BatchUtterance,
  type LoadedModel,
} from '@eou/rnnt-decode';
import {
  loadOptions,
  nodeModelIO,
  type DecodedFile,
  type FileDecoderInit,
  type VariantDecode,
} from './fileDecoder';
import { readFramesFile } from './framesFile';
import { executionVariant } from './variantFiles';

/** Which variants run batched, from where, on how many rows. */
export interface BatchPlan {
  /** The directory of batch-capable graphs (see `@eou/fusion`'s `writeBatchedModelDirectory`). */
  readonly modelDir: string;
  /** Rows decoded in lock step (B). */
  readonly rows: number;
  /** Execution variants (`executionVariant`) decoded in lock step; the others run one file at a time. */
  readonly variants: readonly string[];
}

/** What a {@link BatchFileDecoder} loads: a single-file decoder's model and variants, and the plan. */
export interface BatchFileDecoderInit extends Pick<
  FileDecoderInit,
  'modelDir' | 'variants' | 'eouPolicy' | 'modelJson' | 'declaredVariants'
> {
  readonly batch: BatchPlan;
}

/** Decodes groups of files; `close` releases the sessions. */
export interface BatchFileDecoder {
  /** Decodes each `.npy` of `framesPaths` with every variant; results in the same order. */
  decodeFiles(framesPaths: readonly string[]): Promise<DecodedFile[]>;
  close(): Promise<void>;
}

function toDecode(m: LoadedModel, tokens: Int32Array, r: ResultLike, decodeMs: number): VariantDecode {
  return {
    tokens: Array.from(tokens),
    text: detokenize(tokens, m.vocab, m.decodeConfig),
    eouFrames: Array.from(r.eouFrames),
    tokenFrames: Array.from(r.frames),
    decodeMs,
    steps: r.steps,
  };
}

/** What a file that cannot be read decodes as in lock step: nothing (its result is its reason). */
const empty: BatchUtterance = { frames: new Float32Array(0), frameCount: 0 };

interface ResultLike {
  readonly frames: Int32Array;
  readonly eouFrames: Int32Array;
  readonly steps: number;
}

/**
 * Loads every execution variant once: batched ones from `init.batch.modelDir` (they must be
 * batch-capable there), the others from `init.modelDir`.
 * @throws the loading errors of `@eou/rnnt-decode` and `@eou/onnx-runtime`; a RangeError when a
 *   batched variant's graphs take a single row
 */
export async function createBatchFileDecoder(init: BatchFileDecoderInit): Promise<BatchFileDecoder> {
  const batched = new Set(init.batch.variants);
  const loaded = new Map<string, LoadedModel>();
  try {
    for (const variant of init.variants) {
      const exec = executionVariant(variant);
      if (loaded.has(exec)) continue;
      const dir = batched.has(exec) ? init.batch.modelDir : init.modelDir;
      // Lock step runs the eou layout only (runGate decodes other layouts one file at a time); the
      // others load as the single-file decoder loads them (declared variants, the description).
      const m = await loadModelDirectory(
        dir,
        exec,
        nodeModelIO,
        batched.has(exec) ? { decode: { eouPolicy: init.eouPolicy } } : loadOptions(init),
      );
      loaded.set(exec, m);
      if (batched.has(exec) && m.model.maxBatch < 2)
        throw new RangeError(`${dir}: the '${exec}' graphs take one row; they cannot decode in lock step`);
    }
  } catch (error) {
    await Promise.allSettled([...loaded.values()].map((m) => m.close()));
    throw error;
  }
  const encoderDim = (loaded.values().next().value as LoadedModel).config.encoderDim;

  return {
    async decodeFiles(framesPaths) {
      // Frames are read as a row takes a file and dropped when it ends, once per execution variant
      // (a read is a small fraction of a decode): a group holds B files' frames, not all of them.
      const frameCounts: (number | undefined)[] = framesPaths.map(() => undefined);
      const reasons: (string | undefined)[] = framesPaths.map(() => undefined);
      const take = (at: number): BatchUtterance => {
        if (reasons[at] !== undefined) return empty;
        const path = framesPaths[at]!;
        const r = readFramesFile(path, encoderDim);
        const known = frameCounts[at];
        if (r.ok && (known === undefined || known === r.frameCount)) {
          frameCounts[at] = r.frameCount;
          return { frames: r.data, frameCount: r.frameCount };
        }
        reasons[at] = r.ok
          ? `${path}: changed during the run (${known} frames, then ${r.frameCount})`
          : r.reason;
        return empty;
      };
      const perFile: Record<string, VariantDecode>[] = framesPaths.map(() => ({}));
      const done = new Map<string, VariantDecode[]>();
      for (const variant of init.variants) {
        const exec = executionVariant(variant);
        let decodes = done.get(exec);
        if (decodes === undefined) {
          const m = loaded.get(exec)!;
          decodes = [];
          if (batched.has(exec)) {
            const result = await decodeRefill(m.model, { count: framesPaths.length, take }, m.decodeConfig, {
              rows: init.batch.rows,
            });
            for (const r of result.utterances) decodes.push(toDecode(m, r.tokens, r, r.decodeMs));
          } else {
            for (let at = 0; at < framesPaths.length; at++) {
              const u = take(at);
              const start = performance.now();
              const r = await decodeUtterance(m.model, u.frames, u.frameCount, m.decodeConfig);
              const ms = performance.now() - start;
              decodes.push(toDecode(m, r.tokens, { ...r, steps: r.stats.steps }, ms));
            }
          }
          done.set(exec, decodes);
        }
        decodes.forEach((d, at) => (perFile[at]![variant] = d));
      }
      return framesPaths.map((_, at) =>
        reasons[at] === undefined
          ? { ok: true, frames: frameCounts[at]!, variants: perFile[at]! }
          : { ok: false, reason: reasons[at] },
      );
    },
    async close() {
      await Promise.allSettled([...loaded.values()].map((m) => m.close()));
    },
  };
}
