/**
 * Wraps a built graph into a model whose metadata says what built it and from which inputs, so a
 * fused file found in a model directory can be traced back to the exact decoder / joint pair.
 */
import type { Graph, Model } from '@eou/graph';
import { version } from '../version';
import type { VariantBuildInput } from './variantBase';
import type { VariantKind } from './variantKind';

/** Bumped whenever a builder's output for the same inputs changes. */
export const builderVersion = 1;

/** Metadata keys written on every built model. */
export const variantMetadataKeys = {
  kind: 'eou.kind',
  producer: 'eou.producer',
  variant: 'eou.variant',
  builderVersion: 'eou.builder_version',
  decoderSha256: 'eou.source.decoder.sha256',
  jointSha256: 'eou.source.joint_decision.sha256',
} as const;

/**
 * A model around `graph` for variant `kind`.
 * @param role the file's `eou.kind` (`fused` for single-step graphs, `projected_encoder`, ...).
 */
export function variantModel(
  kind: VariantKind,
  role: string,
  graph: Graph,
  input: VariantBuildInput,
  opset = input.weights.opset,
): Model {
  const k = variantMetadataKeys;
  return {
    graph,
    opsetImports: [{ domain: '', version: opset }],
    irVersion: Math.max(8, input.decoder.irVersion),
    producerName: '@eou/fusion',
    producerVersion: version,
    docString: `${kind} variant (${role}) built by @eou/fusion ${version} from decoder sha256 ${input.sources.decoder.sha256} and joint_decision sha256 ${input.sources.joint.sha256}`,
    metadata: {
      [k.kind]: role,
      [k.producer]: `@eou/fusion ${version} fuse --variant ${kind}`,
      [k.variant]: kind,
      [k.builderVersion]: String(builderVersion),
      [k.decoderSha256]: input.sources.decoder.sha256,
      [k.jointSha256]: input.sources.joint.sha256,
    },
  };
}
