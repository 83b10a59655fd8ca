/**
 * Writing a synthetic model directory (docs/onnx-layout.md) and reading one back for the corpus
 * generator, which rebuilds the design from `model.json`'s `synth` section and checks that the
 * ONNX files are byte-identical to what that design writes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeOnnx } from '@eou/graph';
import { buildDecoderModel, buildJointDecisionModel } from '../canonical/canonicalModels';
import { FusionError } from '../fusionError';
import { buildableVariantKinds, variants } from '../variants/variant';
import type { SynthMargin, SynthModel, SynthModelOptions } from './synthModel';
import { createSynthModel } from './synthModel';
import type { SynthShapeName } from './synthShapes';

/** The bytes of each file of a synthetic model directory. */
export function synthModelFiles(model: SynthModel): Record<string, Uint8Array> {
  const batch = model.modelJson['batch'] === true;
  const producer = 'eou synth-model';
  const text = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o, null, 2) + '\n');
  return {
    'decoder.onnx': writeOnnx(buildDecoderModel(model.decoder, { batch, producer })),
    'joint_decision.onnx': writeOnnx(buildJointDecisionModel(model.joint, { batch, producer })),
    'vocab.json': text(model.vocab),
    'model.json': text(model.modelJson),
  };
}

function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw cause;
  }
}

/** Hooks of {@link writeSynthModelDirectory}. */
export interface WriteSynthHooks {
  /** Called with the paths of the built variant files removed because the pair changed. */
  readonly onRemoved?: (paths: readonly string[]) => void;
}

/** Every file `eou fuse` builds (ONNX), all derived from decoder.onnx and joint_decision.onnx. */
const derivedFileNames = (): string[] => buildableVariantKinds.flatMap((k) => [...variants[k].files]);

/**
 * Creates `dir` (and parents) and writes a deterministic synthetic model into it. When that
 * changes decoder.onnx or joint_decision.onnx, the built variant files already in `dir` are
 * removed first (they were derived from the old pair and would decode with its weights).
 */
export function writeSynthModelDirectory(
  dir: string,
  options: SynthModelOptions = {},
  hooks: WriteSynthHooks = {},
): SynthModel {
  const model = createSynthModel(options);
  mkdirSync(dir, { recursive: true });
  const files = synthModelFiles(model);
  const pairChanges = ['decoder.onnx', 'joint_decision.onnx'].some((name) => {
    const path = join(dir, name);
    return !existsSync(path) || !Buffer.from(files[name]!).equals(readFileSync(path));
  });
  if (pairChanges) {
    const removed = derivedFileNames()
      .map((name) => join(dir, name))
      .filter((path) => existsSync(path));
    for (const path of removed) rmSync(path, { force: true });
    if (removed.length > 0) hooks.onRemoved?.(removed);
  }
  // model.json last: a directory with model.json is complete.
  for (const name of ['decoder.onnx', 'joint_decision.onnx', 'vocab.json', 'model.json'])
    writeAtomic(join(dir, name), files[name]!);
  return model;
}

/**
 * Rebuilds the synthetic model a directory was written from. Throws {@link FusionError}
 * `E_SYNTH` naming the file when the directory is not an unmodified `eou synth-model` output.
 */
export function loadSynthModelDirectory(dir: string): SynthModel {
  const configPath = join(dir, 'model.json');
  if (!existsSync(configPath))
    throw new FusionError(`${configPath}: not found (is ${dir} a model directory?)`, 'E_SYNTH', {
      file: configPath,
    });
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new FusionError(`${configPath}: not valid JSON`, 'E_SYNTH', { file: configPath, cause });
  }
  const synth = config['synth'] as
    { generator?: unknown; shape?: unknown; seed?: unknown; margin?: unknown } | undefined;
  if (!synth || synth.generator !== 'eou-synth/1') {
    throw new FusionError(
      `${configPath}: no "synth" section from eou synth-model (synthetic corpora need a synthetic model)`,
      'E_SYNTH',
      {
        file: configPath,
        field: 'synth',
      },
    );
  }
  let model: SynthModel;
  try {
    model = createSynthModel({
      shape: synth.shape as SynthShapeName,
      seed: synth.seed as number,
      margin: synth.margin as SynthMargin,
      batch: config['batch'] === true,
    });
  } catch (cause) {
    throw new FusionError(`${configPath}: bad "synth" section (${(cause as Error).message})`, 'E_SYNTH', {
      file: configPath,
      field: 'synth',
      cause,
    });
  }
  const files = synthModelFiles(model);
  for (const name of ['decoder.onnx', 'joint_decision.onnx']) {
    const path = join(dir, name);
    const actual = existsSync(path) ? readFileSync(path) : undefined;
    if (!actual || !Buffer.from(files[name]!).equals(actual)) {
      throw new FusionError(
        `${path}: ${actual ? 'differs from' : 'missing; expected'} the synthetic model model.json describes (seed ${String(synth.seed)}, shape ${String(synth.shape)})`,
        'E_SYNTH',
        {
          file: path,
        },
      );
    }
  }
  return model;
}
