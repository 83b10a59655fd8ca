/**
 * `model.mil` text -> {@link MilProgram}: a tokenizer and a recursive-descent parser for the
 * grammar coremlc writes (program version and attributes, functions with typed inputs, ops with
 * keyword arguments, tuples, multi-output ops, const literals and `BLOBFILE(path, offset)`
 * references). Both scalar dialects are accepted: `tensor<int32, []>(1)` (<= ios17) and
 * `int32(1)` (ios18). Every error names the file and `line:col`.
 */
import type { TensorValue } from '@eou/graph';
import { coremlError } from './coremlFormatError';
import { toHalfBits } from './half';
import type {
  MilArgument,
  MilAttribute,
  MilBinding,
  MilDim,
  MilDType,
  MilFunction,
  MilNamedType,
  MilOperation,
  MilProgram,
  MilTensorType,
  MilType,
  MilValue,
} from './milProgram';
import { MIL_DTYPES } from './milProgram';

type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'eof';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  readonly col: number;
  /** Decoded string contents for `string` tokens. */
  readonly str?: string;
}

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', '<', '>', ',', '=', ';', '?']);
const DTYPE_SET = new Set<string>(MIL_DTYPES);
const TYPE_KEYWORDS = new Set(['tensor', 'list', 'tuple', 'dict', 'state']);

