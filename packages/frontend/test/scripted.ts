/**
 * Scripted models for the transcriber tests: an encoder session whose output frames come from a
 * script indexed by call, and the split step model of the rnnt-decode README (each encoder frame
 * holds the token the joint emits; once it is the last token emitted, the joint says blank).
 */
import type { Session, SplitStepModel, TensorMap } from '@eou/rnnt-decode';

export const BLANK = 9;
export const EOU = 8;

/** An encoder taking `[1, bins, frames]` and giving `[1, 1, outFrames]`: call k gives `script(k, features)`. */
export function scriptedEncoder(
  bins: number,
  frames: number | 'T',
  outFrames: number | 'T_out',
  script: (call: number, features: Float32Array, dims: readonly number[]) => number[],
  seen: Float32Array[] = [],
): Session {
  return {
    path: 'scripted-encoder.onnx',
    inputs: [
      { name: 'features', dtype: 'float32', shape: [1, bins, frames] },
      { name: 'calls', dtype: 'int32', shape: [1] },
    ],
    outputs: [
      { name: 'encoded', dtype: 'float32', shape: [1, 1, outFrames] },
      { name: 'new_calls', dtype: 'int32', shape: [1] },
    ],
    isSync: true,
    run(feeds: TensorMap): TensorMap {
      const call = (feeds['calls']!.data as Int32Array)[0]!;
      const f = feeds['features']!;
      seen.push((f.data as Float32Array).slice());
      const out = script(call, f.data as Float32Array, f.dims);
      return {
        encoded: { dtype: 'float32', dims: [1, 1, out.length], data: Float32Array.from(out) },
        new_calls: { dtype: 'int32', dims: [1], data: Int32Array.of(call + 1) },
      };
    },
    close() {},
  };
}

export const scriptedDecoder: SplitStepModel = {
  kind: 'split',
  isSync: true,
  hiddenSize: 1,
  encoderDim: 1,
  vocabSize: 10,
  maxBatch: 1,
  predict(tokens, h, c, out) {
    out.decoder[0] = tokens[0]!;
    out.h[0] = h[0]! + 1;
    out.c[0] = c[0]!;
  },
  joint(frame, decoder, out) {
    out.tokens[0] = frame[0] === decoder[0] ? BLANK : frame[0]!;
    out.probs[0] = 1;
  },
};
