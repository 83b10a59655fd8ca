/**
 * {@link MilProgram} -> `model.mil` text in coremlc's layout (functions indented by 4, ops by 12,
 * function inputs and dict entries sorted as coremlc does, C99 hex floats, `tensor<T, []>` scalars for program 1.0 and bare scalars otherwise), so that a
 * compiled model's text survives parse -> print byte for byte.
 */
import type { TensorValue } from '@eou/graph';
import { fromHalfBits } from './half';
import type {
  MilAttribute,
  MilBinding,
  MilNamedType,
  MilOperation,
  MilProgram,
  MilType,
  MilValue,
} from './milProgram';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** C99 `%a` spelling of a double (`0x1.e28358p-6`, `0x0p+0`, `-inf`, `nan`). */
export function hexFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  f64[0] = x;
  const lo = u32[0]!;
  const hi = u32[1]!;
  const sign = hi >>> 31 ? '-' : '';
  const exp = (hi >>> 20) & 0x7ff;
  const mant = ((hi & 0xfffff).toString(16).padStart(5, '0') + lo.toString(16).padStart(8, '0')).replace(
    /0+$/,
    '',
  );
  const frac = mant.length > 0 ? `.${mant}` : '';
  if (exp === 0) {
    if (mant.length === 0) return `${sign}0x0p+0`;
    return `${sign}0x0${frac}p-1022`;
  }
  const e = exp - 1023;
  return `${sign}0x1${frac}p${e >= 0 ? '+' : ''}${e}`;
}

class Printer {
  constructor(private readonly bareScalars: boolean) {}

  type(t: MilType): string {
    switch (t.kind) {
      case 'tensor':
        if (this.bareScalars && t.shape !== null && t.shape.length === 0) return t.dtype;
        return `tensor<${t.dtype}, [${(t.shape ?? []).join(', ')}]>`;
      case 'list':
        return `list<${this.type(t.elem)}, ${t.length}>`;
      case 'tuple':
        return `tuple<${t.types.map((x) => this.type(x)).join(', ')}>`;
      case 'dict':
        return `dict<${this.type(t.key)}, ${this.type(t.value)}>`;
      case 'state':
        return `state<${this.type(t.wrapped)}>`;
    }
  }

  private element(t: TensorValue, i: number): string {
    switch (t.dtype) {
      case 'float16':
        return hexFloat(fromHalfBits((t.data as Uint16Array)[i]!));
      case 'float32':
      case 'float64':
        return hexFloat((t.data as Float32Array)[i]!);
      case 'bool':
        return (t.data as Uint8Array)[i] ? 'true' : 'false';
      case 'string':
        return JSON.stringify((t.data as string[])[i]);
      case 'int64':
        return String((t.data as BigInt64Array)[i]);
      default:
        return String((t.data as Int32Array)[i]);
    }
  }

  private literal(v: MilValue): string {
    switch (v.kind) {
      case 'tensor': {
        const t = v.data;
        if (t.dims.length === 0) return this.element(t, 0);
        let k = 0;
        const nest = (d: number): string => {
          const parts: string[] = [];
          for (let j = 0; j < t.dims[d]!; j++)
            parts.push(d === t.dims.length - 1 ? this.element(t, k++) : nest(d + 1));
          return `[${parts.join(', ')}]`;
        };
        return nest(0);
      }
      case 'blob':
        return `BLOBFILE(path = ${this.value(stringValue(v.path))}, offset = ${this.value(uint64Value(v.offset))})`;
      case 'tuple':
        return `(${v.values.map((x) => this.literal(x)).join(', ')})`;
      case 'list':
        return `[${v.values.map((x) => this.literal(x)).join(', ')}]`;
      case 'dict':
        // coremlc prints dicts in key order (a std::map)
        return `{${v.entries
          .map(([a, b]) => [this.literal(a), this.literal(b)] as const)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([a, b]) => `{${a}, ${b}}`)
          .join(', ')}}`;
    }
  }

  value(v: MilValue): string {
    return `${this.type(v.type)}(${this.literal(v)})`;
  }

  attributes(attrs: readonly MilAttribute[]): string {
    return attrs.length === 0 ? '' : `[${attrs.map((a) => `${a.name} = ${this.value(a.value)}`).join(', ')}]`;
  }

  private binding(b: MilBinding): string {
    return b.kind === 'name' ? b.name : this.value(b.value);
  }

  private named(n: MilNamedType): string {
    return `${this.type(n.type)} ${n.name}`;
  }

  operation(op: MilOperation): string {
    const args = op.inputs
      .map(
        (a) =>
          `${a.param} = ${a.tuple ? `(${a.bindings.map((b) => this.binding(b)).join(', ')})` : this.binding(a.bindings[0]!)}`,
      )
      .join(', ');
    const outs = op.outputs.length === 0 ? '' : `${op.outputs.map((o) => this.named(o)).join(', ')} = `;
    return `${outs}${op.type}(${args})${this.attributes(op.attributes)};`;
  }

  program(p: MilProgram): string {
    let s = `program(${p.version})\n`;
    if (p.attributes.length > 0) s += `${this.attributes(p.attributes)}\n`;
    s += '{\n';
    for (const f of p.functions) {
      s += `    func ${f.name}<${f.opset}>(${[...f.inputs]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((i) => this.named(i))
        .join(', ')})${f.attributes.length > 0 ? ` ${this.attributes(f.attributes)}` : ''} {\n`;
      for (const op of f.operations) s += `            ${this.operation(op)}\n`;
      s += `        } -> (${f.outputs.join(', ')});\n`;
    }
    return `${s}}`;
  }
}

function stringValue(s: string): MilValue {
  return {
    kind: 'tensor',
    type: { kind: 'tensor', dtype: 'string', shape: [] },
    data: { dtype: 'string', dims: [], data: [s] },
  };
}

function uint64Value(n: number): MilValue {
  return {
    kind: 'tensor',
    type: { kind: 'tensor', dtype: 'uint64', shape: [] },
    data: { dtype: 'int64', dims: [], data: BigInt64Array.of(BigInt(n)) },
  };
}

/**
 * Prints a program as `model.mil` text. Program version `1.0` writes scalars as `tensor<T, []>`,
 * later versions as bare `T` (the ios18 dialect).
 */
export function printMil(program: MilProgram): string {
  return new Printer(program.version !== '1.0').program(program);
}
