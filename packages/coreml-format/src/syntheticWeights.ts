/**
 * "Real-structure" test models: the real `model.mil` of a compiled model (whose `weight.bin` is
 * not available) plus a `weight.bin` of deterministic synthetic weights at exactly the offsets,
 * dtypes and shapes the text declares. The real graph can then be loaded, converted, decoded and
 * fused on any machine.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { TensorValue } from '@eou/graph';
import { elementCount } from '@eou/graph';
import { writeBlobStorage } from './blobStorage';
import { coremlError } from './coremlFormatError';
import { toHalfBits } from './half';
import { parseMil } from './milParser';
import type { MilProgram, MilValue } from './milProgram';
import { IR_DTYPE_OF_MIL } from './milProgram';

/** FNV-1a of a string, to seed each tensor from its const name. */
function hashName(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Deterministic values for a const: uniform in ±1/sqrt(fan_in) (fan_in = last dim, or 1 for
 * vectors; biases get ±0.1), so LSTM and linear activations stay in a sane range.
 */
export function syntheticTensor(
  name: string,
  dtype: 'float16' | 'float32',
  dims: readonly number[],
  seed = 1,
  adjust?: SyntheticAdjust,
): TensorValue {
  let s = hashName(name, seed) || 1;
  const n = elementCount(dims);
  const scale = dims.length >= 2 ? 1 / Math.sqrt(dims.at(-1)!) : 0.1;
  const values = Float32Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32 - 0.5) * 2 * scale;
  });
  adjust?.(name, values);
  if (dtype === 'float32') return { dtype, dims: [...dims], data: values };
  return { dtype, dims: [...dims], data: Uint16Array.from(values, toHalfBits) };
}

/**
 * Edits a const's synthetic values in place before they are stored (e.g. raise the blank
 * logit's bias so that a decode mixes blanks and tokens).
 */
export type SyntheticAdjust = (constName: string, values: Float32Array) => void;

interface BlobConst {
  readonly name: string;
  readonly value: Extract<MilValue, { kind: 'blob' }>;
}

function blobConsts(program: MilProgram): BlobConst[] {
  const out: BlobConst[] = [];
  for (const f of program.functions) {
    for (const op of f.operations) {
      for (const a of op.attributes)
        if (a.value.kind === 'blob') out.push({ name: op.outputs[0]?.name ?? a.name, value: a.value });
    }
  }
  return out.sort((a, b) => a.value.offset - b.value.offset);
}

/**
 * The `weight.bin` for `program`: one synthetic tensor per `BLOBFILE` const, in offset order.
 * @throws {CoreMLFormatError} E_BLOB when the declared offsets are not the blob storage v2 layout of
 *   those shapes (so the file could not be the original's twin).
 */
export function syntheticWeightFile(
  program: MilProgram,
  file: string,
  seed = 1,
  adjust?: SyntheticAdjust,
): Uint8Array {
  const consts = blobConsts(program);
  const tensors = consts.map(({ name, value }) => {
    const dtype = IR_DTYPE_OF_MIL[value.type.dtype];
    if (dtype !== 'float16' && dtype !== 'float32') {
      throw coremlError(
        'E_BLOB',
        file,
        `const ${name}`,
        `synthetic weights are fp16 or fp32, the const is ${value.type.dtype}`,
      );
    }
    return syntheticTensor(name, dtype, value.type.shape as number[], seed, adjust);
  });
  const { bytes, offsets } = writeBlobStorage(tensors);
  consts.forEach(({ name, value }, i) => {
    if (offsets[i] !== value.offset) {
      throw coremlError(
        'E_BLOB',
        file,
        `const ${name}`,
        `declared offset ${value.offset}, but blob storage v2 puts it at ${offsets[i]}`,
      );
    }
  });
  return bytes;
}

/**
 * Writes `<out>` as an `.mlmodelc` holding the real `model.mil` (and `metadata.json`, when
 * present) of `sourceDir` plus a synthetic `weights/weight.bin`. Atomic (temp dir + rename).
 * @returns the size of the weight file.
 */
export function writeSyntheticMlmodelc(
  sourceDir: string,
  out: string,
  seed = 1,
  adjust?: SyntheticAdjust,
): number {
  const milPath = join(sourceDir, 'model.mil');
  const program = parseMil(readFileSync(milPath, 'utf8'), milPath);
  const weights = syntheticWeightFile(program, milPath, seed, adjust);
  const tmp = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(join(tmp, 'weights'), { recursive: true });
    copyFileSync(milPath, join(tmp, 'model.mil'));
    if (existsSync(join(sourceDir, 'metadata.json')))
      copyFileSync(join(sourceDir, 'metadata.json'), join(tmp, 'metadata.json'));
    writeFileSync(join(tmp, 'weights', 'weight.bin'), weights);
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
  } catch (cause) {
    rmSync(tmp, { recursive: true, force: true });
    throw cause;
  }
  return weights.byteLength;
}
