/**
 * The obviously-correct reference loop the property tests compare against: seed-system.md §2.1
 * (production, `stop-chunk`) and §2.3 (harness, `reset`) written out plainly with number arrays,
 * calling the hash model's scalar functions. No buffers, no caching, no batching. For the
 * stateless kind the prediction net reads the last K tokens instead of (last token, h, c); the
 * context starts as sherpa-onnx's `[-1, ..., -1, blank]`, an emission shifts its token in, a
 * reset restores the start.
 */
import { decideRow, E, ids, predictContextRow, predictRow, startContext, type HashParams } from './models';

export interface RefChunk {
  count: number;
  validOutLen?: number;
  skipFrames?: number;
}

export interface RefOptions {
  maxSymbolsPerFrame: number;
  eouPolicy: 'stop-chunk' | 'reset';
  /** The model kind; `stateless` uses the context net (default: the LSTM net). */
  kind?: string;
  /** Stateless kind: tokens of context (default 2). */
  contextSize?: number;
  /** The config has no EOU token: the hash model's EOU id is an ordinary token. */
  noEou?: boolean;
  /** An id decoded as blank (sherpa-onnx's `<unk>`). */
  unkId?: number | undefined;
}

export interface RefResult {
  tokens: number[];
  frames: number[];
  probs: number[];
  eouFrames: number[];
  steps: number;
  /** Prediction-net runs a `cache` loop needs: after start, each emission and each reset. */
  cachedPredicts: number;
}

export function referenceDecode(
  p: HashParams,
  frames: Float32Array,
  chunks: readonly RefChunk[],
  o: RefOptions,
): RefResult {
  const { blankId } = ids(p);
  const eouId = o.noEou === true ? -1 : ids(p).eouId;
  let last = blankId;
  let h = [0, 0];
  let c = [0, 0];
  const stateless = o.kind === 'stateless';
  const start = startContext(p, o.contextSize ?? 2);
  let context = start;
  let valid = false;
  const out: RefResult = { tokens: [], frames: [], probs: [], eouFrames: [], steps: 0, cachedPredicts: 0 };
  let first = 0; // index of the chunk's frame 0 in `frames`
  let offset = 0; // global index of the chunk's frame 0
  for (const chunk of chunks) {
    const maxT = Math.min(chunk.validOutLen ?? chunk.count, chunk.count);
    const startT = Math.min(chunk.skipFrames ?? 0, maxT);
    frameLoop: for (let t = startT; t < maxT; t++) {
      const enc = [frames[(first + t) * E]!, frames[(first + t) * E + 1]!];
      let added = 0;
      while (added < o.maxSymbolsPerFrame) {
        const [dec, h2, c2] = stateless ? [predictContextRow(p, context)] : predictRow(p, last, h, c);
        if (!valid) out.cachedPredicts++;
        valid = true;
        const [token, prob] = decideRow(p, enc, dec!);
        out.steps++;
        if (token === blankId || token === o.unkId) break;
        if (token === eouId) {
          out.eouFrames.push(offset + t);
          if (o.eouPolicy === 'stop-chunk') break frameLoop;
          out.tokens.push(token);
          out.frames.push(offset + t);
          out.probs.push(prob);
          last = blankId;
          h = [0, 0];
          c = [0, 0];
          context = start;
          valid = false;
          break;
        }
        out.tokens.push(token);
        out.frames.push(offset + t);
        out.probs.push(prob);
        last = token;
        h = h2!;
        c = c2!;
        context = [...context.slice(1), token];
        valid = false;
        added++;
      }
    }
    first += chunk.count;
    offset += chunk.validOutLen ?? chunk.count;
  }
  return out;
}
