/**
 * Format detection and a one-screen summary of any model this toolkit reads (`.onnx`,
 * `.mlmodelc`, `.mlpackage`): inputs/outputs with dtypes and shapes, op histogram and weight
 * bytes by dtype, like the `metadata.json` coremlc writes. Also the `convert` entry point.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Model, TensorValue } from '@eou/graph';
import { elementCount, readOnnxFile, writeOnnxFile } from '@eou/graph';
import { coremlError, CoreMLFormatError } from './coremlFormatError';
import type { CoreMLModel } from './coremlModel';
import { mainFunction } from './coremlModel';
import { IR_DTYPE_OF_MIL } from './milProgram';
import { milToGraph } from './milGraph';
import { milToOnnx } from './milToOnnx';
import { readMlmodelc } from './mlmodelc';
import { readMlpackage, writeMlpackage } from './mlpackage';

/** Model container formats. */
export type ModelFormat = 'onnx' | 'mlmodelc' | 'mlpackage';

/**
 * Which format `path` holds: a directory with `Manifest.json` is an `.mlpackage`, one with
 * `model.mil` an `.mlmodelc`, a file an ONNX model.
 * @throws {CoreMLFormatError} E_FORMAT when the path is missing or none of these.
 */
export function detectModelFormat(path: string): ModelFormat {
  if (!existsSync(path)) throw coremlError('E_FORMAT', path, undefined, 'no such file or directory');
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'Manifest.json'))) return 'mlpackage';
    if (existsSync(join(path, 'model.mil'))) return 'mlmodelc';
    throw coremlError(
      'E_FORMAT',
      path,
      undefined,
      'a directory must be an .mlpackage (Manifest.json) or an ML Program .mlmodelc (model.mil)',
    );
  }
  return 'onnx';
}

/** Reads an `.mlmodelc` or `.mlpackage`. */
export function readCoreML(path: string): CoreMLModel {
  const f = detectModelFormat(path);
  if (f === 'onnx')
    throw coremlError(
      'E_FORMAT',
      path,
      undefined,
      'expected an .mlmodelc or .mlpackage directory, got a file',
    );
  return f === 'mlpackage' ? readMlpackage(path) : readMlmodelc(path);
}

/** One input or output. */
export interface FeatureSummary {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly (number | string)[];
}

/** What `eou inspect` prints. */
export interface ModelSummary {
  readonly path: string;
  readonly format: ModelFormat;
  /** CoreML specificationVersion, or the ONNX IR version. */
  readonly version: number;
  /** `ios17` / `ai.onnx 17`. */
  readonly opset: string;
  readonly inputs: readonly FeatureSummary[];
  readonly outputs: readonly FeatureSummary[];
  /** Op type -> count (MIL `const` and ONNX initializers are weights, not ops), sorted by name. */
  readonly ops: Readonly<Record<string, number>>;
  readonly opCount: number;
  /** dtype -> bytes of constant data (weights and literal consts). */
  readonly weightBytes: Readonly<Record<string, number>>;
  readonly weightCount: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** True when a CoreML model's weight file is absent (the summary comes from the declared types). */
  readonly weightsMissing?: boolean;
}

const WIDTH: Record<string, number> = {
  float16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  bool: 1,
};

function tensorBytes(t: TensorValue): number {
  if (t.dtype === 'string') return (t.data as string[]).reduce((n, s) => n + Buffer.byteLength(s), 0);
  return elementCount(t.dims) * WIDTH[t.dtype]!;
}

function summarise(
  path: string,
  format: ModelFormat,
  version: number,
  opset: string,
  m: Model,
  skipOps: ReadonlySet<string>,
): ModelSummary {
  const ops: Record<string, number> = {};
  for (const n of m.graph.nodes) {
    if (skipOps.has(n.opType)) continue;
    const k = n.domain === '' || n.domain === 'coreml.mil' ? n.opType : `${n.domain}.${n.opType}`;
    ops[k] = (ops[k] ?? 0) + 1;
  }
  const weightBytes: Record<string, number> = {};
  for (const t of m.graph.initializers.values())
    weightBytes[t.dtype] = (weightBytes[t.dtype] ?? 0) + tensorBytes(t);
  const sorted = (r: Record<string, number>) =>
    Object.fromEntries(
      Object.keys(r)
        .sort()
        .map((k) => [k, r[k]!]),
    );
  const feat = (v: { name: string; dtype: string; shape: readonly (number | string)[] }) => ({
    name: v.name,
    dtype: v.dtype,
    shape: [...v.shape],
  });
  return {
    path,
    format,
    version,
    opset,
    inputs: m.graph.inputs.map(feat),
    outputs: m.graph.outputs.map(feat),
    ops: sorted(ops),
    opCount: Object.values(ops).reduce((a, b) => a + b, 0),
    weightBytes: sorted(weightBytes),
    weightCount: m.graph.initializers.size,
    metadata: { ...m.metadata },
  };
}

