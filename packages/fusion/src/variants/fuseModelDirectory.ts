/**
 * `fuseModelDirectory`: reads `decoder.onnx` and `joint_decision.onnx` from a model directory,
 * builds a variant and writes its files next to them under the names of docs/design.md. Every file is
 * encoded first, written to a temp file in the target directory and renamed into place, so a
 * refused pair or a failed write leaves nothing half-written.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readOnnx, writeOnnx } from '@eou/graph';
import { FusionError } from '../fusionError';
import { checkModelJsonDims } from './checkModelJsonDims';
import type { DecoderJointWeights } from './decoderJointWeights';
import { extractDecoderJointWeights } from './decoderJointWeights';
import { splitFileNames } from './refVariant';
import { buildableVariantKinds, variantOf } from './variant';
import type { VariantBuildInput, VariantSource } from './variantBase';
import type { VariantKind } from './variantKind';
import { isVariantKind } from './variantKind';

export interface FuseOptions {
  /** The variant to build: `pipeline`, `lean`, `lean-topk` or `projected`. */
  readonly variant: VariantKind | string;
  /** Output path for single-file variants (default: the name docs/design.md gives it in the model directory). */
  readonly out?: string;
}

/** One written file. */
export interface FusedFile {
  readonly path: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface FuseResult {
  readonly variant: VariantKind;
  readonly modelDir: string;
  readonly files: readonly FusedFile[];
  readonly sources: { readonly decoder: VariantSource; readonly joint: VariantSource };
  readonly dims: Pick<
    DecoderJointWeights,
    'vocabSize' | 'hiddenSize' | 'encoderDim' | 'jointDim' | 'topK' | 'batch'
  >;
  readonly rounding: DecoderJointWeights['rounding'];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function readSource(path: string): { bytes: Uint8Array; source: VariantSource } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'file not found'
        : cause instanceof Error
          ? cause.message
          : String(cause);
    throw new FusionError(`${path}: cannot read model (${reason})`, 'E_ONNX_READ', { file: path, cause });
  }
  return { bytes, source: { file: path, sha256: sha256(bytes) } };
}

/** Reads and checks the pair of a model directory, ready for any builder. */
export function readVariantBuildInput(modelDir: string): VariantBuildInput {
  const dec = readSource(join(modelDir, splitFileNames.decoder));
  const jnt = readSource(join(modelDir, splitFileNames.joint));
  const decoder = readOnnx(dec.bytes, { path: dec.source.file });
  const joint = readOnnx(jnt.bytes, { path: jnt.source.file });
  const weights = extractDecoderJointWeights(decoder, joint, {
    decoder: dec.source.file,
    joint: jnt.source.file,
  });
  return { decoder, joint, weights, sources: { decoder: dec.source, joint: jnt.source } };
}

/**
 * Builds `options.variant` from the model directory's decoder / joint_decision pair and writes it.
 * @throws FusionError (`E_VARIANT`) for an unknown or non-buildable variant (naming the buildable
 *   ones); the extraction errors of {@link extractDecoderJointWeights} for a pair that does not fit;
 *   `E_MODEL_JSON` when the directory's model.json sizes disagree with the pair; `E_WRITE` when
 *   writing fails.
 * @throws RangeError when `out` is given for a variant that writes several files.
 */
export function fuseModelDirectory(modelDir: string, options: FuseOptions): FuseResult {
  if (!isVariantKind(options.variant)) {
    throw new FusionError(
      `unknown variant '${options.variant}' (expected one of ${buildableVariantKinds.join(', ')})`,
      'E_VARIANT',
      { field: 'variant' },
    );
  }
  const variant = variantOf(options.variant);
  if (!variant.buildable) {
    throw new FusionError(
      `variant '${variant.kind}' runs the shipped ${variant.files.join(' and ')} as they are; nothing to build (expected one of ${buildableVariantKinds.join(', ')})`,
      'E_VARIANT',
      { field: 'variant' },
    );
  }
  const input = readVariantBuildInput(modelDir);
  checkModelJsonDims(modelDir, input.weights);
  const built = variant.build(input);
  if (options.out !== undefined && built.length !== 1) {
    throw new RangeError(
      `fuseModelDirectory: \`out\` needs a single-file variant; '${variant.kind}' writes ${built.map((b) => b.fileName).join(', ')}`,
    );
  }
  const encoded = built.map((b) => {
    const path = resolve(options.out !== undefined ? options.out : join(modelDir, b.fileName));
    const bytes = writeOnnx(b.model);
    return {
      path,
      fileName: b.fileName,
      bytes,
      tmp: join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`),
    };
  });
  const written: string[] = [];
  try {
    for (const e of encoded) {
      // Listed before the write: a write that fails part-way (a full disk) leaves the file behind.
      written.push(e.tmp);
      writeFileSync(e.tmp, e.bytes);
    }
    for (const e of encoded) renameSync(e.tmp, e.path);
  } catch (cause) {
    for (const tmp of written) {
      try {
        unlinkSync(tmp);
      } catch {
        // already renamed or never created
      }
    }
    // The code, not the message: the message names the temp file, which the caller never gave.
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
    const file = encoded[written.length - 1]?.path ?? encoded[0]?.path ?? modelDir;
    throw new FusionError(`${file}: cannot write variant '${variant.kind}' (${reason})`, 'E_WRITE', {
      file,
      cause,
    });
  }
  const w = input.weights;
  return {
    variant: variant.kind,
    modelDir,
    files: encoded.map((e) => ({
      path: e.path,
      fileName: e.fileName,
      sha256: sha256(e.bytes),
      bytes: e.bytes.length,
    })),
    sources: input.sources,
    dims: {
      vocabSize: w.vocabSize,
      hiddenSize: w.hiddenSize,
      encoderDim: w.encoderDim,
      jointDim: w.jointDim,
      topK: w.topK,
      batch: w.batch,
    },
    rounding: w.rounding,
  };
}
