/**
 * What every variant declares, and what a buildable one produces. A variant is a way of running
 * one RNNT step: which files of a model directory it uses and which prediction-net policy the
 * loop applies. Buildable variants make their files from a decoder / joint_decision pair.
 */
import type { Model } from '@eou/graph';
import type { DecoderJointWeights } from './decoderJointWeights';
import type { VariantKind } from './variantKind';

/** A source model a variant is built from, identified by content. */
export interface VariantSource {
  /** Path as given (for messages). */
  readonly file: string;
  /** sha256 of the file's bytes, hex. */
  readonly sha256: string;
}

/** What a builder reads. */
export interface VariantBuildInput {
  readonly decoder: Model;
  readonly joint: Model;
  /** The pair's weights and numerics, from {@link extractDecoderJointWeights}. */
  readonly weights: DecoderJointWeights;
  readonly sources: { readonly decoder: VariantSource; readonly joint: VariantSource };
}

/** One file a builder makes, named as docs/design.md names it in a model directory. */
export interface BuiltModel {
  readonly fileName: string;
  readonly model: Model;
}

export interface VariantBase {
  readonly kind: VariantKind;
  /** One line for help texts and reports. */
  readonly description: string;
  /** The model-directory files the variant runs. */
  readonly files: readonly string[];
  /** Prediction-net policy the decode loop applies (`cache`: only after an emission). */
  readonly predictionPolicy: 'recompute' | 'cache';
  /** Whether `eou fuse` builds its files (false: it runs the shipped files as they are). */
  readonly buildable: boolean;
}

/** A variant that runs the shipped files as they are. */
export interface ShippedVariant extends VariantBase {
  readonly buildable: false;
}

/** A variant whose files are built from the decoder / joint_decision pair. */
export interface BuildableVariant extends VariantBase {
  readonly buildable: true;
  /** Builds the variant's models (pure: no IO). */
  build(input: VariantBuildInput): readonly BuiltModel[];
}
