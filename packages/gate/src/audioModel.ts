/**
 * The one place the gate opens a model for audio (encoding, transcription, the end-to-end bench):
 * `@eou/frontend`'s `loadStreamingModel` over Node's file system and ONNX Runtime with one intra-op
 * thread, on the description `@eou/model-dir` reads or derives (model.json, a sherpa-onnx / icefall
 * transducer, a FluidAudio folder), so every audio path of the toolkit (`eou transcribe`, `eou
 * encode`, `eou wer-gate --audio-manifest`, `eou bench --e2e`) takes every layout at once. Also:
 * which files the encoded frames depend on, for content addresses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadStreamingModel, type StreamingModel } from '@eou/frontend';
import { readModelDirectory, type ModelDirectory } from '@eou/model-dir';
import type { VariantSpec } from '@eou/rnnt-decode';
import { GateError } from './gateError';
import { nodeModelIO } from './fileDecoder';
import { sha256 } from './modelDirectory';

/** Options of {@link openAudioModel}. */
export interface OpenAudioModelOptions {
  /** The decoder variant (default `ref`). */
  readonly variant?: string;
  /** Variants a user declared by file (`name=decoder.int8.onnx,joiner.onnx`). */
  readonly declaredVariants?: readonly VariantSpec<string>[];
  /** The encoder file of a sherpa-onnx directory holding several. */
  readonly encoder?: string;
}

/** A model error is bad input naming the file, whichever package raised it. */
function asModelError(error: unknown): never {
  if (
    error instanceof Error &&
    /^(RnntDecodeError|OnnxRuntimeError|FusionError|FrontendError|ModelDirError|GraphError|CoreMLFormatError)$/.test(
      error.name,
    )
  )
    throw new GateError('E_BAD_MODEL', error.message.split('\n')[0]!, { cause: error });
  throw error;
}

/**
 * Reads or derives the description of `modelDir` (see `@eou/model-dir`).
 * @throws {GateError} `E_BAD_MODEL` naming the file or field that is missing
 */
export function describeAudioModel(
  modelDir: string,
  options: Pick<OpenAudioModelOptions, 'encoder'> = {},
): ModelDirectory {
  try {
    return readModelDirectory(modelDir, options.encoder === undefined ? {} : { encoder: options.encoder });
  } catch (error) {
    return asModelError(error);
  }
}

/**
 * Opens `modelDir` for the streaming loop: its features, streaming encoder, declared schedules and
 * the decoder of `variant`.
 * @throws {GateError} `E_BAD_MODEL` for a directory that cannot be used (no layout recognised, no
 *   `encoder.streaming`, an encoder that breaks its contract, a missing variant file)
 */
export async function openAudioModel(
  modelDir: string,
  options: OpenAudioModelOptions = {},
): Promise<StreamingModel> {
  const md = describeAudioModel(modelDir, options);
  try {
    return await loadStreamingModel(modelDir, nodeModelIO, {
      variant: options.variant ?? 'ref',
      description: md.description,
      ...(options.declaredVariants === undefined ? {} : { declaredVariants: options.declaredVariants }),
    });
  } catch (error) {
    return asModelError(error);
  }
}

/**
 * sha256 of what a model's encoded frames depend on: its description (`model.json`, read or
 * derived: features, schedules) and the streaming encoder it names.
 * @throws {GateError} `E_BAD_MODEL` when the description names no streaming encoder
 */
export function encoderFileHashes(
  modelDir: string,
  options: Pick<OpenAudioModelOptions, 'encoder'> = {},
): { encoderFile: string; files: Record<string, string> } {
  const md = describeAudioModel(modelDir, options);
  const json = md.modelJson as { encoder?: { streaming?: { file?: unknown } } };
  const encoderFile = json.encoder?.streaming?.file;
  const configFile = md.description.file;
  if (typeof encoderFile !== 'string')
    throw new GateError(
      'E_BAD_MODEL',
      `${configFile}: encoder.streaming.file is missing; audio needs a streaming encoder`,
      {
        file: configFile,
        field: 'encoder.streaming.file',
      },
    );
  const encoderPath = path.join(modelDir, encoderFile);
  if (!fs.existsSync(encoderPath))
    throw new GateError(
      'E_BAD_MODEL',
      `${encoderPath}: no such file (named by ${configFile} encoder.streaming.file)`,
      {
        file: encoderPath,
      },
    );
  const description =
    typeof md.description.json === 'string' ? md.description.json : JSON.stringify(md.description.json);
  return {
    encoderFile,
    files: {
      'model.json': sha256(Buffer.from(description)),
      [encoderFile]: sha256(fs.readFileSync(encoderPath)),
    },
  };
}
