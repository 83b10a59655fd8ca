/**
 * Contract checks: does a session declare the inputs and outputs a caller relies on (names,
 * dtypes, shapes)? One line per mismatch, naming the file and tensor, expected vs actual.
 */
import type { Session, TensorInfo } from '@eou/rnnt-decode';
import { OnnxRuntimeError } from './onnxRuntimeError';
import { formatShape } from './tensorInfo';

/** What a caller expects; a string dim in `shape` matches any size (a batch dim). */
export interface ExpectedIO {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Allow outputs beyond `outputs` (e.g. top-k heads). Default true. */
  readonly allowExtraOutputs?: boolean;
  /** Allow inputs beyond `inputs`. Default false (an unfed input fails every run). */
  readonly allowExtraInputs?: boolean;
}

/** One contract mismatch. */
export interface IOMismatch {
  readonly code: 'E_MISSING' | 'E_UNKNOWN' | 'E_DTYPE' | 'E_SHAPE';
  readonly tensor: string;
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
}

function shapeMatches(expected: readonly (number | string)[], actual: readonly (number | string)[]): boolean {
  if (expected.length !== actual.length) return false;
  return expected.every((e, i) => {
    const a = actual[i]!;
    if (typeof e === 'string') return true;
    // A dynamic dim in the model accepts the expected size.
    return a === e || typeof a === 'string' || a === -1;
  });
}

/** Lists every way `session` differs from `expected` (empty when it conforms). */
export function diffSessionIO(
  session: Pick<Session, 'path' | 'inputs' | 'outputs'>,
  expected: ExpectedIO,
): IOMismatch[] {
  const out: IOMismatch[] = [];
  const file = session.path;
  const side = (
    role: 'input' | 'output',
    want: readonly TensorInfo[],
    have: readonly TensorInfo[],
    allowExtra: boolean,
  ): void => {
    for (const w of want) {
      const h = have.find((x) => x.name === w.name);
      if (!h) {
        out.push({
          code: 'E_MISSING',
          tensor: w.name,
          message: `${file}: ${role} "${w.name}" is missing (model ${role}s: ${have.map((x) => x.name).join(', ') || 'none'})`,
        });
        continue;
      }
      if (h.dtype !== w.dtype) {
        out.push({
          code: 'E_DTYPE',
          tensor: w.name,
          expected: w.dtype,
          actual: h.dtype,
          message: `${file}: ${role} "${w.name}" is ${h.dtype}, expected ${w.dtype}`,
        });
      }
      if (!shapeMatches(w.shape, h.shape)) {
        out.push({
          code: 'E_SHAPE',
          tensor: w.name,
          expected: formatShape(w.shape),
          actual: formatShape(h.shape),
          message: `${file}: ${role} "${w.name}" has shape ${formatShape(h.shape)}, expected ${formatShape(w.shape)}`,
        });
      }
    }
    if (!allowExtra) {
      for (const h of have) {
        if (!want.some((w) => w.name === h.name)) {
          out.push({
            code: 'E_UNKNOWN',
            tensor: h.name,
            message: `${file}: unexpected ${role} "${h.name}" (expected ${role}s: ${want.map((x) => x.name).join(', ')})`,
          });
        }
      }
    }
  };
  side('input', expected.inputs, session.inputs, expected.allowExtraInputs ?? false);
  side('output', expected.outputs, session.outputs, expected.allowExtraOutputs ?? true);
  return out;
}

/** Throws an {@link OnnxRuntimeError} for the first mismatch of {@link diffSessionIO}. */
export function checkSessionIO(
  session: Pick<Session, 'path' | 'inputs' | 'outputs'>,
  expected: ExpectedIO,
): void {
  const first = diffSessionIO(session, expected)[0];
  if (!first) return;
  throw new OnnxRuntimeError(first.code, first.message, {
    file: session.path,
    tensor: first.tensor,
    ...(first.expected !== undefined ? { expected: first.expected } : {}),
    ...(first.actual !== undefined ? { actual: first.actual } : {}),
  });
}
