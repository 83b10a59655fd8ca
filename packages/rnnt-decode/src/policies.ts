/**
 * The two explicit policies of the loop (see README "A note on EOU policies").
 *
 * - `eouPolicy`: what happens when the joint emits the end-of-utterance token.
 *   `stop-chunk` is production (FluidAudio): the EOU is not appended, the chunk's remaining frames
 *   are skipped and the decoder state is kept. `reset` is the research harness (mobius): the EOU is
 *   appended to the tokens (never rendered as text), the state is reset and decoding continues with
 *   the next frame.
 * - `predictionPolicy`: when the prediction net runs. `recompute` runs it on every step from the
 *   committed state (reference behaviour); `cache` runs it only after an emission (and once after
 *   start or reset) and keeps its output across frames and chunks: same decisions, fewer calls.
 *   Fused models compute both halves in one call, so for them the policy has no effect.
 */

/** What the loop does on an end-of-utterance token. */
export type EouPolicy = 'stop-chunk' | 'reset';

/** When the prediction net runs. */
export type PredictionPolicy = 'recompute' | 'cache';

/** Every {@link EouPolicy}, production first. */
export const eouPolicies: readonly EouPolicy[] = ['stop-chunk', 'reset'];

/** Every {@link PredictionPolicy}, reference first. */
export const predictionPolicies: readonly PredictionPolicy[] = ['recompute', 'cache'];
