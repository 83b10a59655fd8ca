/**
 * Caps of the flags that set how much runs at once. More ONNX Runtime threads than cores only
 * contend (1000 intra-op threads hung `eou decode`), and more files in flight than cores only hold
 * more audio in memory; so a larger request runs at the cap, and a line says so.
 */
import os from 'node:os';

/** Cores this process may use. */
export const availableCores = (): number => Math.max(1, os.availableParallelism());

/**
 * The value `--<flag> requested` runs with: at most `cap` (default the available cores). A capped
 * request is reported on `stderr` as `<command>: --<flag> N runs as M (...)`.
 */
export function capped(
  command: string,
  flag: string,
  requested: number,
  stderr: { write(text: string): unknown },
  cap = availableCores(),
): number {
  if (requested <= cap) return requested;
  stderr.write(`eou ${command}: --${flag} ${requested} runs as ${cap} (the cores available)\n`);
  return cap;
}
