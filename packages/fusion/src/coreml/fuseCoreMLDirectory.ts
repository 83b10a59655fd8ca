/**
 * `eou fuse` for CoreML model directories: reads the `decoder` and `joint_decision` models
 * (`.mlmodelc` or `.mlpackage`) of a directory and writes the lean, lean-topk or pipeline variant
 * as an `.mlpackage` next to them (or to `out`), atomically.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreMLModel } from '@eou/coreml-format';
import { readMlmodelc, readMlpackage, writeMlpackage } from '@eou/coreml-format';
import { FusionError } from '../fusionError';
import { coremlVariantFileNames, coremlVariants, isCoreMLVariantKind } from './coremlVariant';
import type { CoreMLVariantKind } from './coremlVariantBase';
import { hashFiles } from './coremlProvenance';

/** What {@link fuseCoreMLDirectory} wrote. */
export interface CoreMLFuseResult {
  readonly variant: CoreMLVariantKind;
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
  throw new FusionError(
    `${dir}: no ${stem}.mlpackage or ${stem}.mlmodelc in the model directory`,
    'E_FORMAT',
    {
      file: dir,
    },
  );
}

/**
 * Builds a CoreML variant from a directory's decoder and joint_decision.
 * @throws {RangeError} for an unknown variant; {@link FusionError} `E_FORMAT` when a model is
 *   missing; `CoreMLFormatError` naming the file for a model that does not read.
 */
export function fuseCoreMLDirectory(
  modelDir: string,
  options: { readonly variant: string; readonly out?: string },
): CoreMLFuseResult {
  const variant = options.variant;
  if (!isCoreMLVariantKind(variant)) {
    throw new RangeError(
      `fuseCoreMLDirectory: variant must be one of ${Object.keys(coremlVariantFileNames).join(', ')}, got '${variant}'`,
    );
  }
  const decoder = findModel(modelDir, 'decoder');
  const joint = findModel(modelDir, 'joint_decision');
  const v = coremlVariants[variant];
  const path = options.out ?? join(modelDir, v.fileName);
  writeMlpackage(path, v.build(decoder, joint));
  return { variant, path, sources: { decoder: decoder.path, joint: joint.path }, files: hashFiles(path) };
}
