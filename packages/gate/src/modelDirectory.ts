/** The model directory as the gate reads it: `model.json` once per run, and a hash of every file a run opens. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { checkVariantSources, FusionError, isVariantKind } from '@eou/fusion';
import { parseModelConfig, type ModelConfig } from '@eou/rnnt-decode';
import { GateError } from './gateError';
import { executionVariant, isBuildableVariant, variantFileNames } from './variantFiles';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Reads and checks `<modelDir>/model.json`.
 * @throws {GateError} `E_BAD_MODEL` when the directory has no model.json or it is invalid (the message
 *   is `@eou/rnnt-decode`'s, naming the file and field).
 */
export function readModelConfig(modelDir: string): ModelConfig {
  const configFile = path.join(modelDir, 'model.json');
  if (!fs.existsSync(configFile))
    throw new GateError('E_BAD_MODEL', `${modelDir}: not a model directory (no model.json)`, {
      file: modelDir,
    });
  try {
    return parseModelConfig(fs.readFileSync(configFile, 'utf8'), configFile);
  } catch (error) {
    throw new GateError('E_BAD_MODEL', error instanceof Error ? error.message : String(error), {
      file: configFile,
      cause: error,
    });
  }
}

/** The raw `model.json` of a directory already checked by {@link readModelConfig} (its `encoder` block, ...). */
export function readModelJson(modelDir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as Record<string, unknown>;
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
): Record<string, string> {
  const needs = new Map<string, string>([
    ['model.json', ''],
    ['vocab.json', ''],
  ]);
  for (const v of variants)
    for (const name of variantFileNames(v, ext)) if (!needs.has(name)) needs.set(name, v);
  // A fused file built from other decoder/joint weights would make the whole comparison meaningless.
  if (ext === 'onnx') {
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
  const out: Record<string, string> = {};
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
  return out;
}
