/**
 * Where a stateless (sherpa-onnx / icefall) joiner's input projections are. The `projected`
 * variant of the Parakeet contract hoists the joint's two input Linears out of the step; for a
 * stateless joiner that is only possible when the joiner holds them. icefall's ONNX export
 * already moves `encoder_proj` to the end of the encoder and `decoder_proj` to the end of the
 * prediction net, so its `joiner.onnx` is `output_linear(tanh(encoder_out + decoder_out))`: the
 * encoder projection runs once per frame inside the encoder, the decoder projection once per
 * context inside the prediction net, and nothing is left to hoist. This reads a joiner graph and
 * says which case it is, naming the Linear nodes that act on one input only.
 */
import type { Model } from '@eou/graph';
import { FusionError } from '../fusionError';

/** What {@link statelessJoinerProjections} found. */
export interface StatelessJoinerProjections {
  /** The first node that reads both inputs (icefall: `Add`). */
  readonly meetingNode: string;
  /** Linear nodes (`Gemm`, `MatMul`) that read `encoder_out` alone, in graph order. */
  readonly encoderProjection: readonly string[];
  /** Linear nodes that read `decoder_out` alone. */
  readonly decoderProjection: readonly string[];
  /** True when neither input is projected inside the joiner (the export hoisted both). */
  readonly hoisted: boolean;
}

const linearOps = new Set(['Gemm', 'MatMul', 'MatMulInteger']);

/**
 * @param file named in errors
 * @throws FusionError `E_JOINER` when the graph lacks `encoder_out` / `decoder_out` or never combines them
 */
export function statelessJoinerProjections(joiner: Model, file = 'joiner.onnx'): StatelessJoinerProjections {
  const inputs = ['encoder_out', 'decoder_out'] as const;
  for (const name of inputs) {
    if (!joiner.graph.inputs.some((i) => i.name === name))
      throw new FusionError(
        `${file}: no input \`${name}\` (a stateless joiner takes encoder_out and decoder_out)`,
        'E_JOINER',
        { file, field: name },
      );
  }
  // Which graph inputs each value depends on (ONNX nodes come in topological order).
  const deps = new Map<string, number>([
    ['encoder_out', 1],
    ['decoder_out', 2],
  ]);
  const found = { 1: [] as string[], 2: [] as string[] };
  for (const node of joiner.graph.nodes) {
    const mask = node.inputs.reduce((m, i) => m | (deps.get(i) ?? 0), 0);
    if (mask === 3) {
      return {
        meetingNode: node.name,
        encoderProjection: found[1],
        decoderProjection: found[2],
        hoisted: found[1].length === 0 && found[2].length === 0,
      };
    }
    if ((mask === 1 || mask === 2) && linearOps.has(node.opType)) found[mask].push(node.name);
    for (const o of node.outputs) deps.set(o, mask);
  }
  throw new FusionError(`${file}: no node combines encoder_out and decoder_out`, 'E_JOINER', {
    file,
    field: 'graph',
  });
}
