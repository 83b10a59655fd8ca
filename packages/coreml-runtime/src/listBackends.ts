/** Which backends the loaded addon was built with. */
import { loadBinding } from './binding';

/** `portable`: conversions and option parsing (every OS). `coreml`: CoreML sessions (macOS builds). */
export type Backend = 'portable' | 'coreml';

/**
 * Lists the backends compiled into the addon: `['portable']` on Linux and Windows,
 * `['portable', 'coreml']` on macOS.
 * @throws CoreMLRuntimeError `E_NATIVE_MISSING` when the addon is not built.
 */
export function listBackends(): Backend[] {
  return loadBinding().listBackends() as Backend[];
}
