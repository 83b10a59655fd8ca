/** The split kind (`ref`, `cached`): the prediction net (only when needed) then the joint. */
import type { DecodeEngine } from '../decodeEngine';
import { notSync } from '../rnntDecodeError';
import type { SplitStepModel } from '../stepModels';
import { commitCandidate, neededRows, NoProjection, tookRows, type KindSteps } from './kindSteps';

export class SplitSteps extends NoProjection implements KindSteps {
  stepSync(e: DecodeEngine, enc: Float32Array): void {
    const model = e.model as SplitStepModel;
    const state = e.state;
    if (e.single ? !e.cache || state.predValid[0] === 0 : neededRows(e)) {
      const predicted = model.predict(state.lastToken, state.h, state.c, e.target);
      if (predicted !== undefined) notSync('predict', predicted);
      e.stats.predictCalls++;
      if (e.single) state.predValid[0] = 1;
      else tookRows(e);
    }
    const joined = model.joint(enc, state.pred.decoder, e.out);
    if (joined !== undefined) notSync('joint', joined);
    e.stats.jointCalls++;
  }

  async stepAsync(e: DecodeEngine, enc: Float32Array): Promise<void> {
    const model = e.model as SplitStepModel;
    const state = e.state;
    if (e.single ? !e.cache || state.predValid[0] === 0 : neededRows(e)) {
      await model.predict(state.lastToken, state.h, state.c, e.target);
      e.stats.predictCalls++;
      if (e.single) state.predValid[0] = 1;
      else tookRows(e);
    }
    await model.joint(enc, state.pred.decoder, e.out);
    e.stats.jointCalls++;
  }

  commit(e: DecodeEngine, row: number): void {
    commitCandidate(e, e.state.pred, row);
  }

  candidate(e: DecodeEngine) {
    return e.state.pred;
  }
}
