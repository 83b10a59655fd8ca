/** The split kind (`ref`, `cached`): the prediction net (only when needed) then the joint. */
import type { DecodeEngine } from '../decodeEngine';
import type { SplitStepModel } from '../stepModels';
import { notSync } from '../rnntDecodeError';
import { PredictingSteps, type KindSteps } from './kindSteps';

export class SplitSteps extends PredictingSteps implements KindSteps {
  stepSync(e: DecodeEngine, enc: Float32Array): void {
    const model = e.model as SplitStepModel;
    const state = e.state;
    if (!e.cache || state.predValid[0] === 0) {
      const predicted = model.predict(state.lastToken, state.h, state.c, e.target);
      if (predicted !== undefined) notSync('predict', predicted);
      e.stats.predictCalls++;
      state.predValid[0] = 1;
    }
    const decided = model.joint(enc, state.pred.decoder, e.out);
    if (decided !== undefined) notSync('joint', decided);
    e.stats.jointCalls++;
  }

  /** Several rows run the prediction net on the rows that need it only, packed (see `PredictionPack`). */
  prediction(e: DecodeEngine): void | Promise<void> {
    const state = e.state;
    if (e.single) return (e.model as SplitStepModel).predict(state.lastToken, state.h, state.c, e.target);
    const p = e.packPrediction();
    return (e.model as SplitStepModel).predict(p.tokens, p.h, p.c, p.out);
  }

  override afterPrediction(e: DecodeEngine): void {
    if (!e.single) e.unpackPrediction();
    super.afterPrediction(e);
  }

  decision(e: DecodeEngine, enc: Float32Array): void | Promise<void> {
    return (e.model as SplitStepModel).joint(enc, e.state.pred.decoder, e.out);
  }
}
