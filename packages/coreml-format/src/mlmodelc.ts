/**
 * Reads a compiled `.mlmodelc` holding an ML Program: `model.mil` (parsed), `weights/*.bin`
 * (blob storage) and the model description from `coremldata.bin` (the serialized
 * `ModelDescription` it embeds), else from `metadata.json`, else from the MIL signature.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { coremlError } from './coremlFormatError';
import { coremlRoot } from './coremlSchema';
import type {
  ArrayDataType,
  CoreMLModel,
  FeatureDescription,
  ModelDescription,
  ReadCoreMLOptions,
} from './coremlModel';
import {
  descriptionFromFunction,
  descriptionFromProto,
  loadBlobs,
  mainFunction,
  specVersionOfProgram,
} from './coremlModel';
import { parseMil } from './milParser';

/** The parts of `coremldata.bin` this reader understands. */
export interface CoremlDataBin {
  readonly specificationVersion: number;
  readonly description: ModelDescription;
}

const DESC_LEN_AT = 0x4b;
const DESC_AT = 0x53;

/**
 * Decodes the model description embedded in an ML Program's `coremldata.bin` (observed layout:
 * uint32 502 at 0, specificationVersion byte at 0x2b, description length at 0x4b, the serialized
 * `ModelDescription` at 0x53).
 * @throws {CoreMLFormatError} E_PROTO naming the file and byte offset.
 */
export function readCoremlDataBin(bytes: Uint8Array, file: string): CoremlDataBin {
  if (bytes.byteLength < DESC_AT)
    throw coremlError(
      'E_PROTO',
      file,
      'byte 0',
      `coremldata.bin needs at least ${DESC_AT} bytes, got ${bytes.byteLength}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint32(0, true);
  if (kind !== 502) throw coremlError('E_PROTO', file, 'byte 0', `expected 502 (an ML Program), got ${kind}`);
  const len = view.getUint32(DESC_LEN_AT, true);
  if (view.getUint32(DESC_LEN_AT + 4, true) !== 0 || DESC_AT + len > bytes.byteLength) {
    throw coremlError(
      'E_PROTO',
      file,
      `byte ${DESC_LEN_AT}`,
      `description length ${len} runs past the end of the file (${bytes.byteLength} bytes)`,
    );
  }
  let decoded: unknown;
  try {
    const T = coremlRoot().lookupType('CoreML.Specification.ModelDescription');
    decoded = T.toObject(T.decode(bytes.subarray(DESC_AT, DESC_AT + len)), { longs: String, enums: Number });
  } catch (e) {
    throw coremlError(
      'E_PROTO',
      file,
      `byte ${DESC_AT}`,
      `model description does not decode: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  return { specificationVersion: bytes[0x2b]!, description: descriptionFromProto(decoded, file) };
}

const JSON_DTYPES: Record<string, ArrayDataType> = {
  Float32: 'float32',
  Float16: 'float16',
  Float64: 'float64',
  Double: 'float64',
  Int32: 'int32',
  Int8: 'int8',
};

/**
 * Reads the description from `metadata.json` (a one-element array; shapes are strings like "[1, 640]").
 * @throws {CoreMLFormatError} E_METADATA naming the file and the field.
 */
export function descriptionFromMetadataJson(
  text: string,
  file: string,
): { description: ModelDescription; specificationVersion?: number } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw coremlError('E_METADATA', file, undefined, `not JSON: ${(e as Error).message}`);
  }
  const m = (Array.isArray(doc) ? doc[0] : doc) as Record<string, unknown> | undefined;
  if (m === undefined || typeof m !== 'object' || m === null)
    throw coremlError('E_METADATA', file, undefined, 'expected an array holding one object');
  const schema = (key: string): FeatureDescription[] => {
    const arr = m[key] ?? [];
    if (!Array.isArray(arr)) throw coremlError('E_METADATA', file, key, 'must be an array');
    return arr.map((f: Record<string, unknown>, i: number) => {
      const where = `${key}[${i}]`;
      if (typeof f?.name !== 'string') throw coremlError('E_METADATA', file, where, 'name must be a string');
      if (f.type !== 'MultiArray' && f.type !== 'State')
        throw coremlError(
          'E_METADATA',
          file,
          where,
          `type must be MultiArray or State, got ${String(f.type)}`,
        );
      const dataType = JSON_DTYPES[String(f.dataType)];
      if (dataType === undefined)
        throw coremlError('E_METADATA', file, where, `unknown dataType ${String(f.dataType)}`);
      const shape = String(f.shape ?? '[]')
        .replace(/[[\]\s]/g, '')
        .split(',')
        .filter((s) => s !== '')
        .map(Number);
      if (shape.some((d) => !Number.isInteger(d) || d < 0))
        throw coremlError('E_METADATA', file, where, `shape must be "[d0, d1, ...]", got ${String(f.shape)}`);
      return {
        name: f.name,
        ...(typeof f.shortDescription === 'string' && f.shortDescription !== ''
          ? { shortDescription: f.shortDescription }
          : {}),
        type:
          f.type === 'State' ? { kind: 'state', shape, dataType } : { kind: 'multiArray', shape, dataType },
      };
    });
  };
  const user = (m.userDefinedMetadata ?? {}) as Record<string, unknown>;
  const str = (k: string) =>
    typeof m[k] === 'string' && m[k] !== '' ? { [k === 'version' ? 'versionString' : k]: m[k] } : {};
  const spec = Number(m.specificationVersion);
  return {
    description: {
      inputs: schema('inputSchema'),
      outputs: schema('outputSchema'),
      states: schema('stateSchema'),
      metadata: {
        ...str('shortDescription'),
        ...str('version'),
        ...str('author'),
        ...str('license'),
        userDefined: Object.fromEntries(
          Object.keys(user)
            .sort()
            .map((k) => [k, String(user[k])]),
        ),
      },
    },
    ...(Number.isInteger(spec) && spec > 0 ? { specificationVersion: spec } : {}),
  };
}

/**
 * Reads an `.mlmodelc` directory holding an ML Program (with `weights: false`, blob values keep
 * only their declared type and offset).
 * @throws {CoreMLFormatError} with the file and position of the first problem.
 */
export function readMlmodelc(dir: string, options: ReadCoreMLOptions = {}): CoreMLModel {
  const milPath = join(dir, 'model.mil');
  if (!existsSync(milPath))
    throw coremlError('E_FORMAT', dir, undefined, 'no model.mil: not an ML Program .mlmodelc');
  const parsed = parseMil(readFileSync(milPath, 'utf8'), milPath);
  const program = options.weights === false ? parsed : loadBlobs(parsed, dir, dir);
  const main = mainFunction(program, milPath);
  let description: ModelDescription;
  let specificationVersion = specVersionOfProgram(program);
  let descriptionSource: string;
  const dataBin = join(dir, 'coremldata.bin');
  const metaJson = join(dir, 'metadata.json');
  if (existsSync(dataBin)) {
    const d = readCoremlDataBin(new Uint8Array(readFileSync(dataBin)), dataBin);
    description = d.description;
    specificationVersion = d.specificationVersion;
    descriptionSource = basename(dataBin);
  } else if (existsSync(metaJson)) {
    const d = descriptionFromMetadataJson(readFileSync(metaJson, 'utf8'), metaJson);
    description = d.description;
    if (d.specificationVersion !== undefined) specificationVersion = d.specificationVersion;
    descriptionSource = basename(metaJson);
  } else {
    description = descriptionFromFunction(main, milPath);
    descriptionSource = 'model.mil';
  }
  return { format: 'mlmodelc', path: dir, specificationVersion, description, program, descriptionSource };
}
