/** Package version, kept in step with package.json by the release tooling. */
export { version } from './version';

export { checkSessionIO, diffSessionIO } from './checkSessionIO';
export { float16BitsToFloat32, float32ToFloat16Bits, fromFloat16, toFloat16 } from './fp16';
export { OnnxRuntimeError } from './onnxRuntimeError';
export { openOnnxSession } from './onnxSession';
export { coreMLFlags, coreMLFlagsOf, toOrtSessionOptions } from './sessionOptions';
export type { ExpectedIO, IOMismatch } from './checkSessionIO';
export type { OnnxRuntimeErrorCode, OnnxRuntimeErrorContext } from './onnxRuntimeError';
export type { ModelSource, OnnxSession, PreparedRun } from './onnxSession';
export type {
  CallPath,
  CoreMLProviderOptions,
  ExecutionProvider,
  OnnxSessionOptions,
  OrtSessionOptions,
} from './sessionOptions';
