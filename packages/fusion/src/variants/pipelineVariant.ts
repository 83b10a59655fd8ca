/**
 * `pipeline`: the shipped decoder and joint_decision composed into one graph and nothing else
 * changed. Every node, initializer and intermediate value keeps its content under a `decoder/` or
 * `joint/` prefix; the decoder's `decoder` output is wired to the joint's `decoder_step`, so the
 * boundary (Squeeze, Transposes, fp16 round trip, Reshape) runs exactly as in the two files.
 * Inputs: `targets`, `target_length`, `h_in`, `c_in`, `encoder_step`; outputs: the joint's
 * (`token_id`, `token_prob`, `top_k_ids`, `top_k_logits`) then `h_out`, `c_out`.
 */
import { decodeVariants, variantFileName } from '@eou/rnnt-decode';
import type { Graph, GraphNode, TensorValue, ValueInfo } from '@eou/graph';
import { FusionError } from '../fusionError';
import type { BuildableVariant } from './variantBase';
import { VariantKind } from './variantKind';
import { variantModel } from './variantModel';

/** File name of the pipeline variant in a model directory. */
export const pipelineFileName = variantFileName(decodeVariants.pipeline, 'fused', 'onnx');

function renamer(prefix: string, keep: ReadonlySet<string>, wire: ReadonlyMap<string, string>) {
  return (name: string): string => {
    if (name === '') return '';
    const wired = wire.get(name);
    if (wired !== undefined) return wired;
    return keep.has(name) ? name : `${prefix}${name}`;
  };
}

function renameGraph(
  graph: Graph,
  rename: (n: string) => string,
  prefix: string,
): { nodes: GraphNode[]; valueInfo: ValueInfo[] } {
  // ONNX allows unnamed nodes, but two prefixed empty names would collide in the composed graph.
  const nodes = graph.nodes.map((n, i) => ({
    ...n,
    name: `${prefix}${n.name === '' ? `${n.opType}_${i}` : n.name}`,
    inputs: n.inputs.map(rename),
    outputs: n.outputs.map(rename),
  }));
  const valueInfo = (graph.valueInfo ?? []).map((v) => ({ ...v, name: rename(v.name) }));
  return { nodes, valueInfo };
}

/**
 * Composes a decoder and a joint_decision graph.
 * @param files the source paths, for messages.
 * @throws FusionError when the decoder has no `decoder` output or the joint no `decoder_step` input.
 */
export function buildPipelineGraph(
  decoder: Graph,
  joint: Graph,
  files: { decoder: string; joint: string },
): Graph {
  if (!decoder.outputs.some((v) => v.name === 'decoder')) {
    throw new FusionError(`${files.decoder}: missing output \`decoder\``, 'E_MISSING_TENSOR', {
      file: files.decoder,
      field: 'decoder',
    });
  }
  if (!joint.inputs.some((v) => v.name === 'decoder_step')) {
    throw new FusionError(`${files.joint}: missing input \`decoder_step\``, 'E_MISSING_TENSOR', {
      file: files.joint,
      field: 'decoder_step',
    });
  }
  const link = 'decoder/decoder';
  const keepDecoder = new Set([
    ...decoder.inputs.map((v) => v.name),
    ...decoder.outputs.map((v) => v.name).filter((n) => n !== 'decoder'),
  ]);
  const keepJoint = new Set([
    ...joint.inputs.map((v) => v.name).filter((n) => n !== 'decoder_step'),
    ...joint.outputs.map((v) => v.name),
  ]);
  for (const name of keepJoint) {
    if (keepDecoder.has(name)) {
      throw new FusionError(
        `${files.joint}: \`${name}\` is also a name of ${files.decoder}'s interface; cannot compose`,
        'E_UNEXPECTED_GRAPH',
        { file: files.joint, field: name },
      );
    }
  }
  const d = renameGraph(decoder, renamer('decoder/', keepDecoder, new Map([['decoder', link]])), 'decoder/');
  const j = renameGraph(joint, renamer('joint/', keepJoint, new Map([['decoder_step', link]])), 'joint/');
  const initializers = new Map<string, TensorValue>();
  for (const [n, t] of decoder.initializers) initializers.set(keepDecoder.has(n) ? n : `decoder/${n}`, t);
  for (const [n, t] of joint.initializers) initializers.set(keepJoint.has(n) ? n : `joint/${n}`, t);
  const decOutputs = decoder.outputs.filter((v) => v.name !== 'decoder');
  return {
    name: decodeVariants.pipeline.stems.fused!,
    inputs: [...decoder.inputs, ...joint.inputs.filter((v) => v.name !== 'decoder_step')],
    outputs: [...joint.outputs, ...decOutputs],
    initializers,
    nodes: [...d.nodes, ...j.nodes],
    valueInfo: [...d.valueInfo, ...j.valueInfo],
  };
}

export const pipelineVariant: BuildableVariant = {
  kind: VariantKind.Pipeline,
  description: 'decoder and joint_decision composed into one graph, boundary kept exactly',
  files: [pipelineFileName],
  predictionPolicy: 'recompute',
  buildable: true,
  build(input) {
    const graph = buildPipelineGraph(input.decoder.graph, input.joint.graph, {
      decoder: input.sources.decoder.file,
      joint: input.sources.joint.file,
    });
    return [{ fileName: pipelineFileName, model: variantModel(VariantKind.Pipeline, 'fused', graph, input) }];
  },
};