function tokenize(src: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  const fail = (at: number, msg: string): never => {
    throw coremlError('E_MIL_SYNTAX', file, `${line}:${at - lineStart + 1}`, msg);
  };
  while (i < n) {
    const ch = src[i]!;
    if (ch === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (ch === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (ch === '-' && src[i + 1] === '>') {
      out.push({ kind: 'punct', text: '->', line, col });
      i += 2;
      continue;
    }
    if (PUNCT.has(ch)) {
      out.push({ kind: 'punct', text: ch, line, col });
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let s = '';
      while (true) {
        if (j >= n || src[j] === '\n') fail(i, 'unterminated string literal');
        const c = src[j]!;
        if (c === '"') break;
        if (c === '\\') {
          const e = src[j + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/' };
          if (e === undefined || map[e] === undefined)
            fail(j, `unknown escape \\${e ?? ''} in string literal`);
          s += map[e!]!;
          j += 2;
          continue;
        }
        s += c;
        j++;
      }
      out.push({ kind: 'string', text: src.slice(i, j + 1), line, col, str: s });
      i = j + 1;
      continue;
    }
    const rest = src.slice(i, i + 64);
    const num =
      /^-?(?:0[xX][0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?(?:[pP][+-]?\d+)?|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|inf|nan)(?![A-Za-z0-9_@])/.exec(
        rest,
      );
    if (num && (ch === '-' || /[0-9]/.test(ch))) {
      out.push({ kind: 'number', text: num[0], line, col });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_@][A-Za-z0-9_@]*/.exec(rest);
    if (id) {
      let j = i + id[0].length;
      while (j < n && /[A-Za-z0-9_@]/.test(src[j]!)) j++;
      out.push({ kind: 'ident', text: src.slice(i, j), line, col });
      i = j;
      continue;
    }
    fail(i, `unexpected character ${JSON.stringify(ch)}`);
  }
  out.push({ kind: 'eof', text: '<end of file>', line, col: i - lineStart + 1 });
  return out;
}

/** A literal before it is checked against its declared type. */
type Literal =
  | { readonly kind: 'number'; readonly tok: Token }
  | { readonly kind: 'string'; readonly tok: Token }
  | { readonly kind: 'bool'; readonly tok: Token; readonly value: boolean }
  | { readonly kind: 'seq'; readonly tok: Token; readonly open: string; readonly items: readonly Literal[] };

/** Parses a hex float (`-0x1.e28358p-6`), a decimal, `inf` or `nan` into a number. */
export function parseMilNumber(text: string): number {
  const neg = text.startsWith('-');
  const body = neg ? text.slice(1) : text;
  let v: number;
  if (body === 'inf') v = Infinity;
  else if (body === 'nan') v = NaN;
  else if (/^0[xX]/.test(body)) {
    const m = /^0[xX]([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(body)!;
    const frac = m[2] ?? '';
    v = parseInt(m[1]! + frac, 16) * 2 ** (Number(m[3] ?? '0') - 4 * frac.length);
  } else v = Number(body);
  return neg ? -v : v;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Token[],
    private readonly file: string,
  ) {}

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private at(t: Token): string {
    return `${t.line}:${t.col}`;
  }
  fail(t: Token, msg: string): never {
    throw coremlError('E_MIL_SYNTAX', this.file, this.at(t), msg);
  }
  private failType(t: Token, msg: string): never {
    throw coremlError('E_MIL_TYPE', this.file, this.at(t), msg);
  }
  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  private expect(text: string): Token {
    const t = this.next();
    if ((t.kind === 'punct' || t.kind === 'ident') && t.text === text) return t;
    return this.fail(t, `expected '${text}', got '${t.text}'`);
  }
  private ident(what: string): Token {
    const t = this.next();
    if (t.kind !== 'ident') this.fail(t, `expected ${what}, got '${t.text}'`);
    return t;
  }
  private accept(text: string): boolean {
    if (this.is(text)) {
      this.pos++;
      return true;
    }
    return false;
  }

  program(): MilProgram {
    this.expect('program');
    this.expect('(');
    const v = this.next();
    if (v.kind !== 'number') this.fail(v, `expected a program version, got '${v.text}'`);
    this.expect(')');
    const attributes = this.is('[') ? this.attributes() : [];
    this.expect('{');
    const functions: MilFunction[] = [];
    while (!this.is('}')) {
      if (this.peek().kind === 'eof') this.fail(this.peek(), "expected 'func' or '}', got end of file");
      functions.push(this.func());
    }
    this.expect('}');
    const end = this.peek();
    if (end.kind !== 'eof') this.fail(end, `expected end of file after the program, got '${end.text}'`);
    if (functions.length === 0) this.fail(end, 'the program has no functions');
    return { version: v.text, attributes, functions };
  }

  private attributes(): MilAttribute[] {
    this.expect('[');
    const out: MilAttribute[] = [];
    if (!this.is(']')) {
      do {
        const name = this.ident('an attribute name').text;
        this.expect('=');
        out.push({ name, value: this.value() });
      } while (this.accept(','));
    }
    this.expect(']');
    return out;
  }

  private func(): MilFunction {
    this.expect('func');
    const name = this.ident('a function name').text;
    this.expect('<');
    const opset = this.ident('an opset such as ios17').text;
    this.expect('>');
    this.expect('(');
    const inputs: MilNamedType[] = [];
    if (!this.is(')')) {
      do {
        const type = this.type();
        inputs.push({ name: this.ident('an input name').text, type });
      } while (this.accept(','));
    }
    this.expect(')');
    const attributes = this.is('[') ? this.attributes() : [];
    this.expect('{');
    const operations: MilOperation[] = [];
    while (!this.is('}')) {
      if (this.peek().kind === 'eof') this.fail(this.peek(), "expected an operation or '}', got end of file");
      operations.push(this.operation());
    }
    this.expect('}');
    this.expect('->');
    this.expect('(');
    const outputs: string[] = [];
    if (!this.is(')')) {
      do outputs.push(this.ident('an output name').text);
      while (this.accept(','));
    }
    this.expect(')');
    this.expect(';');
    return { name, opset, inputs, attributes, operations, outputs };
  }

  private operation(): MilOperation {
    const start = this.peek();
    const outputs: MilNamedType[] = [];
    if (!(start.kind === 'ident' && this.is('(', 1) && !DTYPE_SET.has(start.text))) {
      do {
        const type = this.type();
        outputs.push({ name: this.ident('an output variable name').text, type });
      } while (this.accept(','));
      this.expect('=');
    }
    const opTok = this.ident('an operation type');
    this.expect('(');
    const inputs: MilArgument[] = [];
    if (!this.is(')')) {
      do {
        const param = this.ident('an argument name').text;
        this.expect('=');
        if (this.is('(')) {
          this.next();
          const bindings: MilBinding[] = [];
          if (!this.is(')')) {
            do bindings.push(this.binding());
            while (this.accept(','));
          }
          this.expect(')');
          inputs.push({ param, bindings, tuple: true });
        } else inputs.push({ param, bindings: [this.binding()], tuple: false });
      } while (this.accept(','));
    }
    this.expect(')');
    const attributes = this.is('[') ? this.attributes() : [];
    this.expect(';');
    return { type: opTok.text, inputs, outputs, attributes, loc: this.at(start) };
  }

  private startsValue(): boolean {
    const t = this.peek();
    if (t.kind !== 'ident') return false;
    return (TYPE_KEYWORDS.has(t.text) && this.is('<', 1)) || (DTYPE_SET.has(t.text) && this.is('(', 1));
  }

  private binding(): MilBinding {
    if (this.startsValue()) return { kind: 'value', value: this.value() };
    return { kind: 'name', name: this.ident('a variable name or a value').text };
  }

  private dim(): MilDim {
    const t = this.next();
    if (t.kind === 'punct' && t.text === '?') return '?';
    if (t.kind === 'number' && /^\d+$/.test(t.text)) return Number(t.text);
    return this.fail(t, `expected a dimension (a size or ?), got '${t.text}'`);
  }

  type(): MilType {
    const t = this.ident('a type');
    if (DTYPE_SET.has(t.text)) return { kind: 'tensor', dtype: t.text as MilDType, shape: [] };
    this.expect('<');
    let out: MilType;
    switch (t.text) {
      case 'tensor': {
        const d = this.ident('an element type');
        if (!DTYPE_SET.has(d.text)) this.fail(d, `unknown element type '${d.text}'`);
        this.expect(',');
        this.expect('[');
        const shape: MilDim[] = [];
        if (!this.is(']')) {
          do shape.push(this.dim());
          while (this.accept(','));
        }
        this.expect(']');
        out = { kind: 'tensor', dtype: d.text as MilDType, shape };
        break;
      }
      case 'list': {
        const elem = this.type();
        this.expect(',');
        out = { kind: 'list', elem, length: this.dim() };
        break;
      }
      case 'tuple': {
        const types: MilType[] = [];
        if (!this.is('>')) {
          do types.push(this.type());
          while (this.accept(','));
        }
        out = { kind: 'tuple', types };
        break;
      }
      case 'dict': {
        const key = this.type();
        this.expect(',');
        out = { kind: 'dict', key, value: this.type() };
        break;
      }
      case 'state':
        out = { kind: 'state', wrapped: this.type() };
        break;
      default:
        return this.fail(t, `unknown type '${t.text}'`);
    }
    this.expect('>');
    return out;
  }

  value(): MilValue {
    const typeTok = this.peek();
    const type = this.type();
    this.expect('(');
    let v: MilValue;
    if (type.kind === 'tensor' && this.is('BLOBFILE')) v = this.blobFile(type);
    else v = this.coerce(type, this.literal(), typeTok);
    this.expect(')');
    return v;
  }

  private blobFile(type: MilTensorType): MilValue {
    const kw = this.expect('BLOBFILE');
    this.expect('(');
    let path: string | undefined;
    let offset: number | undefined;
    do {
      const key = this.ident('path or offset');
      this.expect('=');
      const val = this.value();
      if (val.kind !== 'tensor' || val.data.dims.length !== 0)
        this.fail(key, `BLOBFILE ${key.text} must be a scalar`);
      if (key.text === 'path' && val.data.dtype === 'string') path = (val.data.data as string[])[0];
      else if (key.text === 'offset' && val.data.dtype === 'int64')
        offset = Number((val.data.data as BigInt64Array)[0]);
      else this.fail(key, `BLOBFILE takes path (string) and offset (uint64), got ${key.text}`);
    } while (this.accept(','));
    this.expect(')');
    if (path === undefined || offset === undefined) this.fail(kw, 'BLOBFILE needs both path and offset');
    if (type.shape === null || type.shape.some((d) => d === '?'))
      this.failType(kw, 'a BLOBFILE tensor needs a static shape');
    return { kind: 'blob', type, path: path, offset: offset };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.kind === 'number') return { kind: 'number', tok: t };
    if (t.kind === 'string') return { kind: 'string', tok: t };
    if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false'))
      return { kind: 'bool', tok: t, value: t.text === 'true' };
    if (t.kind === 'ident' && (t.text === 'inf' || t.text === 'nan')) return { kind: 'number', tok: t };
    if (t.kind === 'punct' && (t.text === '[' || t.text === '{' || t.text === '(')) {
      const close = t.text === '[' ? ']' : t.text === '{' ? '}' : ')';
      const items: Literal[] = [];
      if (!this.is(close)) {
        do items.push(this.literal());
        while (this.accept(','));
      }
      this.expect(close);
      return { kind: 'seq', tok: t, open: t.text, items };
    }
    return this.fail(t, `expected a literal, got '${t.text}'`);
  }

  private coerce(type: MilType, lit: Literal, at: Token): MilValue {
    switch (type.kind) {
      case 'tensor':
        return { kind: 'tensor', type, data: this.tensorLiteral(type, lit) };
      case 'tuple': {
        if (lit.kind !== 'seq' || lit.open !== '(' || lit.items.length !== type.types.length) {
          this.failType(lit.tok, `a tuple of ${type.types.length} values must be written (a, b, ...)`);
        }
        const items = lit.items;
        return {
          kind: 'tuple',
          type,
          values: type.types.map((t, i) => this.coerce(t, items[i]!, items[i]!.tok)),
        };
      }
      case 'list': {
        if (lit.kind !== 'seq') this.failType(lit.tok, 'a list value must be a bracketed sequence');
        const items = lit.items;
        return { kind: 'list', type, values: items.map((it) => this.coerce(type.elem, it, it.tok)) };
      }
      case 'dict': {
        if (lit.kind !== 'seq' || lit.open !== '{')
          this.failType(lit.tok, 'a dict value must be written {{key, value}, ...}');
        const entries = lit.items.map((p) => {
          if (p.kind !== 'seq' || p.open !== '{' || p.items.length !== 2)
            this.failType(p.tok, 'a dict entry must be written {key, value}');
          const [k, v] = p.items as [Literal, Literal];
          return [this.coerce(type.key, k, k.tok), this.coerce(type.value, v, v.tok)] as const;
        });
        return { kind: 'dict', type, entries };
      }
      default:
        return this.failType(at, `values of type ${type.kind} cannot be written as literals`);
    }
  }

  private tensorLiteral(type: MilTensorType, lit: Literal): TensorValue {
    const flat: Literal[] = [];
    const dims: number[] = [];
    const walk = (l: Literal, depth: number) => {
      if (l.kind === 'seq' && l.open === '[') {
        if (dims.length === depth) dims.push(l.items.length);
        else if (dims[depth] !== l.items.length)
          this.failType(
            l.tok,
            `ragged tensor literal: ${l.items.length} items where ${dims[depth]} were expected`,
          );
        for (const it of l.items) walk(it, depth + 1);
      } else if (l.kind === 'seq') this.failType(l.tok, `unexpected '${l.open}' in a tensor literal`);
      else {
        if (dims.length > depth) this.failType(l.tok, 'ragged tensor literal');
        flat.push(l);
      }
    };
    walk(lit, 0);
    if (type.shape === null) this.failType(lit.tok, 'a tensor literal needs a known rank');
    const shape = type.shape;
    const fixed = shape.map((d, i) => (d === '?' ? (dims[i] ?? 0) : d));
    const count = fixed.reduce((a, b) => a * b, 1);
    if (flat.length !== count || (shape.length > 0 && dims.length !== shape.length && flat.length > 0)) {
      this.failType(
        lit.tok,
        `tensor<${type.dtype}, [${shape.join(', ')}]> needs ${count} values, the literal has ${flat.length}`,
      );
    }
    const num = (l: Literal): number => {
      if (l.kind === 'bool') return l.value ? 1 : 0;
      if (l.kind !== 'number') this.failType(l.tok, `expected a number for ${type.dtype}, got ${l.tok.text}`);
      return parseMilNumber(l.tok.text);
    };
    const int = (l: Literal, lo: number, hi: number): number => {
      const v = num(l);
      if (!Number.isInteger(v) || v < lo || v > hi)
        this.failType(l.tok, `${l.tok.text} is not a valid ${type.dtype}`);
      return v;
    };
    const dt = type.dtype;
    switch (dt) {
      case 'fp16':
        return { dtype: 'float16', dims: fixed, data: Uint16Array.from(flat, (l) => toHalfBits(num(l))) };
      case 'fp32':
        return { dtype: 'float32', dims: fixed, data: Float32Array.from(flat, num) };
      case 'fp64':
        return { dtype: 'float64', dims: fixed, data: Float64Array.from(flat, num) };
      case 'int8':
        return { dtype: 'int8', dims: fixed, data: Int8Array.from(flat, (l) => int(l, -128, 127)) };
      case 'uint8':
        return { dtype: 'uint8', dims: fixed, data: Uint8Array.from(flat, (l) => int(l, 0, 255)) };
      case 'int16':
        return { dtype: 'int16', dims: fixed, data: Int16Array.from(flat, (l) => int(l, -32768, 32767)) };
      case 'uint16':
        return { dtype: 'uint16', dims: fixed, data: Uint16Array.from(flat, (l) => int(l, 0, 65535)) };
      case 'int32':
        return {
          dtype: 'int32',
          dims: fixed,
          data: Int32Array.from(flat, (l) => int(l, -(2 ** 31), 2 ** 31 - 1)),
        };
      case 'uint32':
        return { dtype: 'uint32', dims: fixed, data: Uint32Array.from(flat, (l) => int(l, 0, 2 ** 32 - 1)) };
      case 'int64':
      case 'uint64':
        return {
          dtype: 'int64',
          dims: fixed,
          data: BigInt64Array.from(flat, (l) => {
            if (l.kind !== 'number' || !/^-?\d+$/.test(l.tok.text))
              this.failType(l.tok, `${l.tok.text} is not a valid ${dt}`);
            return BigInt.asIntN(64, BigInt(l.tok.text));
          }),
        };
      case 'bool':
        return {
          dtype: 'bool',
          dims: fixed,
          data: Uint8Array.from(flat, (l) =>
            l.kind === 'bool'
              ? Number(l.value)
              : this.failType(l.tok, `expected true or false, got ${l.tok.text}`),
          ),
        };
      case 'string':
        return {
          dtype: 'string',
          dims: fixed,
          data: flat.map((l) =>
            l.kind === 'string' ? l.tok.str! : this.failType(l.tok, `expected a string, got ${l.tok.text}`),
          ),
        };
      default:
        return this.failType(lit.tok, `immediate ${dt} values are not supported`);
    }
  }
}

/**
 * Parses `model.mil` text.
 * @param file the path used in error messages.
 * @throws {CoreMLFormatError} E_MIL_SYNTAX / E_MIL_TYPE naming `file:line:col`.
 */
export function parseMil(text: string, file = 'model.mil'): MilProgram {
  return new Parser(tokenize(text, file), file).program();
}
