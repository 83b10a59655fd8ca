/**
 * The session/tensor contract that every runtime implements (`@eou/onnx-runtime`,
 * `@eou/coreml-runtime`). It lives here, as types only, because the step-model adapters in this
 * package are its only consumer; runtimes import it with `import type` and so never load the loop.
 */

/** Element types a session may exchange. float16 travels as IEEE half bits in a `Uint16Array`. */
export type TensorDType = 'float32' | 'float16' | 'int32' | 'int64';

/** Typed-array storage for each {@link TensorDType}. */
export interface TensorDataMap {
  float32: Float32Array;
  float16: Uint16Array;
  int32: Int32Array;
  int64: BigInt64Array;
}

/** A dense, C-ordered tensor. `data.length` equals the product of `dims`. */
export interface Tensor<T extends TensorDType = TensorDType> {
  readonly dtype: T;
  readonly dims: readonly number[];
  readonly data: TensorDataMap[T];
}

/** A declared input or output: `shape` entries are sizes, or names for symbolic dims (`'B'`), or -1. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: TensorDType;
  readonly shape: readonly (number | string)[];
}

/** Tensors keyed by input or output name. */
export type TensorMap = Record<string, Tensor>;

/**
 * One loaded model. `run` may return synchronously (a native call on this thread) or a promise;
 * callers that care check `isSync`. When `outputs` is given, the session writes into those
 * preallocated tensors (same dtype and dims as declared) and returns them.
 */
export interface Session {
  /** The file the session was loaded from, for error messages. */
  readonly path: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** True when `run` returns its result synchronously. */
  readonly isSync: boolean;
  run(feeds: TensorMap, outputs?: TensorMap): TensorMap | Promise<TensorMap>;
  /** Releases native resources; the session is unusable afterwards. */
  close(): void | Promise<void>;
}

/** Bytes per element of each dtype. */
export const bytesPerElement: Readonly<Record<TensorDType, number>> = {
  float32: 4,
  float16: 2,
  int32: 4,
  int64: 8,
};
