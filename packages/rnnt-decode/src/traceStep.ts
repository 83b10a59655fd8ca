/** One recorded loop step, for parity tools (the harness's (t, s, tok, prob, h, c) record). */
export interface TraceStep {
  /** Chunk-local frame index. */
  readonly t: number;
  /** Global frame index (chunk offset + t). */
  readonly frame: number;
  /** Symbol index within the frame (0 .. maxSymbolsPerFrame-1). */
  readonly symbol: number;
  /** Token the joint chose (blank included). */
  readonly token: number;
  /** Its softmax probability. */
  readonly prob: number;
  /** Copy of the step's candidate h (only with `traceStates`). */
  readonly h?: Float32Array;
  /** Copy of the step's candidate c (only with `traceStates`). */
  readonly c?: Float32Array;
}
