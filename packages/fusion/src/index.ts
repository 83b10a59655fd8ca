/** Package version, kept in step with package.json by the release tooling. */
export { version } from './version';

export { elementCount } from './graph';
export type {
  AttributeValue,
  DType,
  DTypeArrayMap,
  Graph,
  GraphNode,
  Model,
  OpsetImport,
  TensorValue,
  ValueInfo,
} from './graph';
