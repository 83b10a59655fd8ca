/**
 * `checkModelJsonDims`: refuses a model directory whose `model.json` sizes disagree with its
 * decoder / joint_decision graphs. The decode loop sizes its state and feeds from `model.json`,
 * so a fused file built from graphs of other sizes would only fail later, far from the cause.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FusionError } from '../fusionError';
import type { DecoderJointWeights } from './decoderJointWeights';

/** The `model.json` fields compared, with the sizes the graphs declare. */
const fields = ['vocabSize', 'hiddenSize', 'encoderDim', 'jointDim', 'topK'] as const;

/**
 * Compares `modelDir/model.json`'s sizes with the pair's. A directory without `model.json` (a bare
 * pair) and fields it leaves out are not checked; `topK` only when the joint has a top-k head.
 * @throws FusionError `E_MODEL_JSON` naming model.json, the field and both values, or when
 *   model.json is not a JSON object
 */
export function checkModelJsonDims(
  modelDir: string,
  weights: Pick<DecoderJointWeights, (typeof fields)[number]>,
): void {
  const path = join(modelDir, 'model.json');
  if (!existsSync(path)) return;
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new FusionError(`${path}: not valid JSON (${reason})`, 'E_MODEL_JSON', { file: path, cause });
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new FusionError(`${path}: expected a JSON object`, 'E_MODEL_JSON', { file: path });
  const c = config as Record<string, unknown>;
  for (const field of fields) {
    const declared = c[field];
    if (declared === undefined || (field === 'topK' && weights.topK === 0)) continue;
    if (declared !== weights[field]) {
      throw new FusionError(
        `${path}: ${field} is ${JSON.stringify(declared)}, but decoder.onnx/joint_decision.onnx have ${weights[field]}`,
        'E_MODEL_JSON',
        { file: path, field },
      );
    }
  }
}
