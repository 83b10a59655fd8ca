/**
 * A CoreML ML Program model as this package holds it, whichever container it came from: the
 * model description (inputs/outputs with shapes and dtypes, metadata), the specification version
 * and the MIL program with its blob weights loaded.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { coremlError } from './coremlFormatError';
import { readBlobTensor } from './blobStorage';
import type { MilFunction, MilNamedType, MilProgram, MilValue } from './milProgram';
import { IR_DTYPE_OF_MIL, specVersionOfOpset } from './milProgram';

/** Element types of a CoreML MultiArray feature. */
export type ArrayDataType = 'float32' | 'float64' | 'float16' | 'int32' | 'int8';

const ARRAY_DTYPE_CODES: Record<ArrayDataType, number> = {
  float32: 65568,
  float64: 65600,
  float16: 65552,
  int32: 131104,
  int8: 131080,
};
const ARRAY_DTYPE_BY_CODE = new Map(
  Object.entries(ARRAY_DTYPE_CODES).map(([k, v]) => [v, k as ArrayDataType]),
);

export type FeatureType =
  | {
      readonly kind: 'multiArray';
      readonly shape: readonly number[];
      readonly dataType: ArrayDataType;
      /** Enumerated shapes or size ranges, kept as decoded so a rewrite preserves them. */
      readonly flexibility?: { readonly enumeratedShapes?: unknown; readonly shapeRange?: unknown };
    }
  | { readonly kind: 'int64' | 'double' | 'string' }
  | { readonly kind: 'state'; readonly shape: readonly number[]; readonly dataType: ArrayDataType };

export interface FeatureDescription {
  readonly name: string;
  readonly shortDescription?: string;
  readonly type: FeatureType;
  readonly isOptional?: boolean;
}

export interface ModelMetadata {
  readonly shortDescription?: string;
  readonly versionString?: string;
  readonly author?: string;
  readonly license?: string;
  readonly userDefined: Readonly<Record<string, string>>;
}

export interface ModelDescription {
  readonly inputs: readonly FeatureDescription[];
  readonly outputs: readonly FeatureDescription[];
  readonly states: readonly FeatureDescription[];
  readonly metadata: ModelMetadata;
}

/** Options of the CoreML readers. */
export interface ReadCoreMLOptions {
  /** Load (and check) blob weights; default true. `false` reads the structure only. */
  readonly weights?: boolean;
}

