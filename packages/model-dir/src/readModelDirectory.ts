/**
 * Reads any model directory the toolkit knows into one description, the canonical model.json:
 * read from `model.json` when there is one, else derived from a sherpa-onnx / icefall transducer's
 * graphs (`encoder*.onnx`, `decoder*.onnx`, `joiner*.onnx`, `tokens.txt`) or from a FluidAudio
 * Parakeet EOU folder (`decoder.mlmodelc`, `joint_decision.mlmodelc`, `vocab.json`). The loaders
 * (`loadModelDirectory`, `loadStreamingModel`, the gate's `openAudioModel`) take the result as their
 * `description`, so a derived directory is used as it is, without writing a file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  parseChunkSchedule,
  parseEndpointRules,
  parseFeatureConfig,
  parseStreamingEncoderSpec,
} from '@eou/frontend';
import { argmaxLogitWidth, readOnnx } from '@eou/graph';
import { modelVariants, parseModelConfig, type ModelConfig, type ModelDescription } from '@eou/rnnt-decode';
import { coremlGraph, deriveFluidAudio, fluidAudioGraphs } from './fluidAudioDirectory';
import { ModelDirError } from './modelDirError';
import { deriveSherpaOnnx, sherpaOnnxFiles, type SherpaOnnxOptions } from './sherpaOnnxDirectory';

/** How a directory was read. */
export type DirectoryLayout = 'model.json' | 'sherpa-onnx' | 'fluidaudio';

/** Options of {@link readModelDirectory}. */
export type ReadModelDirectoryOptions = SherpaOnnxOptions;

/** A model directory, read or derived. */
export interface ModelDirectory {
  readonly dir: string;
  readonly layout: DirectoryLayout;
  /** The canonical description (what `eou model-json` writes). */
  readonly modelJson: Readonly<Record<string, unknown>>;
  /** The parsed decoder part of it. */
  readonly config: ModelConfig;
  /** What to pass the loaders as `description`. */
  readonly description: ModelDescription;
  /** The files the description was read or derived from. */
  readonly derivedFrom: readonly string[];
}

/** Which layout a directory listing is, or undefined. */
export function detectLayout(names: readonly string[]): DirectoryLayout | undefined {
  if (names.includes('model.json')) return 'model.json';
  const s = sherpaOnnxFiles(names);
  if (s.decoders.length > 0 && s.joiners.length > 0 && (s.encoders.length > 0 || s.tokens))
    return 'sherpa-onnx';
  if (
    coremlGraph(names, fluidAudioGraphs.decoder) !== undefined ||
    coremlGraph(names, fluidAudioGraphs.joint) !== undefined
  )
    return 'fluidaudio';
  if (s.encoders.length + s.decoders.length + s.joiners.length > 0 || s.tokens) return 'sherpa-onnx';
  return undefined;
}

/**
 * Checks a description with the parsers the loaders use, so a derivation that a loader would refuse
 * fails here, naming the field, instead of at first use.
 */
function validate(json: Record<string, unknown>, file: string): ModelConfig {
  const config = parseModelConfig(JSON.stringify(json), file);
  const variants = modelVariants(config, file);
  if (config.layout === 'eou') checkJointWidth(config, variants.spec('cached').stems.joint, file);
  const encoder = json['encoder'] as { features?: unknown; streaming?: Record<string, unknown> } | undefined;
  if (encoder?.features !== undefined) parseFeatureConfig(encoder.features, file);
  if (encoder?.streaming !== undefined) {
    parseStreamingEncoderSpec(encoder.streaming, file);
    if (encoder.streaming['schedule'] !== undefined)
      parseChunkSchedule(encoder.streaming['schedule'], file, 'encoder.streaming.schedule');
  }
  if (json['endOfUtterance'] !== undefined) parseEndpointRules(json['endOfUtterance'], file);
  return config;
}

/**
 * Refuses a `vocabSize` that the shipped split joint (ONNX, in-graph argmax) does not score: its
 * `token_id` output hides the width, so a larger declared size (a blank id it can never return)
 * would decode every frame as emissions. Graphs that do not show the width are not checked.
 */
function checkJointWidth(config: ModelConfig, stem: string | undefined, file: string): void {
  if (config.ext !== 'onnx' || stem === undefined) return;
  const joint = join(dirname(file), `${stem}.onnx`);
  if (!existsSync(joint)) return;
  let width: number | undefined;
  try {
    width = argmaxLogitWidth(readOnnx(readFileSync(joint), { path: joint }));
  } catch {
    // An unreadable graph is the loader's to report, with its session error naming the file.
    return;
  }
  if (width !== undefined && width !== config.vocabSize)
    throw new ModelDirError(
      'E_MISMATCH',
      `${file}: \`vocabSize\` is ${config.vocabSize}, but ${joint} ranks ${width} scores; model.json is not this joint's`,
      { file, field: 'vocabSize' },
    );
}

/**
 * Reads `dir` as a model directory of any known layout.
 * @throws ModelDirError `E_NOT_A_MODEL_DIR` naming what a model directory holds; the derivations'
 *   `E_MISSING_FILE` / `E_MISSING_FIELD` / `E_AMBIGUOUS`; and the parsers' errors for a bad model.json
 */
export function readModelDirectory(dir: string, options: ReadModelDirectoryOptions = {}): ModelDirectory {
  if (typeof dir !== 'string' || dir === '')
    throw new TypeError(`dir must be a directory path, got ${JSON.stringify(dir)}`);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ModelDirError('E_NOT_A_MODEL_DIR', `${dir}: not a directory`, { file: dir });
  const names = readdirSync(dir).sort();
  const layout = detectLayout(names);
  if (layout === undefined)
    throw new ModelDirError(
      'E_NOT_A_MODEL_DIR',
      `${dir}: not a model directory: no model.json, no sherpa-onnx transducer (encoder*.onnx, decoder*.onnx, joiner*.onnx, tokens.txt), no FluidAudio Parakeet folder (decoder.mlmodelc, joint_decision.mlmodelc, vocab.json); \`eou synth-model\` writes an example`,
      { file: dir },
    );
  if (layout === 'model.json') {
    const file = join(dir, 'model.json');
    const text = readFileSync(file, 'utf8');
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = {};
    }
    // parseModelConfig names a JSON syntax error with the file; validate reads the same text.
    const config = validate(json, file);
    return {
      dir,
      layout,
      modelJson: json,
      config,
      description: { json: text, file },
      derivedFrom: ['model.json'],
    };
  }
  const derived =
    layout === 'sherpa-onnx' ? deriveSherpaOnnx(dir, names, options) : deriveFluidAudio(dir, names);
  const file = `${join(dir, 'model.json')} (derived from ${derived.derivedFrom.join(', ')}; \`eou model-json ${dir}\` writes it)`;
  const config = validate(derived.modelJson, file);
  return {
    dir,
    layout,
    modelJson: derived.modelJson,
    config,
    description: { json: derived.modelJson, file },
    derivedFrom: derived.derivedFrom,
  };
}
