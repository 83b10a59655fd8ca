/** Public API of @eou/coreml-runtime. */
export { CoreMLRuntimeError } from './coremlRuntimeError';
export { CoreMLSession, openCoreMLSession } from './coremlSession';
export { floatToHalf, halfToFloat } from './fp16';
export { listBackends } from './listBackends';
export { denseToStrided, stridedToDense } from './stridedCopy';
export { version } from './version';

export type { Backend } from './listBackends';
export type { ComputeUnits, NumericTypedArray } from './binding';
export type { CoreMLRuntimeErrorCode, CoreMLRuntimeErrorContext } from './coremlRuntimeError';
export type { CoreMLSessionOptions } from './coremlSession';
export type { StridedLayout } from './stridedCopy';
