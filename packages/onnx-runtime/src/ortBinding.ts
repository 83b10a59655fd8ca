/**
 * The two ways to reach ONNX Runtime from Node. The public `InferenceSession.run` wraps the
 * synchronous native run in a `setImmediate` promise (~5-10 µs per call); the internal binding
 * (`onnxruntime-node/dist/binding.js`) runs synchronously. That binding is not public API, so it
 * is loaded behind a feature check and every caller falls back to the public path without it.
 */

/** Element-type codes of the native metadata (ONNX TensorProto.DataType). */
export interface NativeValueMetadata {
  readonly name: string;
  readonly isTensor: boolean;
  readonly symbolicDimensions: readonly string[];
  readonly shape: readonly number[];
  readonly type: number;
}

/** A tensor as the native binding reads and returns it. */
export interface NativeTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
  readonly location?: 'cpu';
}

/** The synchronous native session (a subset of onnxruntime-node's `Binding.InferenceSession`). */
export interface NativeSession {
  loadModel(modelPath: string, options: object): void;
  readonly inputMetadata: readonly NativeValueMetadata[];
  readonly outputMetadata: readonly NativeValueMetadata[];
  run(
    feeds: Record<string, NativeTensor>,
    fetches: Record<string, NativeTensor | null>,
    options: object,
  ): Record<string, NativeTensor>;
  dispose(): void;
}

interface NativeBindingModule {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}

let nativeModule: Promise<NativeBindingModule | undefined> | undefined;

function isBindingModule(m: unknown): m is NativeBindingModule {
  const b = (m as { binding?: { InferenceSession?: unknown } } | undefined)?.binding;
  return (
    typeof b?.InferenceSession === 'function' && typeof (m as { initOrt?: unknown }).initOrt === 'function'
  );
}

/** The internal synchronous binding, or undefined when this onnxruntime-node does not expose it. */
export function loadNativeBinding(): Promise<NativeBindingModule | undefined> {
  nativeModule ??= import('onnxruntime-node/dist/binding.js').then(
    (m: unknown) => {
      const candidate = isBindingModule(m) ? m : (m as { default?: unknown }).default;
      return isBindingModule(candidate) ? candidate : undefined;
    },
    () => undefined,
  );
  return nativeModule;
}

/** Creates a native session if the binding exists and behaves as expected. */
export async function createNativeSession(): Promise<NativeSession | undefined> {
  const mod = await loadNativeBinding();
  if (!mod) return undefined;
  mod.initOrt();
  const session = new mod.binding.InferenceSession();
  const ok = ['loadModel', 'run', 'dispose'].every(
    (k) => typeof (session as unknown as Record<string, unknown>)[k] === 'function',
  );
  return ok ? session : undefined;
}
