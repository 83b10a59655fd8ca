/**
 * The obviously-correct reference loop the property tests compare against: seed-system.md §2.1
 * (production, `stop-chunk`) and §2.3 (harness, `reset`) written out plainly with number arrays,
 * calling the hash model's scalar functions. No buffers, no caching, no batching.
 */
import { decideRow, E, ids, predictRow, type HashParams } from './models';

export interface RefChunk {
  count: number;
  validOutLen?: number;
  skipFrames?: number;
}

export interface RefOptions {
  maxSymbolsPerFrame: number;
  eouPolicy: 'stop-chunk' | 'reset';
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
  const { blankId, eouId } = ids(p);
  let last = blankId;
  let h = [0, 0];
  let c = [0, 0];
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
        const [dec, h2, c2] = predictRow(p, last, h, c);
        if (!valid) out.cachedPredicts++;
        valid = true;
        const [token, prob] = decideRow(p, enc, dec!);
        out.steps++;
        if (token === blankId) break;
        if (token === eouId) {
          out.eouFrames.push(offset + t);
          if (o.eouPolicy === 'stop-chunk') break frameLoop;
          out.tokens.push(token);
          out.frames.push(offset + t);
          out.probs.push(prob);
          last = blankId;
          h = [0, 0];
          c = [0, 0];
          valid = false;
          break;
        }
        out.tokens.push(token);
        out.frames.push(offset + t);
        out.probs.push(prob);
        last = token;
        h = h2!;
        c = c2!;
        valid = false;
        added++;
      }
    }
    first += chunk.count;
    offset += chunk.validOutLen ?? chunk.count;
  }
  return out;
}
