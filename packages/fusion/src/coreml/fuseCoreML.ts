/**
 * `eou fuse` for CoreML model directories: reads the `decoder` and `joint_decision` models
 * (`.mlmodelc` or `.mlpackage`) of a directory and writes the lean, lean-topk or pipeline variant
 * as an `.mlpackage` next to them (or to `out`), atomically.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { coremlError } from './coremlError';
import type { CoreMLModel } from './coremlModel';
import { leanMlProgramFromPair, pipelineMlProgramFromPair } from './milVariants';
import { readMlmodelc } from './mlmodelc';
import { readMlpackage, writeMlpackage } from './mlpackage';

/** CoreML variants this module builds, with their package names (seed §3). */
export const coremlVariantFileNames = {
  lean: 'decoder_joint_decision_fused.mlpackage',
  'lean-topk': 'decoder_joint_decision_fused_topk.mlpackage',
  pipeline: 'decoder_joint_decision_pipeline.mlpackage',
} as const;

export type CoreMLVariant = keyof typeof coremlVariantFileNames;

/** What {@link fuseCoreMLDirectory} wrote. */
export interface CoreMLFuseResult {
  readonly variant: CoreMLVariant;
  readonly path: string;
  readonly sources: { readonly decoder: string; readonly joint: string };
  /** File (relative to the package) -> sha256. */
  readonly files: Readonly<Record<string, string>>;
}

function findModel(dir: string, stem: string): CoreMLModel {
  for (const ext of ['mlpackage', 'mlmodelc']) {
    const p = join(dir, `${stem}.${ext}`);
    if (existsSync(p)) return ext === 'mlpackage' ? readMlpackage(p) : readMlmodelc(p);
  }
  throw coremlError(
    'E_FORMAT',
    dir,
    undefined,
    `no ${stem}.mlpackage or ${stem}.mlmodelc in the model directory`,
  );
}

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/**
 * Builds a CoreML variant from a directory's decoder and joint_decision.
 * @throws {RangeError} for an unknown variant; {@link FusionError} naming the file for bad models.
 */
export function fuseCoreMLDirectory(
  modelDir: string,
  options: { readonly variant: string; readonly out?: string },
): CoreMLFuseResult {
  if (!(options.variant in coremlVariantFileNames)) {
    throw new RangeError(
      `fuseCoreMLDirectory: variant must be one of ${Object.keys(coremlVariantFileNames).join(', ')}, got '${options.variant}'`,
    );
  }
  const variant = options.variant as CoreMLVariant;
  const decoder = findModel(modelDir, 'decoder');
  const joint = findModel(modelDir, 'joint_decision');
  const model =
    variant === 'pipeline'
      ? pipelineMlProgramFromPair(decoder, joint)
      : leanMlProgramFromPair(decoder, joint, { withTopK: variant === 'lean-topk' });
  const path = options.out ?? join(modelDir, coremlVariantFileNames[variant]);
  writeMlpackage(path, model);
  return { variant, path, sources: { decoder: decoder.path, joint: joint.path }, files: hashes(path) };
}
