/**
 * Opens what the streaming loop needs from a model directory: the decoder variant (through
 * `@eou/rnnt-decode`'s `loadModelDirectory`), the features and the streaming encoder that
 * `model.json` declares (`encoder.features`, `encoder.streaming`), the schedules the model
 * declares, and for a model without an EOU token its endpoint rules (`endOfUtterance`). I/O is
 * injected, as in `loadModelDirectory`: `node:fs` reads plus a runtime's session opener
 * (`@eou/onnx-runtime`'s `openOnnxSession`) in Node; a derived model.json comes in as
 * `options.description` (`@eou/model-dir`).
 */
import {
  joinPath,
  loadModelDirectory,
  readModelDescription,
  type LoadedModel,
  type LoadModelOptions,
  type ModelDirectoryIO,
} from '@eou/rnnt-decode';
import { parseChunkSchedule, resolveSchedule, type ChunkSchedule } from './chunkSchedule';
import { parseFeatureConfig, type FeatureConfig } from './featureConfig';
import { createEndpointDetector, parseEndpointRules, type EndpointRule } from './endpointRules';
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
  /**
   * The endpoint rules that end utterances of a model without an EOU token (model.json
   * `endOfUtterance`, else sherpa-onnx's defaults); null for a model with one (EOU debounce).
   */
  readonly endpointRules: Readonly<Record<string, EndpointRule>> | null;
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
  const described = await readModelDescription(dir, io, options.description);
  const file = described.file;
  let json: {
    eouId?: unknown;
    endOfUtterance?: unknown;
    encoder?: { features?: unknown; streaming?: { schedule?: unknown; schedules?: unknown } };
  };
  try {
    json = JSON.parse(described.text) as typeof json;
  } catch (error) {
    throw new FrontendError('E_MODEL_CONFIG', `${file}: not valid JSON (${(error as Error).message})`, {
      file,
    });
  }
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
  const endpointRules =
    json.endOfUtterance !== undefined
      ? parseEndpointRules(json.endOfUtterance, file)
      : decoder.config.eouId === undefined
        ? parseEndpointRules({ kind: 'endpoint-rules' }, file)
        : null;
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
    endpointRules,
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
        // No EOU token: the endpoint rules end utterances, and the decoder restarts after each
        // as a sherpa-onnx app's Reset does (a fresh detector per transcriber: it has state).
        ...(endpointRules === null
          ? {}
          : { endOfUtterance: createEndpointDetector(endpointRules), resetDecoderOnEndOfUtterance: true }),
      };
    },
    async close() {
      await encoder.session.close();
      await decoder.close();
    },
  };
}
