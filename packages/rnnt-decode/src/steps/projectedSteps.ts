/**
 * The projected kind: the encoder projection once per row and run, the prediction net
 * (projected) only when needed, then the joint after projection.
 */
import type { DecodeEngine } from '../decodeEngine';
import { notSync } from '../rnntDecodeError';
import type { ProjectedStepModel } from '../stepModels';
import { commitCandidate, neededRows, tookRows, type KindSteps } from './kindSteps';

/** Row `row`'s projection buffer, grown to hold frames [0, end) (per run, reused across runs). */
function projectionFor(engine: DecodeEngine, row: number, end: number): Float32Array {
  const size = end * engine.width;
  if (engine.projections[row]!.length < size) engine.projections[row] = new Float32Array(size);
  return engine.projections[row]!;
}

export class ProjectedSteps implements KindSteps {
  readonly projects = true;

  projectSync(e: DecodeEngine, row: number, frames: Float32Array, start: number, end: number): Float32Array {
    const model = e.model as ProjectedStepModel;
    const out = projectionFor(e, row, end);
    if (end > start) {
      const E = model.encoderDim;
      const J = e.width;
      const projected = model.projectEncoder(
        frames.subarray(start * E, end * E),
        end - start,
        out.subarray(start * J, end * J),
      );
      if (projected !== undefined) notSync('projectEncoder', projected);
      e.stats.projectCalls++;
    }
    return out;
  }

  async projectAsync(
    e: DecodeEngine,
    row: number,
    frames: Float32Array,
    start: number,
    end: number,
  ): Promise<Float32Array> {
    const model = e.model as ProjectedStepModel;
    const out = projectionFor(e, row, end);
    if (end > start) {
      const E = model.encoderDim;
      const J = e.width;
      await model.projectEncoder(
        frames.subarray(start * E, end * E),
        end - start,
        out.subarray(start * J, end * J),
      );
      e.stats.projectCalls++;
    }
    return out;
  }

  stepSync(e: DecodeEngine, enc: Float32Array): void {
    const model = e.model as ProjectedStepModel;
    const state = e.state;
    if (e.single ? !e.cache || state.predValid[0] === 0 : neededRows(e)) {
      const predicted = model.predict(state.lastToken, state.h, state.c, e.target);
      if (predicted !== undefined) notSync('predict', predicted);
      e.stats.predictCalls++;
      if (e.single) state.predValid[0] = 1;
      else tookRows(e);
    }
    const joined = model.jointProjected(enc, state.pred.decoder, e.out);
    if (joined !== undefined) notSync('joint', joined);
    e.stats.jointCalls++;
  }

  async stepAsync(e: DecodeEngine, enc: Float32Array): Promise<void> {
    const model = e.model as ProjectedStepModel;
    const state = e.state;
    if (e.single ? !e.cache || state.predValid[0] === 0 : neededRows(e)) {
      await model.predict(state.lastToken, state.h, state.c, e.target);
      e.stats.predictCalls++;
      if (e.single) state.predValid[0] = 1;
      else tookRows(e);
    }
    await model.jointProjected(enc, state.pred.decoder, e.out);
    e.stats.jointCalls++;
  }

  commit(e: DecodeEngine, row: number): void {
    commitCandidate(e, e.state.pred, row);
  }

  candidate(e: DecodeEngine) {
    return e.state.pred;
  }
}
