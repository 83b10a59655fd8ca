/**
 * A weight check the runtimes cannot make: ONNX Runtime happily runs a graph whose float64
 * initializers are cast to float32, but such a model is not the shipped contract (fp16 storage)
 * and its numerics differ. Readers refuse it with the tensor named.
 */
import { GraphError } from './graphError';
import type { Model } from './graph';
import { readOnnxFile } from './readOnnx';

/** Float dtypes a weight may be stored in. */
export const weightDTypes: readonly string[] = ['float16', 'float32'];

/** One line per floating-point initializer stored in a dtype other than float16/float32. */
export function weightDTypeProblems(model: Model, file: string): string[] {
  const problems: string[] = [];
  for (const [name, t] of model.graph.initializers) {
    if (t.dtype === 'float64')
      problems.push(
        `${file}: initializer "${name}" is float64; weights must be stored as float16 or float32`,
      );
  }
  return problems;
}

/** Reads an ONNX file and throws {@link GraphError} `E_DTYPE` on the first float64 weight. */
export function checkOnnxWeights(path: string): Model {
  const model = readOnnxFile(path);
  const first = weightDTypeProblems(model, path)[0];
  if (first) throw new GraphError(first, 'E_DTYPE', { file: path });
  return model;
}
