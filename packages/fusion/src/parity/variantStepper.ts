/**
 * One RNNT step of any variant, with every output the parity tools compare: token, probability,
 * next state and, when the variant has the head, the top-k ids and logits. Runs on the session
 * contract of `@eou/rnnt-decode`, so any runtime that implements it can be compared; the caller
 * passes the function that opens a session (ONNX Runtime in the CLI and the tests).
 */
import { join } from 'node:path';
import type { Session, Tensor, TensorMap } from '@eou/rnnt-decode';
import { FusionError } from '../fusionError';
import { fromFloat16Array } from '../reference/fp16';
import { projectedFileNames } from '../variants/projectedVariant';
import { splitFileNames } from '../variants/refVariant';
import { variantOf } from '../variants/variant';

/** What one step returns. Arrays are fresh copies owned by the caller. */
export interface StepResult {
  readonly token: number;
  readonly prob: number;
  /** [H] next hidden state (row 0). */
  readonly h: Float32Array;
  /** [H] next cell state. */
  readonly c: Float32Array;
  /** [K] top-k ids, descending logit, when the variant has the head. */
  readonly topKIds?: Int32Array;
  /** [K] their logits. */
  readonly topKLogits?: Float32Array;
}

/** A variant that can be stepped from any (token, h, c, encoder frame). */
export interface VariantStepper {
  readonly name: string;
  readonly hiddenSize: number;
  readonly encoderDim: number;
  /** True when steps return top-k ids and logits. */
  readonly hasTopK: boolean;
  step(token: number, h: Float32Array, c: Float32Array, enc: Float32Array): Promise<StepResult>;
  close(): Promise<void>;
}

/** Opens one model file as a contract session. */
export type OpenSession = (path: string) => Promise<Session>;

function floats(t: Tensor | undefined, file: string, name: string): Float32Array {
  if (!t)
    throw new FusionError(`${file}: output \`${name}\` missing from the run's results`, 'E_MISSING_TENSOR', {
      file,
      field: name,
    });
  if (t.dtype === 'float32') return (t.data as Float32Array).slice();
  if (t.dtype === 'float16') return fromFloat16Array(t.data as Uint16Array);
  throw new FusionError(`${file}: output \`${name}\` is ${t.dtype}, expected float32 or float16`, 'E_DTYPE', {
    file,
    field: name,
  });
}

function ints(t: Tensor | undefined, file: string, name: string): Int32Array {
  if (!t)
    throw new FusionError(`${file}: output \`${name}\` missing from the run's results`, 'E_MISSING_TENSOR', {
      file,
      field: name,
    });
  if (t.dtype === 'int32') return (t.data as Int32Array).slice();
  if (t.dtype === 'int64') return Int32Array.from(t.data as BigInt64Array, Number);
  throw new FusionError(`${file}: output \`${name}\` is ${t.dtype}, expected int32`, 'E_DTYPE', {
    file,
    field: name,
  });
}

const f32 = (data: Float32Array, dims: number[]): Tensor => ({ dtype: 'float32', dims, data });
const i32 = (values: number[], dims: number[]): Tensor => ({
  dtype: 'int32',
  dims,
  data: Int32Array.from(values),
});

function dimOf(session: Session, input: string, axis: number): number {
  const d = session.inputs.find((i) => i.name === input)?.shape[axis];
  if (typeof d !== 'number' || d <= 0) {
    throw new FusionError(
      `${session.path}: input \`${input}\` needs a static size on axis ${axis}, got ${String(d)}`,
      'E_SHAPE',
      {
        file: session.path,
        field: input,
      },
    );
  }
  return d;
}

function decision(out: TensorMap, file: string, h: Float32Array, c: Float32Array): StepResult {
  const hasTopK = out['top_k_ids'] !== undefined && out['top_k_logits'] !== undefined;
  return {
    token: ints(out['token_id'], file, 'token_id')[0]!,
    prob: floats(out['token_prob'], file, 'token_prob')[0]!,
    h,
    c,
    ...(hasTopK
      ? {
          topKIds: ints(out['top_k_ids'], file, 'top_k_ids'),
          topKLogits: floats(out['top_k_logits'], file, 'top_k_logits'),
        }
      : {}),
  };
}

