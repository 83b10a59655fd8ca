/**
 * Feeds and fetches built once. The session contract passes the same feed and output maps on
 * every step (the decode loop overwrites their data in place), so the session builds the
 * runtime's feed and fetch objects for those tensors once and reuses them while the caller
 * passes the same tensor objects; a changed map or tensor builds (and checks) them again.
 */
import type { Tensor, TensorInfo, TensorMap } from '@eou/rnnt-decode';
import { elementCount } from './tensorInfo';

/** One prepared call: the runtime-side feeds and fetches of fixed tensor objects. */
export class PreparedCall<T> {
  readonly nativeFeeds: Record<string, T> = {};
  readonly fetches: Record<string, T | null> = {};
  /** The result map when every output is preallocated (returned on every call), else null. */
  readonly fixedResult: TensorMap | null;
  readonly #feedNames: string[] = [];
  readonly #feedTensors: Tensor[] = [];
  readonly #feedData: unknown[] = [];
  readonly #outNames: string[] = [];
  readonly #outTensors: Tensor[] = [];

  constructor(
    readonly feeds: TensorMap,
    readonly outputs: TensorMap | undefined,
    readonly outputNames: readonly string[],
    wrap: (t: Tensor) => T,
  ) {
    for (const name in feeds) {
      const t = feeds[name]!;
      this.#feedNames.push(name);
      this.#feedTensors.push(t);
      this.#feedData.push(t.data);
      this.nativeFeeds[name] = wrap(t);
    }
    let all = true;
    for (const name of outputNames) {
      const pre = outputs?.[name];
      this.fetches[name] = pre ? wrap(pre) : null;
      if (pre) {
        this.#outNames.push(name);
        this.#outTensors.push(pre);
      } else all = false;
    }
    this.fixedResult = all ? { ...outputs } : null;
  }

  /** True when `feeds` and `outputs` are the maps and tensor objects this call was built for. */
  matches(feeds: TensorMap, outputs: TensorMap | undefined): boolean {
    if (feeds !== this.feeds || outputs !== this.outputs) return false;
    let n = 0;
    for (const name in feeds) {
      if (feeds[name] !== this.#feedTensors[n] || name !== this.#feedNames[n]) return false;
      if (this.#feedTensors[n]!.data !== this.#feedData[n]) return false;
      n++;
    }
    if (n !== this.#feedTensors.length) return false;
    for (let i = 0; i < this.#outNames.length; i++)
      if (outputs![this.#outNames[i]!] !== this.#outTensors[i]) return false;
    // An output added to the map after preparing would otherwise be ignored.
    if (outputs !== undefined) for (const name in outputs) if (this.fetches[name] === null) return false;
    return true;
  }
}

/** Preallocated tensors for every output, from the declared shapes; `dims` fills dynamic dimensions. */
export function allocateOutputs(
  file: string,
  outputs: readonly TensorInfo[],
  dims: Readonly<Record<string, readonly number[]>> = {},
): TensorMap {
  const map: TensorMap = {};
  for (const o of outputs) {
    const given = dims[o.name];
    const shape = given ?? o.shape;
    if (!shape.every((d) => typeof d === 'number' && d >= 0))
      throw new RangeError(
        `${file}: output "${o.name}" has dynamic shape [${o.shape.join(', ')}]; pass its dims to prepare()`,
      );
    const fixed = shape as number[];
    const n = elementCount(fixed);
    const data =
      o.dtype === 'float32'
        ? new Float32Array(n)
        : o.dtype === 'int32'
          ? new Int32Array(n)
          : o.dtype === 'float16'
            ? new Uint16Array(n)
            : new BigInt64Array(n);
    map[o.name] = { dtype: o.dtype, dims: [...fixed], data };
  }
  return map;
}
