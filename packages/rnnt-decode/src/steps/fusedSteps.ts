/** The fused kind (`pipeline`, `lean`, `lean-topk`): prediction net and joint in one call per step. */
import type { DecodeEngine } from '../decodeEngine';
import { notSync } from '../rnntDecodeError';
import type { FusedStepModel } from '../stepModels';
import { commitCandidate, NoProjection, type KindSteps } from './kindSteps';

export class FusedSteps extends NoProjection implements KindSteps {
  stepSync(e: DecodeEngine, enc: Float32Array): void {
    const state = e.state;
    const stepped = (e.model as FusedStepModel).step(state.lastToken, state.h, state.c, enc, e.fusedOut);
    if (stepped !== undefined) notSync('step', stepped);
    e.stats.stepCalls++;
  }

  async stepAsync(e: DecodeEngine, enc: Float32Array): Promise<void> {
    const state = e.state;
    await (e.model as FusedStepModel).step(state.lastToken, state.h, state.c, enc, e.fusedOut);
    e.stats.stepCalls++;
  }

  commit(e: DecodeEngine, row: number): void {
    commitCandidate(e, e.fusedOut, row);
  }

  candidate(e: DecodeEngine) {
    return e.fusedOut;
  }
}
