/**
 * The typed surface of the native addon and the one function that finds it. No other module
 * touches the raw addon. The portable functions exist in every build; `CoreMLSession` only in
 * darwin builds.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TensorMap } from '@eou/rnnt-decode';
import { CoreMLRuntimeError } from './coremlRuntimeError';

/** Where CoreML may run a model (MLComputeUnits). */
export type ComputeUnits = 'cpuOnly' | 'cpuAndGPU' | 'cpuAndNeuralEngine' | 'all';

/** Every typed array the strided copies accept (element sizes 1, 2, 4, 8). */
export type NumericTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** A declared input/output as the addon reports it (flexible dims are -1). */
export interface NativeTensorInfo {
  readonly name: string;
  readonly dtype: 'float32' | 'float16' | 'int32';
  readonly shape: readonly number[];
}

/** Options after native parsing: every key present. */
export interface NativeSessionOptions {
  computeUnits: ComputeUnits;
  allowLowPrecisionAccumulationOnGPU: boolean;
  useOutputBackings: boolean;
  functionName: string | null;
}

/** The darwin-only ObjectWrap (`coreml_session.mm`). All methods are [sync]. */
export interface NativeCoreMLSession {
  readonly inputs: readonly NativeTensorInfo[];
  readonly outputs: readonly NativeTensorInfo[];
  run(feeds: TensorMap, outputs?: TensorMap): TensorMap;
  close(): void;
}

/** The addon's exports (`src/native/addon.cc`). */
export interface Binding {
  halfToFloat(src: Uint16Array, dst?: Float32Array): Float32Array;
  floatToHalf(src: Float32Array, dst?: Uint16Array): Uint16Array;
  stridedToDense<T extends NumericTypedArray>(
    src: T,
    shape: readonly number[],
    strides: readonly number[],
    offset: number | undefined,
    dst?: T,
  ): T;
  denseToStrided<T extends NumericTypedArray>(
    src: T,
    shape: readonly number[],
    strides: readonly number[],
    offset: number | undefined,
    dst: T,
  ): T;
  /**
   * The argument check `CoreMLSession.run` applies to each feed and preallocated output (dtype,
   * rank, fixed dims, typed-array kind, length); returns the element count.
   */
  checkTensor(tensor: unknown, info: NativeTensorInfo, path: string): number;
  parseSessionOptions(options: unknown): NativeSessionOptions;
  listBackends(): string[];
  readonly CoreMLSession?: new (path: string, options?: unknown) => NativeCoreMLSession;
}

const requiredExports = [
  'halfToFloat',
  'floatToHalf',
  'stridedToDense',
  'denseToStrided',
  'checkTensor',
  'parseSessionOptions',
  'listBackends',
] as const;

// src/binding.ts and dist/index.{js,cjs} both sit one level below the package root.
const defaultPackageRoot = fileURLToPath(new URL('..', import.meta.url));
const requireCjs = createRequire(import.meta.url);
let cached: Binding | undefined;

/**
 * Loads the addon for this platform and arch from `packageRoot` (`build/Release/*.node`, or
 * `prebuilds/<platform>-<arch>/`) through node-gyp-build. Cached for the default root.
 * @throws CoreMLRuntimeError `E_NATIVE_MISSING` saying what to build, or `E_NATIVE_STALE`.
 */
export function loadBinding(packageRoot: string = defaultPackageRoot): Binding {
  if (packageRoot === defaultPackageRoot && cached) return cached;
  const nodeGypBuild = requireCjs('node-gyp-build') as (dir: string) => unknown;
  let addon: unknown;
  try {
    addon = nodeGypBuild(packageRoot);
  } catch (cause) {
    throw new CoreMLRuntimeError(
      'E_NATIVE_MISSING',
      `@eou/coreml-runtime: no native addon for ${process.platform}-${process.arch} (Node ${process.versions.node}, ` +
        `ABI ${process.versions.modules}) in ${join(packageRoot, 'build', 'Release')} or ${join(packageRoot, 'prebuilds')}; build it with ` +
        '`npm run build:native -w @eou/coreml-runtime` (needs python3 and a C++17 compiler; Xcode command-line tools on macOS) ' +
        'or reinstall with `npm rebuild @eou/coreml-runtime`',
      { path: packageRoot, cause },
    );
  }
  const missing = requiredExports.filter(
    (name) => typeof (addon as Record<string, unknown>)[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new CoreMLRuntimeError(
      'E_NATIVE_STALE',
      `@eou/coreml-runtime: the native addon in ${packageRoot} lacks ${missing.join(', ')}; rebuild it with ` +
        '`npm run build:native -w @eou/coreml-runtime`',
      { path: packageRoot },
    );
  }
  const binding = addon as Binding;
  if (packageRoot === defaultPackageRoot) cached = binding;
  return binding;
}
