/**
 * The one error class of `@eou/fusion`: a decoder / joint pair a variant cannot be built from, a
 * stale or missing variant file, a bad `model.json`, a synthetic-model request out of range. It
 * extends `@eou/graph`'s {@link GraphError}, so one `instanceof GraphError` also catches what the
 * ONNX and CoreML readers under it raise.
 */
import { GraphError } from '@eou/graph';

export class FusionError extends GraphError {
  override readonly name: string = 'FusionError';
}
