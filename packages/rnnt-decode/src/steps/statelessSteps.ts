/**
 * The stateless kind (sherpa-onnx / icefall transducers): the prediction net reads the row's last
 * K tokens (only when they changed, under `cache`), then the joint decides. It has no h or c (the
 * engine's commit swaps zero-width buffers), so an emission only shifts the context.
 */
import type { DecodeEngine } from '../decodeEngine';
import type { StatelessStepModel } from '../stepModels';
import { notSync } from '../rnntDecodeError';
import { PredictingSteps, type KindSteps } from './kindSteps';

export class StatelessSteps extends PredictingSteps implements KindSteps {
  stepSync(e: DecodeEngine, enc: Float32Array): void {
    const model = e.model as StatelessStepModel;
    const state = e.state;
    if (!e.cache || state.predValid[0] === 0) {
      const predicted = model.predict(state.context, e.target.decoder);
      if (predicted !== undefined) notSync('predict', predicted);
      e.stats.predictCalls++;
      state.predValid[0] = 1;
    }
    const decided = model.joint(enc, state.pred.decoder, e.out);
    if (decided !== undefined) notSync('joint', decided);
    e.stats.jointCalls++;
  }

  prediction(e: DecodeEngine): void | Promise<void> {
    return (e.model as StatelessStepModel).predict(e.state.context, e.target.decoder);
  }

  decision(e: DecodeEngine, enc: Float32Array): void | Promise<void> {
    return (e.model as StatelessStepModel).joint(enc, e.state.pred.decoder, e.out);
  }
}
