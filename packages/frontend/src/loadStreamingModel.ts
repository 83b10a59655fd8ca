/**
 * Opens what the streaming loop needs from a model directory: the decoder variant (through
 * `@eou/rnnt-decode`'s `loadModelDirectory`), the features and the streaming encoder that
 * `model.json` declares (`encoder.features`, `encoder.streaming`), and the schedules the model
 * declares. I/O is injected, as in `loadModelDirectory`: `node:fs` reads plus a runtime's session
 * opener (`@eou/onnx-runtime`'s `openOnnxSession`) in Node.
 */
import {
  joinPath,
  loadModelDirectory,
  type LoadedModel,
  type LoadModelOptions,
  type ModelDirectoryIO,
} from '@eou/rnnt-decode';
import { parseChunkSchedule, resolveSchedule, type ChunkSchedule } from './chunkSchedule';
import { parseFeatureConfig, type FeatureConfig } from './featureConfig';
import { describeValue, FrontendError } from './frontendError';
import { createStreamingEncoder, type StreamingEncoder } from './streamingEncoder';
import { parseStreamingEncoderSpec } from './streamingEncoderSpec';
import type { StreamingTranscriberOptions } from './streamingTranscriber';

/** An opened streaming model. */
export interface StreamingModel {
  readonly dir: string;
  readonly features: FeatureConfig;
  readonly encoder: StreamingEncoder;
  /** The decoder variant (step model, decode config, vocabulary). */
  readonly decoder: LoadedModel;
  /** Schedules `model.json` declares (`encoder.streaming.schedule`), first = the model's default. */
  readonly schedules: readonly ChunkSchedule[];
  /** Transcriber options for a schedule (a declared one or a seed name; default the model's first). */
  transcriberOptions(schedule?: string | ChunkSchedule): StreamingTranscriberOptions;
  close(): Promise<void>;
}

/**
 * Loads `dir` for the streaming loop.
 * @throws FrontendError `E_MODEL_CONFIG` when model.json has no `encoder.features` / `encoder.streaming`
 *   (or a bad one), `E_ENCODER_CONTRACT` for an encoder that breaks its declared contract; and
 *   whatever `loadModelDirectory` throws for the decoder files
 */
export async function loadStreamingModel(
  dir: string,
  io: ModelDirectoryIO,
  options: LoadModelOptions & { readonly variant?: string } = {},
): Promise<StreamingModel> {
  const file = joinPath(dir, 'model.json');
  const json = JSON.parse(await io.readText(file)) as {
    encoder?: { features?: unknown; streaming?: { schedule?: unknown; schedules?: unknown } };
  };
  const block = json.encoder;
  if (block?.features === undefined || block.streaming === undefined) {
    throw new FrontendError(
      'E_MODEL_CONFIG',
      `${file}: encoder.${block?.features === undefined ? 'features' : 'streaming'} is missing; the streaming loop needs both`,
      {
        file,
        field: block?.features === undefined ? 'encoder.features' : 'encoder.streaming',
      },
    );
  }
  const features = parseFeatureConfig(block.features, file);
  const spec = parseStreamingEncoderSpec(block.streaming, file);
  if (spec.file === undefined)
    throw new FrontendError('E_MODEL_CONFIG', `${file}: encoder.streaming.file is missing`, {
      file,
      field: 'encoder.streaming.file',
    });
  const declared =
    block.streaming.schedules ?? (block.streaming.schedule === undefined ? [] : [block.streaming.schedule]);
  if (!Array.isArray(declared))
    throw new FrontendError(
      'E_MODEL_CONFIG',
      `${file}: encoder.streaming.schedules must be a list, got ${describeValue(declared)}`,
      { file },
    );
  const schedules = declared.map((s, i) =>
    parseChunkSchedule(
      s,
      file,
      block.streaming!.schedules ? `encoder.streaming.schedules[${i}]` : 'encoder.streaming.schedule',
    ),
  );
  const decoder = await loadModelDirectory(dir, options.variant ?? 'ref', io, options);
  let encoder: StreamingEncoder;
  try {
    encoder = createStreamingEncoder(await io.openSession(joinPath(dir, spec.file)), spec);
  } catch (error) {
    await decoder.close();
    throw error;
  }
  return {
    dir,
    features,
    encoder,
    decoder,
    schedules,
    transcriberOptions(schedule) {
      const resolved =
        typeof schedule === 'object'
          ? schedule
          : schedule === undefined
            ? (schedules[0] ?? resolveSchedule('production'))
            : resolveSchedule(schedule, schedules);
      // The schedule's EOU policy (harness: reset) unless the caller chose one when loading.
      const eouPolicy = options.decode?.eouPolicy ?? resolved.eouPolicy ?? decoder.decodeConfig.eouPolicy;
      return {
        features,
        encoder,
        decoder: decoder.model,
        decodeConfig: { ...decoder.decodeConfig, eouPolicy },
        schedule: resolved,
        vocab: decoder.vocab,
      };
    },
    async close() {
      await encoder.session.close();
      await decoder.close();
    },
  };
}
