/**
 * The one place the gate opens a model for audio (encoding, transcription, the end-to-end bench):
 * `@eou/frontend`'s `loadStreamingModel` over Node's file system and ONNX Runtime with one intra-op
 * thread. Model families with other directory layouts plug in here, so every audio path of the
 * toolkit (`eou transcribe`, `eou encode`, `eou wer-gate --audio-manifest`, `eou bench --e2e`) gets
 * them at once. Also: which files the encoded frames depend on, for content addresses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadStreamingModel, type StreamingModel } from '@eou/frontend';
import { GateError } from './gateError';
import { nodeModelIO } from './fileDecoder';
import { sha256 } from './modelDirectory';

/** Options of {@link openAudioModel}. */
export interface OpenAudioModelOptions {
  /** The decoder variant (default `ref`). */
  readonly variant?: string;
}

/** A model error is bad input naming the file, whichever package raised it. */
function asModelError(error: unknown): never {
  if (
    error instanceof Error &&
    /^(RnntDecodeError|OnnxRuntimeError|FusionError|FrontendError)$/.test(error.name)
  )
    throw new GateError('E_BAD_MODEL', error.message.split('\n')[0]!, { cause: error });
  throw error;
}

/**
 * Opens `modelDir` for the streaming loop: its features, streaming encoder, declared schedules and
 * the decoder of `variant`.
 * @throws {GateError} `E_BAD_MODEL` for a directory that cannot be used (no model.json, no
 *   `encoder.streaming`, an encoder that breaks its contract, a missing variant file)
 */
export async function openAudioModel(
  modelDir: string,
  options: OpenAudioModelOptions = {},
): Promise<StreamingModel> {
  if (!fs.existsSync(path.join(modelDir, 'model.json')))
    throw new GateError('E_BAD_MODEL', `${modelDir}: not a model directory (no model.json)`, {
      file: modelDir,
    });
  try {
    return await loadStreamingModel(modelDir, nodeModelIO, { variant: options.variant ?? 'ref' });
  } catch (error) {
    return asModelError(error);
  }
}

/**
 * sha256 of the files a model's encoded frames depend on: `model.json` (features, schedules) and the
 * streaming encoder it names.
 * @throws {GateError} `E_BAD_MODEL` when model.json names no streaming encoder
 */
export function encoderFileHashes(modelDir: string): { encoderFile: string; files: Record<string, string> } {
  const configFile = path.join(modelDir, 'model.json');
  if (!fs.existsSync(configFile))
    throw new GateError('E_BAD_MODEL', `${modelDir}: not a model directory (no model.json)`, {
      file: modelDir,
    });
  const json = JSON.parse(fs.readFileSync(configFile, 'utf8')) as {
    encoder?: { streaming?: { file?: unknown } };
  };
  const encoderFile = json.encoder?.streaming?.file;
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
  return {
    encoderFile,
    files: {
      'model.json': sha256(fs.readFileSync(configFile)),
      [encoderFile]: sha256(fs.readFileSync(encoderPath)),
    },
  };
}
