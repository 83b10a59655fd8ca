/**
 * Test-only: the zipformer fixture's stateless prediction net and joiner (sherpa-onnx / icefall
 * layout) as a `split` step model of `@eou/rnnt-decode`, which has no stateless port yet (issue 17
 * adds one). The context of the last two tokens rides in the `h` state: `h[0]` holds the token
 * before the last one, plus 1 (so the zero start state is icefall's start context `[-1, blank]`).
 * The joiner returns logits; the argmax (first maximum) and its softmax probability are taken here.
 */
import type { Session, SplitStepModel } from '@eou/rnnt-decode';

export function statelessTransducer(decoder: Session, joiner: Session): SplitStepModel {
  const D = 320;
  const V = 500;
  const y = new BigInt64Array(2);
  return {
    kind: 'split',
    isSync: true,
    hiddenSize: D,
    encoderDim: D,
    vocabSize: V,
    maxBatch: 1,
    predict(tokens, h, _c, out) {
      y[0] = BigInt(h[0]! - 1);
      y[1] = BigInt(tokens[0]!);
      const r = decoder.run({ y: { dtype: 'int64', dims: [1, 2], data: y } }) as Record<
        string,
        { data: Float32Array }
      >;
      out.decoder.set(r['decoder_out']!.data);
      out.h.fill(0);
      out.h[0] = tokens[0]! + 1;
    },
    joint(frame, dec, out) {
      const r = joiner.run({
        encoder_out: { dtype: 'float32', dims: [1, D], data: frame },
        decoder_out: { dtype: 'float32', dims: [1, D], data: dec },
      }) as Record<string, { data: Float32Array }>;
      const logits = r['logit']!.data;
      let best = 0;
      for (let k = 1; k < V; k++) if (logits[k]! > logits[best]!) best = k;
      let sum = 0;
      for (let k = 0; k < V; k++) sum += Math.exp(logits[k]! - logits[best]!);
      out.tokens[0] = best;
      out.probs[0] = 1 / sum;
    },
  };
}
