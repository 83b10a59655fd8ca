/**
 * Strided <-> dense copies of MLMultiArray-like buffers: CoreML outputs may be padded or strided
 * (GPU/ANE), and a caller often wants one column of a larger tensor (frame `t` of an encoder
 * output `[1, E, T]` is shape `[1, E, 1]`, strides `[E*T, T, 1]`, offset `t`).
 */
import { loadBinding, type NumericTypedArray } from './binding';

/** A strided view: `shape` and `strides` in elements (non-negative), `offset` of the first element. */
export interface StridedLayout {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset?: number;
}

function checkLayout(fn: string, layout: unknown): asserts layout is StridedLayout {
  if (typeof layout !== 'object' || layout === null || Array.isArray(layout)) {
    const got = layout === null ? 'null' : Array.isArray(layout) ? 'array' : typeof layout;
    throw new TypeError(`${fn}: layout must be an object {shape, strides, offset?}, got ${got}`);
  }
}

/**
 * Gathers the strided view of `src` into a dense C-ordered array of the same type.
 * @param dst Optional output with exactly `product(shape)` elements, not overlapping `src`.
 * @returns `dst`, or a new typed array.
 * @throws TypeError for wrong argument types; RangeError when the view leaves `src`, a dim or
 * stride is not a non-negative integer, ranks differ, or `dst` has the wrong length.
 */
export function stridedToDense<T extends NumericTypedArray>(src: T, layout: StridedLayout, dst?: T): T {
  checkLayout('stridedToDense', layout);
  return loadBinding().stridedToDense(src, layout.shape, layout.strides, layout.offset, dst);
}

/**
 * Scatters dense C-ordered `src` into the strided view of `dst` (elements outside the view are
 * left as they are).
 * @returns `dst`.
 * @throws TypeError for wrong argument types; RangeError when the view leaves `dst` or `src`
 * does not have `product(shape)` elements.
 */
export function denseToStrided<T extends NumericTypedArray>(src: T, layout: StridedLayout, dst: T): T {
  checkLayout('denseToStrided', layout);
  return loadBinding().denseToStrided(src, layout.shape, layout.strides, layout.offset, dst);
}
