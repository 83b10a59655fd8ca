/**
 * Explicit session options with the defaults a per-step decode loop wants (one thread, sequential,
 * full graph optimisation), mapped to ONNX Runtime's option object.
 */
import { OnnxRuntimeError } from './onnxRuntimeError';

/** CoreML execution-provider settings (macOS only); each maps to a `COREML_FLAG_*` bit. */
export interface CoreMLProviderOptions {
  readonly name: 'coreml';
  /** COREML_FLAG_USE_CPU_ONLY (0x001). */
  readonly cpuOnly?: boolean;
  /** COREML_FLAG_ENABLE_ON_SUBGRAPH (0x002). */
  readonly enableOnSubgraph?: boolean;
  /** COREML_FLAG_ONLY_ENABLE_DEVICE_WITH_ANE (0x004). */
  readonly onlyEnableDeviceWithANE?: boolean;
  /** COREML_FLAG_ONLY_ALLOW_STATIC_INPUT_SHAPES (0x008). */
  readonly onlyAllowStaticInputShapes?: boolean;
  /** COREML_FLAG_CREATE_MLPROGRAM (0x010): ML Program instead of NeuralNetwork. */
  readonly createMLProgram?: boolean;
  /** COREML_FLAG_USE_CPU_AND_GPU (0x020). */
  readonly cpuAndGpu?: boolean;
  /** Raw flag bits, OR-ed with the booleans above. */
  readonly flags?: number;
}

/** An execution provider: `'cpu'`, `'coreml'` (default CoreML flags) or CoreML settings. */
export type ExecutionProvider = 'cpu' | 'coreml' | CoreMLProviderOptions;

/** How `run` reaches the native session. */
export type CallPath = 'auto' | 'sync' | 'async';

/** Options of `openOnnxSession`. Every default is stated. */
export interface OnnxSessionOptions {
  /** Threads inside one op. Default 1 (a per-step loop gains nothing from more; see the bench). */
  readonly intraOpNumThreads?: number;
  /** Threads across ops. Default 1. */
  readonly interOpNumThreads?: number;
  /** Default 'all'. */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Default 'sequential'. */
  readonly executionMode?: 'sequential' | 'parallel';
  /** Default ['cpu']. 'coreml' is refused off macOS. */
  readonly executionProviders?: readonly ExecutionProvider[];
  /**
   * 'auto' (default): the synchronous native call when this onnxruntime-node exposes it, else the
   * public async `run`; 'sync' requires it; 'async' always uses the public API.
   */
  readonly callPath?: CallPath;
  /** Check every feed's name, dtype and dims before a run (cheap; default true). */
  readonly validateFeeds?: boolean;
  /**
   * ONNX Runtime log severity 0 (verbose) .. 4 (fatal). Default 4: ONNX Runtime prints nothing of
   * its own on an error, since every error it logs also comes back as the failed call's status,
   * which the session folds into its one-line `OnnxRuntimeError`.
   */
  readonly logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** COREML_FLAG_* bits. */
export const coreMLFlags = {
  useCpuOnly: 0x001,
  enableOnSubgraph: 0x002,
  onlyEnableDeviceWithANE: 0x004,
  onlyAllowStaticInputShapes: 0x008,
  createMLProgram: 0x010,
  useCpuAndGpu: 0x020,
} as const;

/** The flag word of CoreML settings. */
export function coreMLFlagsOf(o: CoreMLProviderOptions): number {
  let f = o.flags ?? 0;
  if (o.cpuOnly) f |= coreMLFlags.useCpuOnly;
  if (o.enableOnSubgraph) f |= coreMLFlags.enableOnSubgraph;
  if (o.onlyEnableDeviceWithANE) f |= coreMLFlags.onlyEnableDeviceWithANE;
  if (o.onlyAllowStaticInputShapes) f |= coreMLFlags.onlyAllowStaticInputShapes;
  if (o.createMLProgram) f |= coreMLFlags.createMLProgram;
  if (o.cpuAndGpu) f |= coreMLFlags.useCpuAndGpu;
  return f;
}

/** ONNX Runtime's option object (the shape both the public API and the native binding take). */
export interface OrtSessionOptions {
  intraOpNumThreads: number;
  interOpNumThreads: number;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  executionMode: 'sequential' | 'parallel';
  executionProviders: (string | { name: string; coreMlFlags?: number })[];
  logSeverityLevel: 0 | 1 | 2 | 3 | 4;
}

function threads(name: string, v: number | undefined): number {
  const n = v ?? 1;
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`options.${name} must be a non-negative integer, got ${String(v)}`);
  return n;
}

/** Validates options and fills in defaults. `platform` is injectable for tests. */
export function toOrtSessionOptions(
  options: OnnxSessionOptions = {},
  platform: string = process.platform,
): OrtSessionOptions {
  const level = options.graphOptimizationLevel ?? 'all';
  if (!['disabled', 'basic', 'extended', 'all'].includes(level)) {
    throw new RangeError(
      `options.graphOptimizationLevel must be disabled|basic|extended|all, got ${String(level)}`,
    );
  }
  const mode = options.executionMode ?? 'sequential';
  if (mode !== 'sequential' && mode !== 'parallel')
    throw new RangeError(`options.executionMode must be sequential|parallel, got ${String(mode)}`);
  const eps = (options.executionProviders ?? ['cpu']).map((ep, i) => {
    const name = typeof ep === 'string' ? ep : ep?.name;
    if (name === 'cpu') return 'cpu';
    if (name !== 'coreml')
      throw new RangeError(
        `options.executionProviders[${i}] must be 'cpu', 'coreml' or CoreML settings, got ${JSON.stringify(ep)}`,
      );
    if (platform !== 'darwin') {
      throw new OnnxRuntimeError(
        'E_OPTIONS',
        `options.executionProviders[${i}]: the CoreML execution provider exists only on macOS (this is ${platform})`,
      );
    }
    return typeof ep === 'string' ? { name: 'coreml' } : { name: 'coreml', coreMlFlags: coreMLFlagsOf(ep) };
  });
  const log = options.logSeverityLevel ?? 4;
  if (![0, 1, 2, 3, 4].includes(log))
    throw new RangeError(`options.logSeverityLevel must be 0..4, got ${String(log)}`);
  return {
    intraOpNumThreads: threads('intraOpNumThreads', options.intraOpNumThreads),
    interOpNumThreads: threads('interOpNumThreads', options.interOpNumThreads),
    graphOptimizationLevel: level,
    executionMode: mode,
    executionProviders: eps,
    logSeverityLevel: log,
  };
}