/** A CoreML ML Program model read from (or to be written to) `.mlmodelc` / `.mlpackage`. */
export interface CoreMLModel {
  readonly format: 'mlmodelc' | 'mlpackage';
  /** The directory it was read from ('' for models built in memory). */
  readonly path: string;
  readonly specificationVersion: number;
  readonly description: ModelDescription;
  /** Blob values carry their loaded `data`. */
  readonly program: MilProgram;
  /** Where the description came from (`coremldata.bin`, `metadata.json`, `model.mil`, `model.mlmodel`). */
  readonly descriptionSource: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Pb = any;

function featureTypeFromProto(t: Pb, where: string, file: string): FeatureType {
  const arr = (a: Pb) => {
    const dataType = ARRAY_DTYPE_BY_CODE.get(Number(a?.dataType ?? 0));
    if (dataType === undefined)
      throw coremlError('E_PROTO', file, where, `unknown MultiArray data type ${a?.dataType}`);
    return { shape: (a.shape ?? []).map(Number) as number[], dataType };
  };
  if (t?.multiArrayType) {
    const a = t.multiArrayType;
    const flex = a.enumeratedShapes
      ? { enumeratedShapes: a.enumeratedShapes }
      : a.shapeRange
        ? { shapeRange: a.shapeRange }
        : undefined;
    return { kind: 'multiArray', ...arr(a), ...(flex ? { flexibility: flex } : {}) };
  }
  if (t?.stateType?.arrayType) return { kind: 'state', ...arr(t.stateType.arrayType) };
  if (t?.int64Type) return { kind: 'int64' };
  if (t?.doubleType) return { kind: 'double' };
  if (t?.stringType) return { kind: 'string' };
  throw coremlError(
    'E_PROTO',
    file,
    where,
    'unsupported feature type (only MultiArray, state, int64, double and string are read)',
  );
}

function featureFromProto(f: Pb, file: string, where: string): FeatureDescription {
  const name = f.name ?? '';
  return {
    name,
    ...(f.shortDescription ? { shortDescription: f.shortDescription } : {}),
    type: featureTypeFromProto(f.type, `${where} ${name}`, file),
    ...(f.type?.isOptional ? { isOptional: true } : {}),
  };
}

/** Decodes a `ModelDescription` object (protobufjs `toObject`, `longs: String`). */
export function descriptionFromProto(d: Pb, file: string): ModelDescription {
  const m = d?.metadata ?? {};
  const userDefined: Record<string, string> = {};
  for (const k of Object.keys(m.userDefined ?? {}).sort()) userDefined[k] = String(m.userDefined[k]);
  return {
    inputs: (d?.input ?? []).map((f: Pb) => featureFromProto(f, file, 'input')),
    outputs: (d?.output ?? []).map((f: Pb) => featureFromProto(f, file, 'output')),
    states: (d?.state ?? []).map((f: Pb) => featureFromProto(f, file, 'state')),
    metadata: {
      ...(m.shortDescription ? { shortDescription: m.shortDescription } : {}),
      ...(m.versionString ? { versionString: m.versionString } : {}),
      ...(m.author ? { author: m.author } : {}),
      ...(m.license ? { license: m.license } : {}),
      userDefined,
    },
  };
}

function featureTypeToProto(t: FeatureType): Pb {
  switch (t.kind) {
    case 'multiArray':
      return {
        multiArrayType: {
          shape: [...t.shape],
          dataType: ARRAY_DTYPE_CODES[t.dataType],
          ...(t.flexibility ?? {}),
        },
      };
    case 'state':
      return { stateType: { arrayType: { shape: [...t.shape], dataType: ARRAY_DTYPE_CODES[t.dataType] } } };
    case 'int64':
      return { int64Type: {} };
    case 'double':
      return { doubleType: {} };
    case 'string':
      return { stringType: {} };
  }
}

/** Encodes a description as a `ModelDescription` object for protobufjs. */
export function descriptionToProto(d: ModelDescription): Pb {
  const feature = (f: FeatureDescription) => ({
    name: f.name,
    ...(f.shortDescription ? { shortDescription: f.shortDescription } : {}),
    type: { ...featureTypeToProto(f.type), ...(f.isOptional ? { isOptional: true } : {}) },
  });
  const m = d.metadata;
  return {
    input: d.inputs.map(feature),
    output: d.outputs.map(feature),
    state: d.states.map(feature),
    metadata: {
      ...(m.shortDescription ? { shortDescription: m.shortDescription } : {}),
      ...(m.versionString ? { versionString: m.versionString } : {}),
      ...(m.author ? { author: m.author } : {}),
      ...(m.license ? { license: m.license } : {}),
      userDefined: { ...m.userDefined },
    },
  };
}

const ARRAY_DTYPE_OF_MIL: Partial<Record<string, ArrayDataType>> = {
  fp32: 'float32',
  fp64: 'float64',
  fp16: 'float16',
  int32: 'int32',
  int8: 'int8',
};

/** A description derived from a function's signature (when no better source exists). */
export function descriptionFromFunction(fn: MilFunction, file: string): ModelDescription {
  const typeOf = (nt: MilNamedType): FeatureDescription => {
    const t = nt.type.kind === 'state' ? nt.type.wrapped : nt.type;
    if (t.kind !== 'tensor' || t.shape === null)
      throw coremlError(
        'E_MIL_TYPE',
        file,
        `input ${nt.name}`,
        'function inputs must be tensors of known rank',
      );
    const dataType = ARRAY_DTYPE_OF_MIL[t.dtype];
    if (dataType === undefined)
      throw coremlError(
        'E_MIL_TYPE',
        file,
        `input ${nt.name}`,
        `a ${t.dtype} tensor cannot be a model feature`,
      );
    const shape = t.shape.map((d) => (d === '?' ? 1 : d));
    return {
      name: nt.name,
      type:
        nt.type.kind === 'state'
          ? { kind: 'state', shape, dataType }
          : { kind: 'multiArray', shape, dataType },
    };
  };
  const outTypes = new Map<string, MilNamedType>();
  for (const op of fn.operations) for (const o of op.outputs) outTypes.set(o.name, o);
  for (const i of fn.inputs) outTypes.set(i.name, i);
  return {
    inputs: fn.inputs.filter((i) => i.type.kind !== 'state').map(typeOf),
    states: fn.inputs.filter((i) => i.type.kind === 'state').map(typeOf),
    outputs: fn.outputs.map((name) => {
      const nt = outTypes.get(name);
      if (nt === undefined)
        throw coremlError(
          'E_MIL_TYPE',
          file,
          `output ${name}`,
          'the function returns a variable nothing defines',
        );
      return typeOf(nt);
    }),
    metadata: { userDefined: {} },
  };
}

/** The `main` function (or the only one). */
export function mainFunction(program: MilProgram, file: string): MilFunction {
  const f =
    program.functions.find((x) => x.name === 'main') ??
    (program.functions.length === 1 ? program.functions[0] : undefined);
  if (f === undefined)
    throw coremlError(
      'E_MIL_SYNTAX',
      file,
      undefined,
      `no 'main' function among ${program.functions.map((x) => x.name).join(', ')}`,
    );
  return f;
}

/** Specification version implied by the program's opset (ios17 -> 8). */
export function specVersionOfProgram(program: MilProgram): number {
  return Math.max(...program.functions.map((f) => specVersionOfOpset(f.opset) ?? 6));
}

/**
 * Loads every `BLOBFILE` value of `program` from blob storage, checking each against its declared
 * dtype and shape. `@model_path` resolves to `modelDir`.
 * @throws {CoreMLFormatError} E_BLOB naming the weight file and byte offset; E_MIL_TYPE for a path outside the model.
 */
export function loadBlobs(program: MilProgram, modelDir: string, labelRoot: string): MilProgram {
  const files = new Map<string, Uint8Array>();
  const load = (v: MilValue): MilValue => {
    if (v.kind === 'tuple' || v.kind === 'list') return { ...v, values: v.values.map(load) };
    if (v.kind === 'dict') return { ...v, entries: v.entries.map(([a, b]) => [load(a), load(b)] as const) };
    if (v.kind !== 'blob') return v;
    if (!v.path.startsWith('@model_path/') || v.path.includes('..')) {
      throw coremlError(
        'E_MIL_TYPE',
        labelRoot,
        undefined,
        `blob path must start with @model_path/ and stay inside the model, got ${v.path}`,
      );
    }
    const abs = join(modelDir, v.path.slice('@model_path/'.length));
    const label = join(labelRoot, relative(modelDir, abs));
    let bytes = files.get(abs);
    if (bytes === undefined) {
      try {
        bytes = new Uint8Array(readFileSync(abs));
      } catch {
        throw coremlError('E_BLOB', label, undefined, 'weight file is missing or unreadable');
      }
      files.set(abs, bytes);
    }
    const dtype = IR_DTYPE_OF_MIL[v.type.dtype];
    if (dtype === undefined || v.type.shape === null)
      throw coremlError('E_BLOB', label, `byte ${v.offset}`, `cannot read ${v.type.dtype} blobs`);
    return { ...v, data: readBlobTensor(bytes, v.offset, { dtype, dims: v.type.shape as number[] }, label) };
  };
  return {
    ...program,
    attributes: program.attributes.map((a) => ({ ...a, value: load(a.value) })),
    functions: program.functions.map((f) => ({
      ...f,
      operations: f.operations.map((op) => ({
        ...op,
        attributes: op.attributes.map((a) => ({ ...a, value: load(a.value) })),
        inputs: op.inputs.map((arg) => ({
          ...arg,
          bindings: arg.bindings.map((b) => (b.kind === 'value' ? { ...b, value: load(b.value) } : b)),
        })),
      })),
    })),
  };
}
