/**
 * Where two values first differ, as a path (`$`, `$.tokens[3]`), or `null` when they are deep-equal.
 * Compares primitives with SameValueZero (NaN equals NaN, +0 equals -0), arrays and typed arrays
 * element by element (an Int32Array never equals a Float32Array), Maps and Sets by entries, Dates
 * by time, and other objects by own enumerable keys.
 */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return path;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (a instanceof DataView) return compareBytes(a, b as DataView, path);
    if (x.length !== y.length) return `${path}.length`;
    for (let i = 0; i < x.length; i++) {
      const d = firstDifference(x[i], y[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (Array.isArray(a)) {
    const y = b as unknown[];
    if (a.length !== y.length) return `${path}.length`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], y[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (a instanceof Date) return a.getTime() === (b as Date).getTime() ? null : path;
  if (a instanceof Map) {
    const y = b as Map<unknown, unknown>;
    if (a.size !== y.size) return `${path}.size`;
    for (const [k, v] of a) {
      if (!y.has(k)) return `${path}.get(${String(k)})`;
      const d = firstDifference(v, y.get(k), `${path}.get(${String(k)})`);
      if (d !== null) return d;
    }
    return null;
  }
  if (a instanceof Set) {
    const y = b as Set<unknown>;
    if (a.size !== y.size) return `${path}.size`;
    for (const v of a) if (!y.has(v)) return `${path}.has(${String(v)})`;
    return null;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return `${path}{keys}`;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return `${path}.${k}`;
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (d !== null) return d;
  }
  return null;
}

function compareBytes(a: DataView, b: DataView, path: string): string | null {
  if (a.byteLength !== b.byteLength) return `${path}.byteLength`;
  for (let i = 0; i < a.byteLength; i++) if (a.getUint8(i) !== b.getUint8(i)) return `${path}[${i}]`;
  return null;
}

/** True when {@link firstDifference} finds none. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return firstDifference(a, b) === null;
}
