/**
 * What a CoreML variant declares: the `.mlpackage` it writes into a model directory and how it
 * builds that package's ML Program from a shipped decoder / joint_decision pair (`.mlmodelc` or
 * `.mlpackage`). The CoreML counterpart of `../variants/variantBase.ts`.
 */
import type { CoreMLModel } from '@eou/coreml-format';
import type { VariantKind } from '../variants/variantKind';

/** The variants that have a CoreML build. */
export type CoreMLVariantKind = VariantKind.Lean | VariantKind.LeanTopk | VariantKind.Pipeline;

/** An ML Program ready for `writeMlpackage` / `encodeMlpackage`. */
export type MlProgramModel = Pick<CoreMLModel, 'specificationVersion' | 'description' | 'program'>;

export interface CoreMLVariant {
  readonly kind: CoreMLVariantKind;
  /** One line for help texts and reports. */
  readonly description: string;
  /** The package it writes in a model directory. */
  readonly fileName: string;
  /** Builds the package's model, with provenance metadata (reads the pair's files to hash them). */
  build(decoder: CoreMLModel, joint: CoreMLModel): MlProgramModel;
}
