/**
 * One row's emissions (tokens with their frame and probability, EOU frames, steps taken). The
 * engine reserves room before each run for the most the run can emit, so a push never grows.
 */

/** Growable per-row emission lists, sized per run (never per step). */
export class RowEmissions {
  tokens = new Int32Array(16);
  frames = new Int32Array(16);
  probs = new Float32Array(16);
  count = 0;
  eouFrames = new Int32Array(4);
  eouCount = 0;
  /** Loop steps this row took part in (counted by batched runs; one-row runs count `stats.steps`). */
  steps = 0;

  /** Makes room for `tokens` more emissions and `eous` more EOU frames. */
  reserve(tokens: number, eous: number): void {
    const need = this.count + tokens;
    if (this.tokens.length < need) {
      const size = Math.max(need, this.tokens.length * 2);
      this.tokens = grow(this.tokens, new Int32Array(size), this.count);
      this.frames = grow(this.frames, new Int32Array(size), this.count);
      this.probs = grow(this.probs, new Float32Array(size), this.count);
    }
    const needEou = this.eouCount + eous;
    if (this.eouFrames.length < needEou) {
      const size = Math.max(needEou, this.eouFrames.length * 2);
      this.eouFrames = grow(this.eouFrames, new Int32Array(size), this.eouCount);
    }
  }

  /** Forgets every emission (the buffers stay). */
  clear(): void {
    this.count = 0;
    this.eouCount = 0;
    this.steps = 0;
  }

  /**
   * Appends `token` at `frame` with probability `probs[row]`. The probability is read here, from
   * typed array to typed array: a float passed as an argument is boxed (16 bytes) whenever V8 does
   * not inline the call, which would allocate on every emission.
   */
  push(token: number, frame: number, probs: Float32Array, row: number): void {
    const i = this.count++;
    this.tokens[i] = token;
    this.frames[i] = frame;
    this.probs[i] = probs[row]!;
  }

  pushEou(frame: number): void {
    this.eouFrames[this.eouCount++] = frame;
  }
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T, count: number): T {
  to.set(from.subarray(0, count));
  return to;
}
