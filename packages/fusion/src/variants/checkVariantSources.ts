/**
 * `checkVariantSources`: refuses a built variant whose files record (in their metadata) a decoder /
 * joint_decision pair other than the one now in the model directory. Without it, rewriting the
 * pair (`eou synth-model`, a new export) leaves old fused files that still load and decode with
 * the old weights.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphError, readOnnxMetadata } from '@eou/graph';
import { FusionError } from '../fusionError';
import { splitFileNames } from './refVariant';
import { variantOf } from './variant';
import type { VariantKind } from './variantKind';
import { variantMetadataKeys } from './variantModel';

const sources = [
  { key: variantMetadataKeys.decoderSha256, file: splitFileNames.decoder },
  { key: variantMetadataKeys.jointSha256, file: splitFileNames.joint },
] as const;

/**
 * Checks that every file of the built `variant` in `modelDir` was built from the directory's
 * current `decoder.onnx` and `joint_decision.onnx` (sha256 in its `eou.source.*` metadata). Reads
 * only the files' metadata. Nothing to check for `ref`/`cached`, a variant file that is absent (the
 * loader reports it), a file without the metadata (made by another tool) or an absent source.
 * @throws FusionError `E_STALE_VARIANT` naming the file, the source and both hashes (12 hex digits),
 *   with the `eou fuse` command that rebuilds it; `E_VARIANT` for an unknown variant;
 *   `E_ONNX_READ`/`E_ONNX_DECODE` for an unreadable file.
 */
export function checkVariantSources(modelDir: string, variant: VariantKind | string): void {
  if (typeof modelDir !== 'string')
    throw new TypeError(`checkVariantSources: \`modelDir\` must be a string, got ${typeof modelDir}`);
  const v = variantOf(variant);
  if (!v.buildable) return;
  const current = new Map<string, string | undefined>();
  const currentSha = (file: string): string | undefined => {
    if (!current.has(file)) {
      const path = join(modelDir, file);
      current.set(file, existsSync(path) ? createHash('sha256').update(read(path)).digest('hex') : undefined);
    }
    return current.get(file);
  };
  for (const name of v.files) {
    const path = join(modelDir, name);
    if (!existsSync(path)) continue;
    const metadata = metadataOf(path);
    for (const s of sources) {
      const recorded = metadata[s.key];
      if (recorded === undefined) continue;
      const now = currentSha(s.file);
      if (now === undefined || now === recorded) continue;
      throw new FusionError(
        `${path}: built from ${s.file} sha256 ${recorded.slice(0, 12)}, the directory now has ${now.slice(0, 12)}; rebuild it with \`eou fuse --model ${modelDir} --variant ${v.kind}\``,
        'E_STALE_VARIANT',
        { file: path, field: s.key },
      );
    }
  }
}

/** A variant file that does not decode is a problem of the variant: a FusionError, as documented. */
function metadataOf(path: string): Record<string, string> {
  const bytes = read(path);
  try {
    return readOnnxMetadata(bytes, path);
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    throw new FusionError(error.message, error.code, { file: path, cause: error });
  }
}

function read(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new FusionError(`${path}: cannot read model (${reason})`, 'E_ONNX_READ', { file: path, cause });
  }
}
