/**
 * `.mlpackage` reader and writer. Reading resolves `Manifest.json` `rootModelIdentifier` to the
 * `model.mlmodel` protobuf (a `Model` holding an ML Program) and loads its blob weights. Writing
 * produces `Manifest.json` (sorted keys, 4-space indent, identifiers derived from the content),
 * `Data/com.apple.CoreML/model.mlmodel` and `weights/weight.bin`, byte-for-byte reproducible,
 * and replaces the target directory atomically.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, normalize, sep } from 'node:path';
import { writeBlobStorage } from './blobStorage';
import { coremlError } from './coremlFormatError';
import { coremlRoot } from './coremlSchema';
import type { CoreMLModel, ReadCoreMLOptions } from './coremlModel';
import { descriptionFromProto, descriptionToProto, loadBlobs } from './coremlModel';
import { milProgramFromProto, milProgramToProto } from './milProto';
import type { MilProgram, MilValue } from './milProgram';

const MODEL_DIR = 'com.apple.CoreML';
const WEIGHT_FILE = '@model_path/weights/weight.bin';

interface ManifestEntry {
  author: string;
  description: string;
  name: string;
  path: string;
}

/**
 * Resolves the root model file of a package through its manifest.
 * @throws {CoreMLFormatError} E_MANIFEST naming Manifest.json and the field.
 */
