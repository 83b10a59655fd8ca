/**
 * Decodes one cached-frames file with every requested variant. Used on the main thread (one
 * worker, and tests) and inside each decode worker thread, so both paths run the same code.
 *
 * `ref` and `cached` share files and decisions: the prediction net only changes state on an
 * emission, so caching its output is provably identical for a deterministic session (and
 * @eou/rnnt-decode's property tests check it). The gate therefore decodes `ref` with the cache
 * policy and reuses the result for `cached`; the report says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import {
  createStreamingDecoder,
  decodeUtterance,
  detokenize,
  loadModelDirectory,
  type EouPolicy,
  type LoadedModel,
  type LoadModelOptions,
  type ModelDirectoryIO,
  type ModelLayout,
  type VariantSpec,
} from '@eou/rnnt-decode';
import { defaultChunkLayout, expandLayout, layoutFrames, type ChunkLayout } from './chunkLayout';
import { createEouDetector, type EouDetectorSpec } from './eouDetectorSpec';
import { readFramesFile } from './framesFile';
import { executionVariant } from './variantFiles';

/** What a {@link FileDecoder} loads. */
export interface FileDecoderInit {
  readonly modelDir: string;
  /** Variant names in report order; the first is the reference. */
  readonly variants: readonly string[];
  readonly eouPolicy: EouPolicy;
  /**
   * Reset the decoder when this detector confirms an end of utterance, as a host that starts each
   * utterance afresh does (sherpa-onnx after an endpoint); needs each file's chunking.
   */
  readonly resetOnEndOfUtterance?: EouDetectorSpec;
  /**
   * `model.json` (read or derived), to derive the model's chunking for files that record none (see
   * `defaultChunkLayout`), and given to the loader as the directory's description.
   */
  readonly modelJson?: Readonly<Record<string, unknown>>;
  /** Variants a user declared by file (plain data, so it crosses to worker threads). */
  readonly declaredVariants?: readonly VariantSpec<string>[];
}

/** One variant's decode of one file. */
export interface VariantDecode {
  readonly tokens: number[];
  readonly text: string;
  readonly eouFrames: number[];
  /** Frame of each entry of `tokens`. */
  readonly tokenFrames: number[];
  readonly decodeMs: number;
  readonly steps: number;
}

/** A file's decode by every variant, or why it could not be decoded. */
export type DecodedFile =
  | { readonly ok: true; readonly frames: number; readonly variants: Record<string, VariantDecode> }
  | { readonly ok: false; readonly reason: string };

/** Decodes files of cached frames with every variant of a run; `close` releases the sessions. */
export interface FileDecoder {
  /**
   * Decodes one `.npy`: in one chunk, or in the stream's chunks when `layout` gives them (they must
   * cover the file's frames; the `stop-chunk` policy skips the rest of a chunk).
   */
  decodeFile(framesPath: string, layout?: ChunkLayout, durationSec?: number): Promise<DecodedFile>;
  close(): Promise<void>;
}

/** Model directory IO on Node and ONNX Runtime, one thread per session. */
export const nodeModelIO: ModelDirectoryIO = {
  readText: (p) => fs.readFileSync(p, 'utf8'),
  exists: (p) => fs.existsSync(p),
  // One intra-op thread per session: workers provide the parallelism, and single-threaded
  // kernels keep results identical however many workers run.
  openSession: (p) => openOnnxSession(p, { intraOpNumThreads: 1, interOpNumThreads: 1 }),
};

/** The model's layout, from the description the run gives its decoders (default eou). */
export function layoutOf(init: Pick<FileDecoderInit, 'modelJson'>): ModelLayout {
  return init.modelJson?.['layout'] === 'sherpa-onnx' ? 'sherpa-onnx' : 'eou';
}

/** What `loadModelDirectory` takes for a run's decoders: the description, declarations, EOU policy. */
export function loadOptions(init: FileDecoderInit): LoadModelOptions {
  return {
    decode: { eouPolicy: init.eouPolicy },
    // The description the run read or derived (a sherpa-onnx directory has no model.json to read).
    ...(init.modelJson === undefined
      ? {}
      : { description: { json: init.modelJson, file: path.join(init.modelDir, 'model.json') } }),
    ...(init.declaredVariants === undefined ? {} : { declaredVariants: init.declaredVariants }),
  };
}

/**
 * Loads every variant of `init` once (`ref` and `cached` share one model) and returns a decoder of
 * `.npy` files. A file that cannot be read, has the wrong width or non-finite values is a
 * `{ ok: false, reason }` result, never a throw.
 * @throws the loading errors of `@eou/rnnt-decode` (`RnntDecodeError`) and `@eou/onnx-runtime`.
 */
