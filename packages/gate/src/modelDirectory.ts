/**
 * The model directory as the gate reads it: its description once per run (model.json, or the one
 * `@eou/model-dir` derives for a sherpa-onnx or FluidAudio directory), its variants, and a hash of
 * every file a run opens.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { checkVariantSources, FusionError, isVariantKind } from '@eou/fusion';
import { detectLayout, readModelDirectory, type ModelDirectory } from '@eou/model-dir';
import { modelVariants, type ModelConfig, type VariantRegistry, type VariantSpec } from '@eou/rnnt-decode';
import { GateError } from './gateError';
import { executionVariant, isBuildableVariant, variantFileNames } from './variantFiles';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Reads (or derives) and checks the description of `modelDir`.
 * @throws {GateError} `E_BAD_MODEL` when the directory is no model directory or its description is
 *   invalid (the message is `@eou/model-dir`'s or `@eou/rnnt-decode`'s, naming the file and field).
 */
export function readGateModel(modelDir: string): ModelDirectory {
  if (
    !fs.existsSync(modelDir) ||
    !fs.statSync(modelDir).isDirectory() ||
    detectLayout(fs.readdirSync(modelDir)) === undefined
  )
    throw new GateError('E_BAD_MODEL', `${modelDir}: not a model directory (no model.json)`, {
      file: modelDir,
    });
  try {
    return readModelDirectory(modelDir);
  } catch (error) {
    if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string')
      throw new GateError('E_BAD_MODEL', error.message.split('\n')[0]!, {
        file: (error as { file?: string }).file ?? modelDir,
        cause: error,
      });
    throw error;
  }
}

/**
 * Reads and checks the description of `<modelDir>` (see {@link readGateModel}).
 * @throws {GateError} `E_BAD_MODEL`
 */
export function readModelConfig(modelDir: string): ModelConfig {
  return readGateModel(modelDir).config;
}

/** The description of a directory already checked by {@link readModelConfig} (its `encoder` block, ...). */
export function readModelJson(modelDir: string): Record<string, unknown> {
  return { ...readGateModel(modelDir).modelJson };
}

/**
 * The variants `md` serves: its layout's built-ins, its own and `declared`.
 * @throws {GateError} `E_BAD_MODEL` for a declaration that clashes
 */
export function gateVariants(
  md: ModelDirectory,
  declared: readonly VariantSpec<string>[] = [],
): VariantRegistry {
  try {
    return modelVariants(md.config, md.description.file, declared);
  } catch (error) {
    throw new GateError('E_BAD_MODEL', (error as Error).message, { file: md.description.file, cause: error });
  }
}

/**
 * sha256 of every model file the variants open (plus model.json and vocab.json), by file name, sorted.
 * @throws {GateError} `E_BAD_MODEL` for a missing file (with the command that builds it when it is a
 *   built variant) or a fused file built from other decoder/joint weights than the directory's.
 */
export function hashModelFiles(
  modelDir: string,
  ext: ModelConfig['ext'],
  variants: readonly string[],
  declared: readonly VariantSpec<string>[] = [],
): Record<string, string> {
  const md = readGateModel(modelDir);
  const registry = gateVariants(md, declared);
  // A derived description has no file: its text stands for model.json.
  const derived = !fs.existsSync(path.join(modelDir, 'model.json'));
  const needs = new Map<string, string>([
    ...(derived ? [] : ([['model.json', '']] as const)),
    [md.config.vocab, ''],
  ]);
  for (const v of variants)
    for (const name of variantFileNames(v, ext, registry)) if (!needs.has(name)) needs.set(name, v);
  // A fused file built from other decoder/joint weights would make the whole comparison meaningless.
  if (ext === 'onnx' && registry.layout === 'eou') {
    for (const v of variants) {
      const exec = executionVariant(v);
      if (!isVariantKind(exec)) continue;
      try {
        checkVariantSources(modelDir, exec);
      } catch (error) {
        if (error instanceof FusionError)
          throw new GateError('E_BAD_MODEL', error.message.split('\n')[0]!, {
            file: error.file ?? modelDir,
            cause: error,
          });
        throw error;
      }
    }
  }
  const out: Record<string, string> = derived ? { 'model.json': sha256(JSON.stringify(md.modelJson)) } : {};
  for (const name of [...needs.keys()].sort()) {
    const file = path.join(modelDir, name);
    if (!fs.existsSync(file)) {
      const variant = needs.get(name)!;
      const hint = isBuildableVariant(variant)
        ? ` (build it with \`eou fuse --model ${modelDir} --variant ${variant}\`, or @eou/fusion's fuseModelDirectory)`
        : '';
      throw new GateError('E_BAD_MODEL', `${modelDir}: ${name} is missing${hint}`, { file });
    }
    out[name] = sha256(fs.readFileSync(file));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
