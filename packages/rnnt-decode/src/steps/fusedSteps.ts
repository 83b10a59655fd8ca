/** The fused kind (`pipeline`, `lean`, `lean-topk`): prediction net and joint in one call per step. */
import type { DecodeEngine } from '../decodeEngine';
import { notSync } from '../rnntDecodeError';
import type { FusedStepModel } from '../stepModels';
import type { KindSteps } from './kindSteps';

export class FusedSteps implements KindSteps {
  readonly projects: boolean = false;

  /** The fused step computes the prediction itself, every step. */
  needsPrediction(): boolean {
    return false;
  }

  prediction(): void {}

  afterPrediction(): void {}

  stepSync(e: DecodeEngine, enc: Float32Array): void {
    const state = e.state;
    const stepped = (e.model as FusedStepModel).step(state.lastToken, state.h, state.c, enc, e.fusedOut);
    if (stepped !== undefined) notSync('step', stepped);
    e.stats.stepCalls++;
  }

  stepRowsSync(e: DecodeEngine, enc: Float32Array): void {
    this.stepSync(e, enc); // one call for all rows either way
  }

  decision(e: DecodeEngine, enc: Float32Array): void | Promise<void> {
    const state = e.state;
    return (e.model as FusedStepModel).step(state.lastToken, state.h, state.c, enc, e.fusedOut);
  }

  afterDecision(e: DecodeEngine): void {
    e.stats.stepCalls++;
  }

  projection(): void {}
}
