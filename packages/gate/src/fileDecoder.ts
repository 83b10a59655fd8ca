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
import { openOnnxSession } from '@eou/onnx-runtime';
import {
  decodeUtterance,
  detokenize,
  loadModelDirectory,
  parseNpy,
  type EouPolicy,
  type LoadedModel,
  type ModelDirectoryIO,
} from '@eou/rnnt-decode';
import { executionVariant } from './variantFiles';

/** What a {@link FileDecoder} loads. */
export interface FileDecoderInit {
  readonly modelDir: string;
  /** Variant names in report order; the first is the reference. */
  readonly variants: readonly string[];
  readonly eouPolicy: EouPolicy;
}

/** One variant's decode of one file. */
export interface VariantDecode {
  readonly tokens: number[];
  readonly text: string;
  readonly eouFrames: number[];
  readonly decodeMs: number;
  readonly steps: number;
}

/** A file's decode by every variant, or why it could not be decoded. */
export type DecodedFile =
  | { readonly ok: true; readonly frames: number; readonly variants: Record<string, VariantDecode> }
  | { readonly ok: false; readonly reason: string };

/** Decodes files of cached frames with every variant of a run; `close` releases the sessions. */
export interface FileDecoder {
  decodeFile(framesPath: string): Promise<DecodedFile>;
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
      const exec = executionVariant(variant);
      if (!loaded.has(exec)) {
        loaded.set(
          exec,
          await loadModelDirectory(init.modelDir, exec, nodeModelIO, {
            decode: { eouPolicy: init.eouPolicy },
          }),
        );
      }
    }
  } catch (error) {
    await Promise.allSettled([...loaded.values()].map((m) => m.close()));
    throw error;
  }
  const first = loaded.values().next().value as LoadedModel;
  const encoderDim = first.config.encoderDim;

  return {
    async decodeFile(framesPath) {
      let data: Float32Array;
      let frameCount: number;
      try {
        const npy = parseNpy(new Uint8Array(fs.readFileSync(framesPath)), framesPath);
        const dims = npy.dims;
        if (dims.length !== 2 || dims[1] !== encoderDim) {
          return {
            ok: false,
            reason: `${framesPath}: frames must be [N,${encoderDim}], got [${dims.join(',')}]`,
          };
        }
        data = npy.data;
        frameCount = dims[0]!;
        for (let i = 0; i < data.length; i++) {
          if (!Number.isFinite(data[i]!)) {
            return {
              ok: false,
              reason: `${framesPath}: non-finite value ${data[i]} at frame ${Math.floor(i / encoderDim)}`,
            };
          }
        }
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
      }
      const done = new Map<string, VariantDecode>();
      const variants: Record<string, VariantDecode> = {};
      for (const variant of init.variants) {
        const exec = executionVariant(variant);
        let result = done.get(exec);
        if (!result) {
          const m = loaded.get(exec)!;
          const start = performance.now();
          const r = await decodeUtterance(m.model, data, frameCount, m.decodeConfig);
          const decodeMs = performance.now() - start;
          const tokens = Array.from(r.tokens);
          result = {
            tokens,
            text: detokenize(r.tokens, m.vocab, m.decodeConfig),
            eouFrames: Array.from(r.eouFrames),
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
