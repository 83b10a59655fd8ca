/**
 * Opens a model directory (model.json, its vocabulary and a variant's model files) through injected
 * I/O, so this package stays free of `fs` and runs in browsers: Node callers pass `fs` reads and
 * a runtime's session opener, browsers pass `fetch`-based ones. A caller that derived the model.json
 * of a directory without one (`@eou/model-dir`: sherpa-onnx and FluidAudio folders) passes it as
 * `description`, so nothing is written.
 */
import type { DecodeConfig, DecodeConfigInput } from './decodeConfig';
import {
  decodeConfigFromModel,
  modelConfigFormat,
  parseModelConfig,
  type ModelConfig,
  type ModelExt,
} from './modelConfig';
import { parseVariantList } from './declareVariant';
import { RnntDecodeError } from './rnntDecodeError';
import type { Session } from './session';
import {
  fusedModelFromSession,
  projectedModelFromSessions,
  splitModelFromSessions,
  statelessModelFromSessions,
  type AdapterOptions,
} from './sessionAdapters';
import type { AnyStepModel, StepModel } from './stepModels';
import { createVariantRegistry, type VariantRegistry } from './variantRegistry';
import { variantFiles, type VariantFileRole, type VariantSpec } from './variants';
import { parseVocabFile, type Vocab } from './vocab';

/** The I/O a loader needs. Paths are `dir + '/' + name`. */
export interface ModelDirectoryIO {
  readText(path: string): string | Promise<string>;
  exists(path: string): boolean | Promise<boolean>;
  /** Opens a model file with some runtime (e.g. `@eou/onnx-runtime`). */
  openSession(path: string): Promise<Session>;
}

/**
 * A model.json given instead of read: its contents and the name messages use for it (e.g.
 * `DIR/model.json (derived from encoder.int8.onnx metadata)`).
 */
export interface ModelDescription {
  readonly json: string | object;
  readonly file: string;
}

/** Options of {@link loadModelDirectory}. */
export interface LoadModelOptions extends AdapterOptions {
  /** The directory's model.json, given (derived) instead of read from `dir/model.json`. */
  readonly description?: ModelDescription;
  /** A user's variants declared by file (`parseVariantArgument`), next to the directory's own. */
  readonly declaredVariants?: readonly VariantSpec<string>[];
  /** Overrides model.json's `ext` (e.g. `mlmodelc` for a CoreML directory). */
  readonly ext?: ModelExt;
  /** Overrides of the implied loop configuration (e.g. `{ eouPolicy: 'reset' }`). */
  readonly decode?: Partial<DecodeConfigInput>;
}

/** An opened model directory. */
export interface LoadedModel {
  readonly dir: string;
  readonly config: ModelConfig;
  readonly vocab: Vocab;
  readonly variant: VariantSpec<string>;
  /** The step model, ready for the loop (stateless for the sherpa-onnx layout). */
  readonly model: AnyStepModel;
  /** The loop configuration: model.json ids and cap, the variant's prediction policy, overrides. */
  readonly decodeConfig: DecodeConfig;
  /** Paths of the model files opened, by role. */
  readonly files: Readonly<Partial<Record<VariantFileRole, string>>>;
  /** Closes every session. */
  close(): Promise<void>;
}

/**
 * vocab.json must name every id the model can emit as text: an id it lacks would be dropped from
 * the transcript without a word (the gate would score the loss as the model's errors). Only the event
 * and blank ids may be absent; an id at or above model.json's vocabSize is one the model cannot emit.
 * @throws RnntDecodeError `E_VOCAB` naming vocab.json, model.json's vocabSize and the ids
 */
export function checkVocabCoversModel(vocab: Vocab, config: ModelConfig, vocabPath: string): void {
  for (const id of vocab.keys()) {
    if (id >= config.vocabSize) {
      throw new RnntDecodeError(
        'E_VOCAB',
        `${vocabPath}: token id ${id} is not below model.json vocabSize ${config.vocabSize}`,
        { file: vocabPath, field: String(id) },
      );
    }
  }
  const events = new Set([config.blankId, config.eouId, config.eobId]);
  const missing: number[] = [];
  for (let id = 0; id < config.vocabSize; id++) if (!events.has(id) && !vocab.has(id)) missing.push(id);
  if (missing.length > 0) {
    const shown = missing.length > 5 ? `${missing.slice(0, 5).join(', ')}, ...` : missing.join(', ');
    throw new RnntDecodeError(
      'E_VOCAB',
      `${vocabPath}: has no piece for ${missing.length} of the ${config.vocabSize} ids of model.json vocabSize (ids ${shown}); only blank, EOU and EOB may be absent`,
      { file: vocabPath, field: String(missing[0]) },
    );
  }
}

/** Joins a directory and a file name with `/` (no `node:path` here). */
export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}

/** The text and message name of a directory's model.json: the given description, or the file. */
export async function readModelDescription(
  dir: string,
  io: Pick<ModelDirectoryIO, 'readText' | 'exists'>,
  description?: ModelDescription,
): Promise<{ text: string; file: string }> {
  if (description !== undefined)
    return {
      text: typeof description.json === 'string' ? description.json : JSON.stringify(description.json),
      file: description.file,
    };
  const file = joinPath(dir, 'model.json');
  if (!(await io.exists(file)))
    throw new RnntDecodeError(
      'E_MISSING_FILE',
      `${dir}: not a model directory (no model.json); a sherpa-onnx or FluidAudio folder is read by @eou/model-dir (\`eou inspect ${dir}\`, \`eou model-json ${dir}\` writes one)`,
      { file },
    );
  return { text: await io.readText(file), file };
}

/**
 * The variants a model directory serves: its layout's built-ins, its model.json `variants` and
 * the caller's declared ones.
 * @throws RnntDecodeError `E_VARIANT` naming model.json for a bad declaration or a clash
 */
