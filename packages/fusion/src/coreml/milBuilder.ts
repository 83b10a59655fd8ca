/**
 * A small MIL function builder for the CoreML variant programs: fresh variable names, const ops
 * with `name`/`val`, ops with keyword arguments in sorted order (coremlc's layout). Plays the role
 * `graphDraft.ts` plays for the ONNX variants.
 */
import type { TensorValue } from '@eou/graph';
import type {
  MilArgument,
  MilDType,
  MilNamedType,
  MilOperation,
  MilTensorType,
  MilValue,
} from '@eou/coreml-format';
import { milString } from '@eou/coreml-format';

/** Keyword arguments of an op: a variable name, or several for a tuple argument. */
export type MilArgs = Record<string, string | readonly string[]>;

/** An op output: name hint, dtype, shape. */
export type MilOut = readonly [string, MilDType, readonly number[]];

export class MilBuilder {
  readonly ops: MilOperation[] = [];
  readonly #names = new Set<string>();

  /** A name not used yet: `hint`, else `hint_1`, `hint_2`, ... */
  fresh(hint: string): string {
    let n = hint;
    for (let k = 1; this.#names.has(n); k++) n = `${hint}_${k}`;
    this.#names.add(n);
    return n;
  }

  /** Keeps `name` (a function input or output) from being handed out by {@link fresh}. */
  reserve(name: string): string {
    this.#names.add(name);
    return name;
  }

  #const(hint: string, value: MilValue): string {
    const name = this.fresh(hint);
    this.ops.push({
      type: 'const',
      inputs: [],
      outputs: [{ name, type: value.type }],
      attributes: [
        { name: 'name', value: milString(name) },
        { name: 'val', value },
      ],
    });
    return name;
  }

  /** A weight const stored in the blob file. */
  weight(hint: string, t: TensorValue): string {
    const type: MilTensorType = {
      kind: 'tensor',
      dtype: t.dtype === 'float16' ? 'fp16' : 'fp32',
      shape: [...t.dims],
    };
    return this.#const(hint, {
      kind: 'blob',
      type,
      path: '@model_path/weights/weight.bin',
      offset: 0,
      data: t,
    });
  }

  ints(hint: string, values: readonly number[], scalar = false): string {
    const type: MilTensorType = { kind: 'tensor', dtype: 'int32', shape: scalar ? [] : [values.length] };
    return this.#const(hint, {
      kind: 'tensor',
      type,
      data: { dtype: 'int32', dims: scalar ? [] : [values.length], data: Int32Array.from(values) },
    });
  }

  bool(hint: string, v: boolean): string {
    const type: MilTensorType = { kind: 'tensor', dtype: 'bool', shape: [] };
    return this.#const(hint, {
      kind: 'tensor',
      type,
      data: { dtype: 'bool', dims: [], data: Uint8Array.of(v ? 1 : 0) },
    });
  }

  str(hint: string, s: string): string {
    return this.#const(hint, milString(s));
  }

  /** Adds an op whose outputs get fresh names from their hints; returns the output names. */
  op(type: string, args: MilArgs, outs: readonly MilOut[]): string[] {
    return this.#push(
      type,
      args,
      outs.map(([hint, dtype, shape]) => ({
        name: this.fresh(hint),
        type: { kind: 'tensor', dtype, shape: [...shape] },
      })),
    );
  }

  /** {@link op} with one output. */
  one(type: string, args: MilArgs, out: string, dtype: MilDType, shape: readonly number[]): string {
    return this.op(type, args, [[out, dtype, shape]])[0]!;
  }

  /** An op with one output named exactly `name` (a {@link reserve}d function output). */
  named(type: string, args: MilArgs, name: string, dtype: MilDType, shape: readonly number[]): string {
    return this.#push(type, args, [{ name, type: { kind: 'tensor', dtype, shape: [...shape] } }])[0]!;
  }

  /** `cast` of `x` to `dtype`, written to the function output `name`. */
  castTo(x: string, name: string, dtype: 'fp32' | 'int32', shape: readonly number[]): string {
    return this.named('cast', { dtype: this.str(`${name}_dtype`, dtype), x }, name, dtype, shape);
  }

  #push(type: string, args: MilArgs, outputs: readonly MilNamedType[]): string[] {
    const inputs: MilArgument[] = Object.keys(args)
      .sort()
      .map((param) => {
        const a = args[param]!;
        const names = typeof a === 'string' ? [a] : [...a];
        return {
          param,
          bindings: names.map((name) => ({ kind: 'name' as const, name })),
          tuple: typeof a !== 'string',
        };
      });
    this.ops.push({
      type,
      inputs,
      outputs: [...outputs],
      attributes: [{ name: 'name', value: milString(outputs[0]!.name) }],
    });
    return outputs.map((o) => o.name);
  }
}
