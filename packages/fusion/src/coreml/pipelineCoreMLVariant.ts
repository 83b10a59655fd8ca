/**
 * `pipeline` as a CoreML ML Program: the shipped decoder's and joint's operations in one program,
 * the decoder's `decoder` output feeding the joint's `decoder_step` (the same ops, so bit-identical
 * decisions). Joint variables and op names that collide with the decoder's get a `joint_` prefix.
 */
import { decodeVariants, variantFileName } from '@eou/rnnt-decode';
import type { CoreMLModel, FeatureDescription, MilFunction, MilOperation } from '@eou/coreml-format';
import { mainFunction, milString, milStringAttribute } from '@eou/coreml-format';
import { VariantKind } from '../variants/variantKind';
import type { CoreMLVariant, MlProgramModel } from './coremlVariantBase';
import { provenanceMetadata } from './coremlProvenance';
import { milDecoderJointWeights } from './milDecoderJointWeights';

/** `name`, else `joint_name`, `joint_name_1`, ...: the first one not in `taken` (added to it). */
function unique(name: string, taken: Set<string>): string {
  let n = name;
  for (let k = 0; taken.has(n); k++) n = k === 0 ? `joint_${name}` : `joint_${name}_${k}`;
  taken.add(n);
  return n;
}

/** The joint's operations renamed into the decoder's namespace, `decoder_step` read from `decoder`. */
function jointOperations(df: MilFunction, jf: MilFunction): { ops: MilOperation[]; outputs: string[] } {
  const taken = new Set<string>([
    ...df.inputs.map((i) => i.name),
    ...df.operations.flatMap((o) => o.outputs.map((x) => x.name)),
  ]);
  const rename = new Map<string, string>([['decoder_step', 'decoder']]);
  for (const op of jf.operations) {
    for (const o of op.outputs) {
      const n = unique(o.name, taken);
      if (n !== o.name) rename.set(o.name, n);
    }
  }
  const r = (n: string) => rename.get(n) ?? n;
  // op `name` attributes must stay unique across the merged program
  const opNames = new Set(df.operations.map((o) => milStringAttribute(o.attributes, 'name') ?? ''));
  const opName = (op: MilOperation): string =>
    unique(milStringAttribute(op.attributes, 'name') ?? op.outputs[0]?.name ?? op.type, opNames);
  const ops = jf.operations.map((op) => ({
    ...op,
    inputs: op.inputs.map((a) => ({
      ...a,
      bindings: a.bindings.map((b) => (b.kind === 'name' ? { kind: 'name' as const, name: r(b.name) } : b)),
    })),
    outputs: op.outputs.map((o) => ({ ...o, name: r(o.name) })),
    attributes: op.attributes.map((a) => (a.name === 'name' ? { ...a, value: milString(opName(op)) } : a)),
  }));
  return { ops, outputs: jf.outputs.map(r) };
}

/**
 * The pipeline package model from a shipped `.mlmodelc`/`.mlpackage` pair, with provenance
 * metadata.
 * @throws FusionError `E_CONVERT` naming the model when the pair is not a decoder and a joint.
 */
export function pipelineMlProgramFromPair(decoder: CoreMLModel, joint: CoreMLModel): MlProgramModel {
  milDecoderJointWeights(decoder, joint); // the pair must be a decoder and a joint
  const df = mainFunction(decoder.program, decoder.path);
  const jf = mainFunction(joint.program, joint.path);
  const merged = jointOperations(df, jf);
  const decoderStates = df.outputs.filter((o) => o !== 'decoder');
  const fn: MilFunction = {
    name: 'main',
    opset: df.opset,
    inputs: [...df.inputs, ...jf.inputs.filter((i) => i.name !== 'decoder_step')],
    attributes: [],
    operations: [...df.operations, ...merged.ops],
    outputs: [...merged.outputs, ...decoderStates],
  };
  const byName = (list: readonly FeatureDescription[], n: string) => list.find((f) => f.name === n);
  return {
    specificationVersion: Math.max(decoder.specificationVersion, joint.specificationVersion, 8),
    description: {
      inputs: [
        ...decoder.description.inputs,
        ...joint.description.inputs.filter((i) => i.name !== 'decoder_step'),
      ],
      outputs: [
        ...jf.outputs.map((o) => byName(joint.description.outputs, o)),
        ...decoderStates.map((o) => byName(decoder.description.outputs, o)),
      ].filter((f): f is FeatureDescription => f !== undefined),
      states: [],
      metadata: {
        author: '@eou/fusion',
        shortDescription: 'Parakeet EOU decoder + joint decision as one program (pipeline variant).',
        userDefined: provenanceMetadata(VariantKind.Pipeline, decoder, joint),
      },
    },
    program: { version: '1.0', attributes: [], functions: [fn] },
  };
}

export const pipelineCoreMLVariant: CoreMLVariant = {
  kind: VariantKind.Pipeline,
  description: "the decoder's and joint's operations in one ML Program, boundary intact",
  fileName: variantFileName(decodeVariants.pipeline, 'fused', 'mlpackage'),
  build: pipelineMlProgramFromPair,
};
