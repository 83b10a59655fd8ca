/**
 * `@eou/tiny-eou-model`: where the tiny trained EOU transducer and its test sets are on disk. The
 * data ship in this package (`model/`, `sets/`); the paths are found from this module's own URL, so
 * they hold for the TypeScript source and for both builds (`dist/index.js`, `dist/index.cjs`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The model directory: `model.json`, `vocab.json`, `decoder.onnx`, `joint_decision.onnx` (the layout of
 * `docs/onnx-layout.md`), plus `encoder.onnx`, its model card (`README.md`) and the card's figures
 * (`card.json`). Read-only when installed: build fused variants in a copy.
 */
export const modelDir: string = path.join(packageDir, 'model');

/** The directory holding one corpus directory per test set (see {@link setDir}). */
export const setsDir: string = path.join(packageDir, 'sets');

/**
 * The files of {@link modelDir} that decoding cached encoder frames reads, in a fixed order (hash
 * them in this order to key a cache of the model).
 */
export const modelFiles = ['model.json', 'vocab.json', 'decoder.onnx', 'joint_decision.onnx'] as const;

/**
 * The files of {@link modelDir} that the streaming loop reads from audio: {@link modelFiles} and the
 * cache-aware streaming encoder `encoder_streaming.onnx`, in a fixed order.
 */
export const streamingModelFiles = [...modelFiles, 'encoder_streaming.onnx'] as const;

/**
 * The shipped test sets: `synth-heldout` (250 held-out synthetic voices of the training domain),
 * `asterisk` (150 real telephone prompts) and `librivox` (10 real read utterances).
 */
export const setNames = ['synth-heldout', 'asterisk', 'librivox'] as const;

/** The name of a shipped test set. */
export type SetName = (typeof setNames)[number];

/** The set a default gate runs on: held-out synthetic voices of the training domain. */
export const defaultSet: SetName = 'synth-heldout';

/**
 * The corpus directory of a shipped set: `manifest.jsonl` (`id`, `text`, `frames`, ...) and the
 * float16 `.npy` encoder frames it names.
 *
 * @param name one of {@link setNames}.
 * @throws RangeError naming the sets when `name` is not one of them.
 */
export function setDir(name: SetName): string {
  if (!(setNames as readonly string[]).includes(name))
    throw new RangeError(`\`name\` must be one of ${setNames.join(', ')}, got ${JSON.stringify(name)}`);
  return path.join(setsDir, name);
}
