/**
 * One variant's graphs decoding differently on chosen files only. Single-file decoding loads a built
 * variant's shipped file; lock-step decoding rebuilds the variant from the widened decoder / joint
 * pair (`writeBatchedModelDirectory`). {@link makeLeanFileStale} gives a lean file that is not what
 * the pair builds: column 0 of the joint's encoder projection changed, and no `@eou/fusion` metadata
 * (made by another tool, which `checkVariantSources` lets through; a batched build now leaves such a
 * file out). Applied to the lean of a directory of batch-capable graphs instead, it makes lock step
 * decode another graph than the single-file one (the check's fallback, through the test seam). Every
 * frame of the corpus gets 0 in encoder dim 0 except in the marked files: elsewhere that column only
 * ever meets zeros, so both graphs give the same sums bit for bit and decode alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readOnnx, writeOnnx } from '@eou/graph';
import { encodeNpy, parseNpy } from '@eou/rnnt-decode';

/** The shipped file of `lean` (what single-file decoding loads). */
export const LEAN_FILE = 'decoder_joint_decision_fused.onnx';

/** fp16 bits of +8 and -8: far from the synthetic weights, so the marked files' decisions move. */
const PLUS_8 = 0x4800;
const MINUS_8 = 0xc800;

/**
 * Rewrites `modelDir`'s shipped lean file as another tool could have made it: column 0 of
 * `joint.enc.weight` ([J, E], fp16) set to +8 / -8 by row parity, no metadata. The decoder / joint
 * pair, and so every lock-step build, stays as it was. With `keepMetadata` (for a lock-step graph
 * edited in place) the metadata stays.
 */
export function makeLeanFileStale(modelDir: string, options: { keepMetadata?: boolean } = {}): void {
  const file = path.join(modelDir, LEAN_FILE);
  const model = readOnnx(fs.readFileSync(file), { path: file });
  const weight = model.graph.initializers.get('joint.enc.weight');
  if (weight?.dtype !== 'float16' || weight.dims.length !== 2)
    throw new Error(`${file}: expected an fp16 [J, E] joint.enc.weight`);
  const [rows, cols] = weight.dims as [number, number];
  const data = Uint16Array.from(weight.data as Uint16Array);
  for (let j = 0; j < rows; j++) data[j * cols] = j % 2 === 0 ? PLUS_8 : MINUS_8;
  const initializers = new Map(model.graph.initializers);
  initializers.set('joint.enc.weight', { ...weight, data });
  const metadata = options.keepMetadata === true ? model.metadata : {};
  fs.writeFileSync(file, writeOnnx({ ...model, metadata, graph: { ...model.graph, initializers } }));
}

/**
 * Sets encoder dim 0 of every frame of the corpus to 0, and to 1 in the files at the manifest
 * positions `marked` (where the stale column then counts).
 */
export function markFramesDimZero(corpusDir: string, marked: readonly number[]): void {
  const lines = fs.readFileSync(path.join(corpusDir, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean);
  lines.forEach((line, index) => {
    const file = path.join(corpusDir, (JSON.parse(line) as { frames: string }).frames);
    const npy = parseNpy(new Uint8Array(fs.readFileSync(file)), file);
    const width = npy.dims[1];
    for (let at = 0; at < npy.data.length; at += width) npy.data[at] = marked.includes(index) ? 1 : 0;
    fs.writeFileSync(file, encodeNpy(npy.data, npy.dims));
  });
}