/**
 * Opens variant `name` of a model directory for stepping (`ref`/`cached`: decoder then joint;
 * `pipeline`/`lean`/`lean-topk`: one fused call; `projected`: its three graphs, the encoder
 * projection run on the one frame).
 * @throws FusionError `E_VARIANT` for an unknown name; whatever `openSession` throws for a missing file.
 */
export async function openVariantStepper(
  modelDir: string,
  name: string,
  openSession: OpenSession,
): Promise<VariantStepper> {
  const variant = variantOf(name);
  const sessions: Session[] = [];
  const open = async (file: string) => {
    const s = await openSession(join(modelDir, file));
    sessions.push(s);
    return s;
  };
  const close = async () => {
    for (const s of sessions.splice(0)) await s.close();
  };
  try {
    if (variant.kind === 'ref' || variant.kind === 'cached') {
      const decoder = await open(splitFileNames.decoder);
      const joint = await open(splitFileNames.joint);
      const H = dimOf(decoder, 'h_in', 2);
      const E = dimOf(joint, 'encoder_step', 1);
      return {
        name,
        hiddenSize: H,
        encoderDim: E,
        hasTopK: joint.outputs.some((o) => o.name === 'top_k_ids'),
        async step(token, h, c, enc) {
          const d = await decoder.run({
            targets: i32([token], [1, 1]),
            target_length: i32([1], [1]),
            h_in: f32(h, [1, 1, H]),
            c_in: f32(c, [1, 1, H]),
          });
          const dec = floats(d['decoder'], decoder.path, 'decoder');
          const j = await joint.run({ encoder_step: f32(enc, [1, E, 1]), decoder_step: f32(dec, [1, H, 1]) });
          return decision(
            j,
            joint.path,
            floats(d['h_out'], decoder.path, 'h_out'),
            floats(d['c_out'], decoder.path, 'c_out'),
          );
        },
        close,
      };
    }
    if (variant.kind === 'projected') {
      const encoder = await open(projectedFileNames.encoder);
      const decoder = await open(projectedFileNames.decoder);
      const joint = await open(projectedFileNames.joint);
      const H = dimOf(decoder, 'h_in', 2);
      const E = dimOf(encoder, 'encoder_frames', 1);
      const J = dimOf(joint, 'encoder_projected', 1);
      return {
        name,
        hiddenSize: H,
        encoderDim: E,
        hasTopK: false,
        async step(token, h, c, enc) {
          const d = await decoder.run({
            targets: i32([token], [1, 1]),
            h_in: f32(h, [1, 1, H]),
            c_in: f32(c, [1, 1, H]),
          });
          const e = await encoder.run({ encoder_frames: f32(enc, [1, E]) });
          const j = await joint.run({
            encoder_projected: f32(floats(e['encoder_projected'], encoder.path, 'encoder_projected'), [1, J]),
            decoder_projected: f32(floats(d['decoder_projected'], decoder.path, 'decoder_projected'), [1, J]),
          });
          return decision(
            j,
            joint.path,
            floats(d['h_out'], decoder.path, 'h_out'),
            floats(d['c_out'], decoder.path, 'c_out'),
          );
        },
        close,
      };
    }
    const fused = await open(variant.files[0]!);
    const H = dimOf(fused, 'h_in', 2);
    const E = dimOf(fused, 'encoder_step', 1);
    const wantsLength = fused.inputs.some((i) => i.name === 'target_length');
    return {
      name,
      hiddenSize: H,
      encoderDim: E,
      hasTopK: fused.outputs.some((o) => o.name === 'top_k_ids'),
      async step(token, h, c, enc) {
        const feeds: TensorMap = {
          targets: i32([token], [1, 1]),
          h_in: f32(h, [1, 1, H]),
          c_in: f32(c, [1, 1, H]),
          encoder_step: f32(enc, [1, E, 1]),
        };
        if (wantsLength) feeds['target_length'] = i32([1], [1]);
        const out = await fused.run(feeds);
        return decision(
          out,
          fused.path,
          floats(out['h_out'], fused.path, 'h_out'),
          floats(out['c_out'], fused.path, 'c_out'),
        );
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