export function resolveMlpackageRoot(dir: string): string {
  const file = join(dir, 'Manifest.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw coremlError('E_MANIFEST', file, undefined, 'Manifest.json is missing or unreadable');
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw coremlError('E_MANIFEST', file, undefined, `not JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw coremlError('E_MANIFEST', file, undefined, 'expected a JSON object');
  const version = doc.fileFormatVersion;
  if (typeof version !== 'string' || !/^1\.0\.0$/.test(version)) {
    throw coremlError(
      'E_MANIFEST',
      file,
      'fileFormatVersion',
      `must be "1.0.0", got ${JSON.stringify(version)}`,
    );
  }
  const root = doc.rootModelIdentifier;
  if (typeof root !== 'string')
    throw coremlError('E_MANIFEST', file, 'rootModelIdentifier', 'must be a string');
  const entries = doc.itemInfoEntries as Record<string, Partial<ManifestEntry>> | undefined;
  const entry = entries?.[root];
  if (typeof entry !== 'object' || entry === null) {
    throw coremlError('E_MANIFEST', file, 'itemInfoEntries', `has no entry for rootModelIdentifier ${root}`);
  }
  if (typeof entry.path !== 'string')
    throw coremlError('E_MANIFEST', file, `itemInfoEntries.${root}.path`, 'must be a string');
  const rel = normalize(entry.path);
  if (rel.startsWith('..') || rel.startsWith(sep)) {
    throw coremlError(
      'E_MANIFEST',
      file,
      `itemInfoEntries.${root}.path`,
      `must stay inside Data/, got ${entry.path}`,
    );
  }
  return join(dir, 'Data', rel);
}

/**
 * Reads an `.mlpackage` holding an ML Program.
 * @throws {CoreMLFormatError} E_MANIFEST / E_PROTO / E_BLOB naming the file and position.
 */
export function readMlpackage(dir: string, options: ReadCoreMLOptions = {}): CoreMLModel {
  const modelFile = resolveMlpackageRoot(dir);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(modelFile);
  } catch {
    throw coremlError(
      'E_MANIFEST',
      modelFile,
      undefined,
      'the root model file named by Manifest.json is missing',
    );
  }
  const T = coremlRoot().lookupType('CoreML.Specification.Model');
  let m: Record<string, unknown>;
  try {
    m = T.toObject(T.decode(bytes), { longs: String, enums: Number });
  } catch (e) {
    throw coremlError(
      'E_PROTO',
      modelFile,
      undefined,
      `not a CoreML Model protobuf: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (m.mlProgram === undefined)
    throw coremlError(
      'E_PROTO',
      modelFile,
      'field 502',
      'not an ML Program (neural network and pipeline models are not read)',
    );
  const decoded = milProgramFromProto(m.mlProgram, modelFile);
  const program =
    options.weights === false ? decoded : loadBlobs(decoded, dirname(modelFile), dirname(modelFile));
  return {
    format: 'mlpackage',
    path: dir,
    specificationVersion: Number(m.specificationVersion ?? 0),
    description: descriptionFromProto(m.description, modelFile),
    program,
    descriptionSource: basename(modelFile),
  };
}

function collectBlobs(program: MilProgram): MilValue[] {
  const out: MilValue[] = [];
  const walk = (v: MilValue) => {
    if (v.kind === 'blob') out.push(v);
    else if (v.kind === 'tuple' || v.kind === 'list') v.values.forEach(walk);
    else if (v.kind === 'dict') v.entries.forEach(([a, b]) => (walk(a), walk(b)));
  };
  for (const a of program.attributes) walk(a.value);
  for (const f of program.functions) {
    for (const op of f.operations) {
      for (const arg of op.inputs) for (const b of arg.bindings) if (b.kind === 'value') walk(b.value);
      for (const a of op.attributes) walk(a.value);
    }
  }
  return out;
}

/** Deterministic uppercase UUID-shaped identifier from some bytes. */
function contentId(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  const x = h.digest('hex').toUpperCase();
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Sorted-key JSON with 4-space indent, as coremltools writes Manifest.json. */
function sortedJson(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : typeof x === 'object' && x !== null
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(sort(v), null, 4);
}

/** The files of an `.mlpackage`, relative path -> bytes. */
export interface MlpackageFiles {
  readonly [relativePath: string]: Uint8Array;
}

/**
 * Serializes a model as `.mlpackage` files. All blob values are re-packed into one fresh
 * `weights/weight.bin` in program order (their `offset`s are reassigned); immediates stay inline.
 * @throws {TypeError} when a blob value has no loaded `data`.
 */
export function encodeMlpackage(
  model: Pick<CoreMLModel, 'specificationVersion' | 'description' | 'program'>,
): MlpackageFiles {
  const blobs = collectBlobs(model.program);
  const tensors = blobs.map((b, i) => {
    if (b.kind !== 'blob' || b.data === undefined)
      throw new TypeError(`encodeMlpackage: blob value ${i} has no loaded data`);
    return b.data;
  });
  const { bytes: weights, offsets } = writeBlobStorage(tensors);
  const offsetOf = new Map(blobs.map((b, i) => [b, offsets[i]!]));
  const proto = {
    specificationVersion: model.specificationVersion,
    description: descriptionToProto(model.description),
    mlProgram: milProgramToProto(model.program, (v) => ({
      fileName: WEIGHT_FILE,
      offset: offsetOf.get(v) ?? 0,
    })),
  };
  const T = coremlRoot().lookupType('CoreML.Specification.Model');
  const err = T.verify(proto);
  if (err !== null) throw new TypeError(`encodeMlpackage: the model does not encode: ${err}`);
  const modelBytes = T.encode(T.fromObject(proto)).finish();
  const modelId = contentId('model.mlmodel', modelBytes);
  const weightsId = contentId('weights', weights);
  const manifest = {
    fileFormatVersion: '1.0.0',
    itemInfoEntries: {
      [modelId]: {
        author: MODEL_DIR,
        description: 'CoreML Model Specification',
        name: 'model.mlmodel',
        path: `${MODEL_DIR}/model.mlmodel`,
      },
      [weightsId]: {
        author: MODEL_DIR,
        description: 'CoreML Model Weights',
        name: 'weights',
        path: `${MODEL_DIR}/weights`,
      },
    },
    rootModelIdentifier: modelId,
  };
  return {
    'Manifest.json': new TextEncoder().encode(sortedJson(manifest)),
    [`Data/${MODEL_DIR}/model.mlmodel`]: modelBytes,
    [`Data/${MODEL_DIR}/weights/weight.bin`]: weights,
  };
}

/**
 * Writes a model as an `.mlpackage` directory at `dir`, atomically: the package is assembled in
 * a sibling temp directory and renamed into place, so `dir` is never half-written.
 */
export function writeMlpackage(
  dir: string,
  model: Pick<CoreMLModel, 'specificationVersion' | 'description' | 'program'>,
): void {
  const files = encodeMlpackage(model);
  const tag = randomBytes(4).toString('hex');
  const tmp = join(dirname(dir), `.${basename(dir)}.${tag}.tmp`);
  const old = join(dirname(dir), `.${basename(dir)}.${tag}.old`);
  try {
    for (const [rel, bytes] of Object.entries(files)) {
      const p = join(tmp, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, bytes);
    }
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  } catch (cause) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(old)) renameSync(old, dir);
    throw cause;
  }
}