export async function createFileDecoder(init: FileDecoderInit): Promise<FileDecoder> {
  const loaded = new Map<string, LoadedModel>();
  try {
    for (const variant of init.variants) {
      const exec = executionVariant(variant, layoutOf(init));
      if (!loaded.has(exec)) {
        loaded.set(exec, await loadModelDirectory(init.modelDir, exec, nodeModelIO, loadOptions(init)));
      }
    }
  } catch (error) {
    await Promise.allSettled([...loaded.values()].map((m) => m.close()));
    throw error;
  }
  const first = loaded.values().next().value as LoadedModel;
  const encoderDim = first.config.encoderDim;

  return {
    async decodeFile(framesPath, given, durationSec) {
      const read = readFramesFile(framesPath, encoderDim);
      if (!read.ok) return read;
      const { data, frameCount } = read;
      // Resetting on EOU needs chunks: the file's own, else the model's schedule.
      const layout =
        given ??
        (init.resetOnEndOfUtterance === undefined
          ? undefined
          : defaultChunkLayout(init.modelJson ?? {}, first.config, frameCount, durationSec));
      if (layout !== undefined) {
        const covered = layoutFrames(layout);
        if (covered !== frameCount)
          return {
            ok: false,
            reason: `${framesPath}: the manifest's chunking covers ${covered} frames, the file holds ${frameCount}`,
          };
      }
      const done = new Map<string, VariantDecode>();
      const variants: Record<string, VariantDecode> = {};
      for (const variant of init.variants) {
        const exec = executionVariant(variant, layoutOf(init));
        let result = done.get(exec);
        if (!result) {
          const m = loaded.get(exec)!;
          const start = performance.now();
          const r =
            layout === undefined
              ? await decodeUtterance(m.model, data, frameCount, m.decodeConfig)
              : await decodeInChunks(m, data, layout, init.resetOnEndOfUtterance);
          const decodeMs = performance.now() - start;
          const tokens = Array.from(r.tokens);
          result = {
            tokens,
            text: detokenize(r.tokens, m.vocab, m.decodeConfig),
            eouFrames: Array.from(r.eouFrames),
            tokenFrames: Array.from(r.frames),
            decodeMs,
            steps: r.stats.steps,
          };
          done.set(exec, result);
        }
        variants[variant] = result;
      }
      return { ok: true, frames: frameCount, variants };
    },
    async close() {
      await Promise.allSettled([...loaded.values()].map((m) => m.close()));
    },
  };
}

/**
 * The streaming decode of cached frames in the stream's chunks (state carried), as one utterance
 * result; with `resetOn`, the detector runs chunk by chunk as in the transcriber and a confirmed end
 * of utterance resets the decoder before the next chunk.
 */
async function decodeInChunks(
  m: LoadedModel,
  data: Float32Array,
  layout: ChunkLayout,
  resetOn: EouDetectorSpec | undefined,
): Promise<{ tokens: Int32Array; frames: Int32Array; eouFrames: Int32Array; stats: { steps: number } }> {
  const decoder = createStreamingDecoder(m.model, m.decodeConfig);
  const detector = resetOn === undefined ? undefined : createEouDetector(resetOn);
  const eouId = decoder.config.eouId;
  const E = m.model.encoderDim;
  const tokens: number[] = [];
  const frames: number[] = [];
  const eouFrames: number[] = [];
  let at = 0;
  let total = 0;
  let steps = 0;
  for (const chunk of expandLayout(layout)) {
    const n = chunk.frames;
    total += chunk.advanceSamples;
    if (n === 0) continue;
    const r = await decoder.decodeChunk(data.subarray(at * E, (at + n) * E), n);
    // Chunk-local frames plus this file's offset: a reset decoder counts from 0 again.
    for (let i = 0; i < r.tokens.length; i++) {
      tokens.push(r.tokens[i]!);
      frames.push(at + r.frames[i]!);
    }
    for (const f of r.eouFrames) eouFrames.push(at + f);
    steps += r.stats.steps;
    if (detector !== undefined) {
      const local = Array.from(r.frames).filter((_, i) => r.tokens[i] !== eouId);
      const fired = detector.update({
        decodedFrames: n,
        tokenFrames: local,
        eouDetected: r.eouDetected,
        frameMs: layout.frameMs,
        totalSamples: total,
        sampleRate: layout.sampleRate,
      });
      if (fired !== null) decoder.reset();
    }
    at += n;
  }
  return {
    tokens: Int32Array.from(tokens),
    frames: Int32Array.from(frames),
    eouFrames: Int32Array.from(eouFrames),
    stats: { steps },
  };
}
