/**
 * The projected kind: the encoder projection once per row and run, the prediction net
 * (projected) only when needed, then the joint after projection.
 */
import type { DecodeEngine } from '../decodeEngine';
import type { ProjectedStepModel } from '../stepModels';
import { notSync } from '../rnntDecodeError';
import { PredictingSteps, type KindSteps } from './kindSteps';

export class ProjectedSteps extends PredictingSteps implements KindSteps {
  override readonly projects: boolean = true;

  stepSync(e: DecodeEngine, enc: Float32Array): void {
    const model = e.model as ProjectedStepModel;
    const state = e.state;
    if (!e.cache || state.predValid[0] === 0) {
      const predicted = model.predict(state.lastToken, state.h, state.c, e.target);
      if (predicted !== undefined) notSync('predict', predicted);
      e.stats.predictCalls++;
      state.predValid[0] = 1;
    }
    const decided = model.jointProjected(enc, state.pred.decoder, e.out);
    if (decided !== undefined) notSync('joint', decided);
    e.stats.jointCalls++;
  }

  override projection(
    e: DecodeEngine,
    row: number,
    frames: Float32Array,
    start: number,
    end: number,
  ): void | Promise<void> {
    const J = e.width;
    if (e.projections[row]!.length < end * J) e.projections[row] = new Float32Array(end * J);
    const E = e.model.encoderDim;
    return (e.model as ProjectedStepModel).projectEncoder(
      frames.subarray(start * E, end * E),
      end - start,
      e.projections[row]!.subarray(start * J, end * J),
    );
  }

  prediction(e: DecodeEngine): void | Promise<void> {
    const state = e.state;
    return (e.model as ProjectedStepModel).predict(state.lastToken, state.h, state.c, e.target);
  }

  decision(e: DecodeEngine, enc: Float32Array): void | Promise<void> {
    return (e.model as ProjectedStepModel).jointProjected(enc, e.state.pred.decoder, e.out);
  }
}