export function modelVariants(
  config: ModelConfig,
  configPath: string,
  declared: readonly VariantSpec<string>[] = [],
): VariantRegistry {
  const own = parseVariantList(config.variants, configPath, 'variants');
  try {
    return createVariantRegistry(config.layout, declared, own);
  } catch (error) {
    throw new RnntDecodeError('E_VARIANT', `${configPath}: ${(error as Error).message}`, {
      file: configPath,
    });
  }
}

/**
 * Loads `dir` for `variant`.
 * @param dir the model directory
 * @param variant a built-in name (`ref`, `cached`, `pipeline`, `lean`, `lean-topk`, `projected`),
 *   or a declared variant of the `eou` layout (`declareVariant`, `parseVariantDeclarations`)
 * @param io file reads and a session opener
 * @throws RangeError for an unknown variant; RnntDecodeError `E_MISSING_FILE`, `E_MODEL_CONFIG`,
 *   `E_VOCAB` or `E_CONTRACT` naming the file
 */
export async function loadModelDirectory(
  dir: string,
  variant: string | VariantSpec<string>,
  io: ModelDirectoryIO,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  if (typeof dir !== 'string') throw new TypeError(`dir must be a string, got ${typeof dir}`);
  for (const method of ['readText', 'exists', 'openSession'] as const) {
    if (typeof io?.[method] !== 'function') throw new TypeError(`io.${method} must be a function`);
  }
  const require = async (name: string, hint: string): Promise<string> => {
    const path = joinPath(dir, name);
    if (!(await io.exists(path))) {
      throw new RnntDecodeError('E_MISSING_FILE', `${dir}: ${hint} needs ${name}, not found at ${path}`, {
        file: path,
      });
    }
    return path;
  };
  const described = await readModelDescription(dir, io, options.description);
  const configPath = described.file;
  const config = parseModelConfig(described.text, configPath);
  const vocabPath = await require(config.vocab, `model.json \`vocab\` (${configPath})`);
  const vocab = parseVocabFile(await io.readText(vocabPath), vocabPath);
  checkVocabCoversModel(vocab, config, vocabPath);
  const spec =
    typeof variant === 'string'
      ? modelVariants(config, configPath, options.declaredVariants).spec(variant)
      : variant;
  if ((spec.kind === 'stateless') !== (config.predictionNet.kind === 'stateless')) {
    throw new RnntDecodeError(
      'E_MODEL_CONFIG',
      `${configPath}: variant \`${spec.name}\` is a ${spec.kind} variant but the model's prediction net is ${config.predictionNet.kind} (${modelConfigFormat} \`predictionNet\`)`,
      { file: configPath, field: 'predictionNet' },
    );
  }
  const decodeConfig = decodeConfigFromModel(config, spec.predictionPolicy, options.decode);
  const ext = options.ext ?? config.ext;
  const names = variantFiles(spec, ext);
  const files: Partial<Record<VariantFileRole, string>> = {};
  for (const [role, name] of Object.entries(names) as [VariantFileRole, string][]) {
    const hint =
      spec.kind === 'fused'
        ? `variant \`${spec.name}\` (build it with \`eou fuse --variant ${spec.name}\`)`
        : `variant \`${spec.name}\``;
    files[role] = await require(name, hint);
  }
  const opened: Session[] = [];
  const closeAll = async (): Promise<void> => {
    const sessions = opened.splice(0);
    await Promise.allSettled(sessions.map(async (s) => s.close()));
  };
  const open = async (role: VariantFileRole): Promise<Session> => {
    const session = await io.openSession(files[role]!);
    opened.push(session);
    return session;
  };
  const dims = {
    hiddenSize: config.hiddenSize,
    encoderDim: config.encoderDim,
    vocabSize: config.vocabSize,
    jointDim: config.jointDim,
    frameMs: config.frameMs,
  };
  let model: AnyStepModel;
  try {
    if (spec.kind === 'stateless') {
      const net = config.predictionNet as { readonly contextSize: number };
      model = statelessModelFromSessions(
        await open('decoder'),
        await open('joint'),
        {
          contextSize: net.contextSize,
          decoderDim: config.hiddenSize,
          encoderDim: config.encoderDim,
          vocabSize: config.vocabSize,
          frameMs: config.frameMs,
        },
        options,
      );
    } else if (spec.kind === 'split') {
      model = splitModelFromSessions(await open('decoder'), await open('joint'), dims, options);
    } else if (spec.kind === 'fused') {
      model = fusedModelFromSession(await open('fused'), dims, options);
    } else {
      model = projectedModelFromSessions(
        await open('projectedEncoder'),
        await open('projectedDecoder'),
        await open('projectedJoint'),
        dims,
        options,
      );
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { dir, config, vocab, variant: spec, model, decodeConfig, files, close: closeAll };
}

/**
 * The LSTM step model of `loaded`, for tools that step the Parakeet contract's prediction net
 * (h, c) directly: parity's teacher forcing, the per-step bench.
 * @param tool what needs it, for the message (e.g. `eou parity`)
 * @throws RnntDecodeError `E_MODEL_CONFIG` for a stateless model, naming its directory
 */
export function lstmStepModel(loaded: LoadedModel, tool: string): StepModel {
  const m = loaded.model;
  if (m.kind === 'stateless' || loaded.config.eouId === undefined)
    throw new RnntDecodeError(
      'E_MODEL_CONFIG',
      `${loaded.dir}: ${tool} steps LSTM prediction nets with an EOU token (the eou layout); this is a ${loaded.config.layout} model with a ${m.kind} prediction net`,
      { file: loaded.dir, field: 'predictionNet' },
    );
  return m;
}
