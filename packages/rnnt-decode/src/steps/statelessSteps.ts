/**
 * The stateless kind (sherpa-onnx / icefall transducers): the prediction net reads the row's last
 * K tokens (only when they changed, under `cache`), then the joint decides. There is no h or c to
 * commit: an emission shifts the token into the context.
 */
import type { DecodeEngine } from '../decodeEngine';
import { shiftContext } from '../decodeState';
import { notSync } from '../rnntDecodeError';
import type { StatelessStepModel } from '../stepModels';
import { neededRows, NoProjection, tookRows, type KindSteps } from './kindSteps';

export class StatelessSteps extends NoProjection implements KindSteps {
  stepSync(e: DecodeEngine, enc: Float32Array): void {
    const model = e.model as StatelessStepModel;
    const state = e.state;
    if (e.single ? !e.cache || state.predValid[0] === 0 : neededRows(e)) {
      const predicted = model.predict(state.context, e.target.decoder);
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
    const model = e.model as StatelessStepModel;
    const state = e.state;
    if (e.single ? !e.cache || state.predValid[0] === 0 : neededRows(e)) {
      await model.predict(state.context, e.target.decoder);
      e.stats.predictCalls++;
      if (e.single) state.predValid[0] = 1;
      else tookRows(e);
    }
    await model.joint(enc, state.pred.decoder, e.out);
    e.stats.jointCalls++;
  }

  commit(e: DecodeEngine, row: number, token: number): void {
    if (e.state.contextSize > 1) shiftContext(e.state, row, token);
  }

  candidate(): null {
    return null;
  }
}