/**
 * Reads any supported model and summarises it.
 * @throws {CoreMLFormatError} with the file and position when a CoreML model does not read;
 *   `GraphError` (of `@eou/graph`) when an ONNX file does not.
 */
export function inspectModel(path: string): ModelSummary {
  const format = detectModelFormat(path);
  if (format === 'onnx') {
    const m = readOnnxFile(path);
    const opset = m.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    return summarise(path, format, m.irVersion, `ai.onnx ${opset?.version ?? '?'}`, m, new Set());
  }
  const read = (weights: boolean) =>
    format === 'mlpackage' ? readMlpackage(path, { weights }) : readMlmodelc(path, { weights });
  let c: CoreMLModel;
  let weightsPresent = true;
  try {
    c = read(true);
  } catch (e) {
    // a compiled model whose weights were stripped (e.g. Git LFS pointers) is still worth a look
    if (!(e instanceof CoreMLFormatError && e.code === 'E_BLOB' && e.field === undefined)) throw e;
    c = read(false);
    weightsPresent = false;
  }
  const s = summarise(
    path,
    format,
    c.specificationVersion,
    mainFunction(c.program, path).opset,
    milToGraph(c),
    new Set(['const']),
  );
  // CoreML weight bytes come from the declared const types, so they are known without the blobs
  const weightBytes: Record<string, number> = {};
  let weightCount = 0;
  for (const op of mainFunction(c.program, path).operations) {
    const t = op.type === 'const' ? op.outputs[0]?.type : undefined;
    if (t?.kind !== 'tensor' || t.shape === null || t.shape.some((d) => d === '?')) continue;
    const dtype = IR_DTYPE_OF_MIL[t.dtype] ?? t.dtype;
    const val = op.attributes.find((a) => a.name === 'val')?.value;
    const bytes =
      dtype === 'string' && val?.kind === 'tensor'
        ? tensorBytes(val.data)
        : elementCount(t.shape as number[]) * (WIDTH[dtype] ?? 1);
    weightBytes[dtype] = (weightBytes[dtype] ?? 0) + bytes;
    weightCount++;
  }
  return {
    ...s,
    weightBytes: Object.fromEntries(
      Object.keys(weightBytes)
        .sort()
        .map((k) => [k, weightBytes[k]!]),
    ),
    weightCount,
    ...(weightsPresent ? {} : { weightsMissing: true }),
  };
}

/** Options of {@link convertModel}. */
export interface ConvertOptions {
  readonly to: 'onnx' | 'mlpackage';
  /** Output path; default: the input's name with the new extension, next to it. */
  readonly out?: string;
}

/**
 * Converts a CoreML model to ONNX or (re)writes it as an `.mlpackage`. Writes atomically.
 * @returns the output path.
 * @throws {CoreMLFormatError} E_FORMAT for conversions that do not exist (ONNX -> CoreML) or would
 *   overwrite the input; conversion errors name the file and op.
 */
export function convertModel(path: string, options: ConvertOptions): string {
  const format = detectModelFormat(path);
  if (format === 'onnx')
    throw coremlError(
      'E_FORMAT',
      path,
      undefined,
      `converting ONNX to ${options.to} is not supported (CoreML -> ONNX and CoreML -> mlpackage are)`,
    );
  const stem = basename(path).replace(/\.(mlmodelc|mlpackage)\/?$/, '') || basename(path, extname(path));
  const out = options.out ?? join(dirname(path), `${stem}.${options.to}`);
  if (out.replace(/\/+$/, '') === path.replace(/\/+$/, ''))
    throw coremlError('E_FORMAT', out, undefined, 'the output would overwrite the input; pass another --out');
  const model = format === 'mlpackage' ? readMlpackage(path) : readMlmodelc(path);
  if (options.to === 'onnx') writeOnnxFile(out, milToOnnx(model));
  else writeMlpackage(out, model);
  return out;
}
