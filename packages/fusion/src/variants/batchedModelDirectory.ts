/**
 * Batch-capable copies of a model directory's graphs: the shipped `decoder.onnx` and
 * `joint_decision.onnx` with their batch dim made symbolic (`B`) instead of 1 (same nodes, same
 * weight bytes), and every requested built variant rebuilt from that widened pair, so one weight
 * read can serve several rows. The widened graphs only change declared shapes; a graph that
 * hard-codes its batch inside (a Reshape to 1) fails or differs at run time, which the caller's
 * parity check against the shipped files catches.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOnnx, writeOnnx, type Model, type ValueInfo } from '@eou/graph';
import { FusionError } from '../fusionError';
import { fuseModelDirectory, readVariantBuildInput } from './fuseModelDirectory';
import { splitFileNames } from './refVariant';
import { variantOf } from './variant';
import type { BuildableVariant, VariantBuildInput } from './variantBase';
import { isVariantKind } from './variantKind';

/** Name of the symbolic batch dim of widened graphs. */
export const BATCH_DIM = 'B';

/** Tensors whose batch is axis 1 (LSTM state [1,B,H]); every other contract tensor has it on axis 0. */
const stateTensors = new Set(['h_in', 'c_in', 'h_out', 'c_out']);

function widen(info: ValueInfo): ValueInfo {
  const axis = stateTensors.has(info.name) ? 1 : 0;
  if (info.shape.length <= axis || info.shape[axis] !== 1) return info;
  const shape = [...info.shape];
  shape[axis] = BATCH_DIM;
  return { ...info, shape };
}

/**
 * `model` with a symbolic batch dim on every graph input and output whose batch is 1, without
 * intermediate shape annotations (they would pin the batch to 1), and metadata naming the source.
 */
export function widenBatch(model: Model, sourceSha256: string): Model {
  const { valueInfo: _dropped, ...graph } = model.graph;
  return {
    ...model,
    graph: { ...graph, inputs: graph.inputs.map(widen), outputs: graph.outputs.map(widen) },
    metadata: { ...model.metadata, 'eou.batch': BATCH_DIM, 'eou.batch.source.sha256': sourceSha256 },
  };
}

/**
 * Variants whose rows would change each other in one batched call, with why: they never run in
 * lock step. `int8` quantises its activations per call (`DynamicQuantizeLinear` takes one scale over
 * the whole [B,K] tensor), so a row's result would depend on the other rows.
 */
export const rowCoupledVariants: Readonly<Record<string, string>> = Object.freeze({
  int8: 'its activations are quantised with one scale per call, shared by every row',
});

/**
 * The bytes of `model`'s graph and opsets, without who made it (producer, doc string, metadata): a
 * rebuild by another `@eou/fusion` version, or the same graph written by another tool, compares equal.
 */
function graphBytes(model: Model): Uint8Array {
  const { docString: _doc, ...rest } = model;
  return writeOnnx({ ...rest, producerName: '', producerVersion: '', metadata: {} });
}

/**
 * Why the shipped files of `variant` in `modelDir` are not what the directory's pair builds, or
 * undefined when they are (or are absent). Lock step decodes the variant rebuilt from the widened
 * pair, so it decodes the shipped graph only when the shipped file holds that graph; one made by
 * another tool or edited (which `checkVariantSources` lets through when no metadata names another
 * pair) would be gated in lock step as a graph it is not.
 */
function shippedDiffers(
  modelDir: string,
  input: VariantBuildInput,
  variant: BuildableVariant,
): string | undefined {
  for (const b of variant.build(input)) {
    const file = join(modelDir, b.fileName);
    if (!existsSync(file)) continue;
    const shipped = graphBytes(readOnnx(readFileSync(file), { path: file }));
    if (!Buffer.from(shipped).equals(graphBytes(b.model)))
      return `its shipped ${b.fileName} is not the graph ${splitFileNames.decoder} and ${splitFileNames.joint} build, so a lock-step build would decode another graph`;
  }
  return undefined;
}

/** What {@link writeBatchedModelDirectory} wrote. */
export interface BatchedModelDirectory {
  readonly dir: string;
  /** The variants built in `dir` from the widened pair. */
  readonly built: readonly string[];
  /**
   * Requested variants left out, with why: row-coupled ones ({@link rowCoupledVariants}), and built
   * ones whose shipped files hold another graph than the pair builds.
   */
  readonly skipped: Readonly<Record<string, string>>;
}

/**
 * Writes into `outDir` (created; meant to be a fresh directory the caller renames into place) the
 * widened pair, the directory's small text files (`model.json`, `vocab.json`, ...), and each of
 * `variants` that a builder makes, built from the widened pair. `ref` and `cached` need the pair
 * only; row-coupled variants ({@link rowCoupledVariants}), and built ones whose shipped files in
 * `modelDir` hold another graph than the shipped pair builds, are left out and listed in `skipped`.
 * @throws FusionError `E_VARIANT` for a name that is neither shipped nor buildable; the reading and
 *   building errors of {@link fuseModelDirectory}
 */
export function writeBatchedModelDirectory(
  modelDir: string,
  outDir: string,
  variants: readonly string[],
): BatchedModelDirectory {
  for (const v of variants)
    if (!isVariantKind(v))
      throw new FusionError(`unknown variant '${v}' for a batched build`, 'E_VARIANT', { field: 'variant' });
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(modelDir))
    if (/\.(json|txt)$/.test(name)) copyFileSync(join(modelDir, name), join(outDir, name));
  for (const file of [splitFileNames.decoder, splitFileNames.joint]) {
    const from = join(modelDir, file);
    if (!existsSync(from))
      throw new FusionError(`${from}: cannot read model (file not found)`, 'E_ONNX_READ', { file: from });
    const bytes = readFileSync(from);
    const sha = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(outDir, file), writeOnnx(widenBatch(readOnnx(bytes, { path: from }), sha)));
  }
  const built: string[] = [];
  const skipped: Record<string, string> = {};
  let shipped: VariantBuildInput | undefined;
  for (const v of new Set(variants)) {
    if (Object.hasOwn(rowCoupledVariants, v)) {
      skipped[v] = rowCoupledVariants[v]!;
      continue;
    }
    const variant = variantOf(v);
    if (!variant.buildable) continue;
    shipped ??= readVariantBuildInput(modelDir);
    const differs = shippedDiffers(modelDir, shipped, variant);
    if (differs !== undefined) {
      skipped[v] = differs;
      continue;
    }
    fuseModelDirectory(outDir, { variant: v });
    built.push(v);
  }
  return { dir: outDir, built, skipped };
}
