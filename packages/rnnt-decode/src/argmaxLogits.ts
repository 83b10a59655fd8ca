/**
 * The joint's decision from logits, on the host (for joints that return `logit` [B,V] instead of
 * a token and its probability, as sherpa-onnx / icefall joiners do): the argmax, the first maximal
 * index winning (as `std::max_element` in sherpa-onnx's greedy search and numpy's `argmax`), and
 * its softmax probability `1 / sum_j exp(l_j - l_max)`, summed in float64.
 */
import { RnntDecodeError } from './rnntDecodeError';
import type { JointOutput } from './stepModels';

/**
 * Writes each row's argmax token and its softmax probability.
 * @param logits [rows*vocabSize] row-major
 * @param out `tokens[r]`, `probs[r]` for r < rows
 * @param file named in the error, for a joint whose logits are NaN
 * @throws RnntDecodeError `E_CONTRACT` when a row's logits hold a NaN (no token can be chosen)
 */
export function argmaxLogits(
  logits: ArrayLike<number>,
  rows: number,
  vocabSize: number,
  out: JointOutput,
  file = 'joint',
): void {
  for (let r = 0; r < rows; r++) {
    const at = r * vocabSize;
    let best = 0;
    let max = logits[at]!;
    for (let j = 1; j < vocabSize; j++) {
      const v = logits[at + j]!;
      if (v > max) {
        max = v;
        best = j;
      }
    }
    let sum = 0;
    for (let j = 0; j < vocabSize; j++) sum += Math.exp(logits[at + j]! - max);
    if (Number.isNaN(sum)) {
      throw new RnntDecodeError(
        'E_CONTRACT',
        `${file}: output \`logit\` row ${r} holds NaN, no token can be chosen`,
        {
          file,
          field: 'logit',
        },
      );
    }
    out.tokens[r] = best;
    out.probs[r] = 1 / sum;
  }
}
