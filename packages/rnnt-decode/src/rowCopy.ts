/**
 * Row copies between row-major buffers that keep their identity (the several-rows engine's state,
 * scratch and candidate buffers): the row views are made once, so a copy is one
 * `TypedArray.prototype.set` per buffer (a memcpy), with no allocation.
 */
export class RowCopy {
  private readonly from: Float32Array[][];
  private readonly to: Float32Array[][];

  /** @param pairs `[from, to, width]` per buffer; both hold `rows` rows of `width` values */
  constructor(pairs: readonly (readonly [Float32Array, Float32Array, number])[], rows: number) {
    const views = (buffer: Float32Array, width: number): Float32Array[] =>
      Array.from({ length: rows }, (_, r) => buffer.subarray(r * width, (r + 1) * width));
    this.from = pairs.map(([from, , width]) => views(from, width));
    this.to = pairs.map(([, to, width]) => views(to, width));
  }

  /** Copies row `r` of every pair. */
  copy(r: number): void {
    for (let i = 0; i < this.from.length; i++) this.to[i]![r]!.set(this.from[i]![r]!);
  }

  /** Copies row `from` of each pair's source to row `to` of its destination. */
  copyBetween(from: number, to: number): void {
    for (let i = 0; i < this.from.length; i++) this.to[i]![to]!.set(this.from[i]![from]!);
  }
}
