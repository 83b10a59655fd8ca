/**
 * Small synthetic sherpa-onnx / icefall directories for the error cases: graphs with the right
 * signatures and metadata (their nodes are identities; only signatures are read), tokens.txt, and
 * knobs that break one thing at a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder, writeOnnx, type DType } from '@eou/graph';

export interface SherpaDirOptions {
  readonly encoderMeta?: Record<string, string>;
  readonly decoderMeta?: Record<string, string>;
  readonly vocabSize?: number;
  readonly tokens?: number;
  readonly encoders?: readonly string[];
  readonly decoders?: readonly string[];
  readonly joiners?: readonly string[];
  readonly withTokens?: boolean;
  /** Name of the encoder's state output (default `new_s`). */
  readonly stateOutput?: string;
}

function graph(
  name: string,
  inputs: [string, DType, (number | string)[]][],
  outputs: [string, DType, (number | string)[]][],
  metadata: Record<string, string>,
): Uint8Array {
  const b = new GraphBuilder(name);
  const ins = inputs.map(([n, d, s]) => b.input(n, d, s));
  outputs.forEach(([n, d, s], i) => {
    b.identity(ins[Math.min(i, ins.length - 1)]!, n);
    b.output(n, d, s);
  });
  return writeOnnx({ ...b.toModel({ producerName: 'model-dir test' }), metadata });
}

/** Writes a sherpa-onnx directory into `dir` (created). */
export function writeSherpaDir(dir: string, o: SherpaDirOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const V = o.vocabSize ?? 6;
  const enc = graph(
    'encoder',
    [
      ['x', 'float32', [1, 45, 80]],
      ['s', 'float32', [2, 3]],
    ],
    [
      ['encoder_out', 'float32', [1, 8, 16]],
      [o.stateOutput ?? 'new_s', 'float32', [2, 3]],
    ],
    o.encoderMeta ?? { model_type: 'zipformer2', T: '45', decode_chunk_len: '32' },
  );
  const dec = graph(
    'decoder',
    [['y', 'int64', ['N', 2]]],
    [['decoder_out', 'float32', ['N', 16]]],
    o.decoderMeta ?? { context_size: '2', vocab_size: String(V) },
  );
  const jnt = graph(
    'joiner',
    [
      ['encoder_out', 'float32', ['N', 16]],
      ['decoder_out', 'float32', ['N', 16]],
    ],
    [['logit', 'float32', ['N', V]]],
    {},
  );
  for (const n of o.encoders ?? ['encoder.onnx']) writeFileSync(join(dir, n), enc);
  for (const n of o.decoders ?? ['decoder.onnx', 'decoder.int8.onnx']) writeFileSync(join(dir, n), dec);
  for (const n of o.joiners ?? ['joiner.onnx', 'joiner.int8.onnx']) writeFileSync(join(dir, n), jnt);
  if (o.withTokens !== false) {
    const lines = Array.from({ length: o.tokens ?? V }, (_, i) => `${i === 0 ? '<blk>' : `▁t${i}`} ${i}`);
    writeFileSync(join(dir, 'tokens.txt'), lines.join('\n') + '\n');
  }
  return dir;
}
