import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LstmWeights } from './lstmLayout';
import { combineLstmBiases, convertLstmWeights, onnxBias, reorderGates, splitOnnxBias } from './lstmLayout';

// Hand-written gates: every gate has its own named matrices, so no layout is involved.
interface NamedGate {
  w: Float32Array; // [H, I]
  r: Float32Array; // [H, H]
  bIn: Float32Array; // [H]
  bRec: Float32Array; // [H]
}
interface NamedLstm {
  H: number;
  I: number;
  i: NamedGate;
  f: NamedGate;
  o: NamedGate;
  g: NamedGate;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function gatePre(gate: NamedGate, H: number, I: number, x: Float32Array, h: Float32Array, k: number): number {
  let s = gate.bIn[k]! + gate.bRec[k]!;
  for (let j = 0; j < I; j++) s += gate.w[k * I + j]! * x[j]!;
  for (let j = 0; j < H; j++) s += gate.r[k * H + j]! * h[j]!;
  return s;
}

/** The textbook cell, computed gate by gate from the named matrices. */
function handCell(m: NamedLstm, x: Float32Array, h: Float32Array, c: Float32Array) {
  const h2 = new Float64Array(m.H);
  const c2 = new Float64Array(m.H);
  for (let k = 0; k < m.H; k++) {
    const i = sigmoid(gatePre(m.i, m.H, m.I, x, h, k));
    const f = sigmoid(gatePre(m.f, m.H, m.I, x, h, k));
    const o = sigmoid(gatePre(m.o, m.H, m.I, x, h, k));
    const g = Math.tanh(gatePre(m.g, m.H, m.I, x, h, k));
    c2[k] = f * c[k]! + i * g;
    h2[k] = o * Math.tanh(c2[k]!);
  }
  return { h: h2, c: c2 };
}

const cat = (parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

// Packing written out per format, independently of the module's order table.
function packOnnx(m: NamedLstm): LstmWeights {
  const gs = [m.i, m.o, m.f, m.g];
  return {
    order: 'onnx',
    hiddenSize: m.H,
    inputSize: m.I,
    w: cat(gs.map((g) => g.w)),
    r: cat(gs.map((g) => g.r)),
    bias: { kind: 'split', input: cat(gs.map((g) => g.bIn)), recurrent: cat(gs.map((g) => g.bRec)) },
  };
}
function packPytorch(m: NamedLstm): LstmWeights {
  const gs = [m.i, m.f, m.g, m.o];
  return {
    order: 'pytorch',
    hiddenSize: m.H,
    inputSize: m.I,
    w: cat(gs.map((g) => g.w)),
    r: cat(gs.map((g) => g.r)),
    bias: { kind: 'split', input: cat(gs.map((g) => g.bIn)), recurrent: cat(gs.map((g) => g.bRec)) },
  };
}
function packCoreml(m: NamedLstm): LstmWeights {
  const gs = [m.i, m.f, m.o, m.g];
  return {
    order: 'coreml',
    hiddenSize: m.H,
    inputSize: m.I,
    w: cat(gs.map((g) => g.w)),
    r: cat(gs.map((g) => g.r)),
    bias: { kind: 'combined', sum: combineLstmBiases(cat(gs.map((g) => g.bIn)), cat(gs.map((g) => g.bRec))) },
  };
}

/** A cell that reads gate blocks at the given positions (as each format's kernel does). */
function layoutCell(
  wts: LstmWeights,
  at: { i: number; f: number; o: number; g: number },
  x: Float32Array,
  h: Float32Array,
  c: Float32Array,
) {
  const { hiddenSize: H, inputSize: I } = wts;
  const b =
    wts.bias.kind === 'combined' ? wts.bias.sum : combineLstmBiases(wts.bias.input, wts.bias.recurrent);
  const pre = (blk: number, k: number) => {
    const row = blk * H + k;
    let s = b[row]!;
    for (let j = 0; j < I; j++) s += wts.w[row * I + j]! * x[j]!;
    for (let j = 0; j < H; j++) s += wts.r[row * H + j]! * h[j]!;
    return s;
  };
  const h2 = new Float64Array(H);
  const c2 = new Float64Array(H);
  for (let k = 0; k < H; k++) {
    const i = sigmoid(pre(at.i, k));
    const f = sigmoid(pre(at.f, k));
    const o = sigmoid(pre(at.o, k));
    const g = Math.tanh(pre(at.g, k));
    c2[k] = f * c[k]! + i * g;
    h2[k] = o * Math.tanh(c2[k]!);
  }
  return { h: h2, c: c2 };
}
// Block positions each kernel reads: ONNX iofc, PyTorch ifgo, MIL ifog.
const onnxAt = { i: 0, o: 1, f: 2, g: 3 };
const pytorchAt = { i: 0, f: 1, g: 2, o: 3 };
const coremlAt = { i: 0, f: 1, o: 2, g: 3 };

function randomLstm(seed: number, H: number, I: number): NamedLstm {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32 - 0.5);
  const arr = (n: number) => Float32Array.from({ length: n }, rnd);
  const gate = (): NamedGate => ({ w: arr(H * I), r: arr(H * H), bIn: arr(H), bRec: arr(H) });
  return { H, I, i: gate(), f: gate(), o: gate(), g: gate() };
}

const formats = {
  onnx: { pack: packOnnx, at: onnxAt },
  pytorch: { pack: packPytorch, at: pytorchAt },
  coreml: { pack: packCoreml, at: coremlAt },
} as const;
type Format = keyof typeof formats;

function expectClose(a: Float64Array, b: Float64Array) {
  for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-5);
}

describe(reorderGates, () => {
  it('moves whole gate blocks so that each format packs to every other exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (H, I, seed) => {
          const m = randomLstm(seed, H, I);
          for (const from of Object.keys(formats) as Format[]) {
            for (const to of Object.keys(formats) as Format[]) {
              const src = formats[from].pack(m);
              const want = formats[to].pack(m);
              expect(reorderGates(src.w, H, from, to)).toEqual(want.w);
              expect(reorderGates(src.r, H, from, to)).toEqual(want.r);
            }
          }
        },
      ),
    );
  });

  it('keeps fp16 bit patterns untouched', () => {
    const bits = Uint16Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    // H = 2, one column: ONNX blocks i,o,f,c -> PyTorch i,f,g,o.
    expect(Array.from(reorderGates(bits, 2, 'onnx', 'pytorch'))).toEqual([1, 2, 5, 6, 7, 8, 3, 4]);
  });

  it('BAD CALL - rejects data whose length is not 4*hiddenSize rows', () => {
    expect(() => reorderGates(new Float32Array(10), 2, 'onnx', 'coreml')).toThrow(RangeError);
    expect(() => reorderGates(new Float32Array(10), 2, 'onnx', 'coreml')).toThrow(
      'reorderGates: data length 10 is not a multiple of 4*hiddenSize (8)',
    );
    expect(() => reorderGates(new Float32Array(8), 0, 'onnx', 'coreml')).toThrow(
      'reorderGates: hiddenSize must be a positive integer, got 0',
    );
  });
});

describe(convertLstmWeights, () => {
  it("gives weights on which each format's kernel computes the hand-written cell", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (H, I, seed) => {
          const m = randomLstm(seed, H, I);
          const x = Float32Array.from({ length: I }, (_, k) => Math.sin(k + seed));
          const h = Float32Array.from({ length: H }, (_, k) => Math.cos(k * 3 + seed) * 0.5);
          const c = Float32Array.from({ length: H }, (_, k) => Math.sin(k * 7 - seed) * 0.5);
          const want = handCell(m, x, h, c);
          for (const from of ['onnx', 'pytorch'] as const) {
            for (const to of Object.keys(formats) as Format[]) {
              const bias = to === 'coreml' ? 'combined' : 'split';
              const got = layoutCell(
                convertLstmWeights(formats[from].pack(m), to, bias),
                formats[to].at,
                x,
                h,
                c,
              );
              expectClose(got.h, want.h);
              expectClose(got.c, want.c);
            }
          }
          // A combined (MIL) bias converts to any order as long as it stays combined.
          for (const to of Object.keys(formats) as Format[]) {
            const got = layoutCell(
              convertLstmWeights(packCoreml(m), to, 'combined'),
              formats[to].at,
              x,
              h,
              c,
            );
            expectClose(got.h, want.h);
          }
        },
      ),
    );
  });

  it('would be caught reading a wrong order: swapping f and o changes the cell', () => {
    const m = randomLstm(7, 3, 2);
    const x = Float32Array.of(0.3, -0.2);
    const h = Float32Array.of(0.1, 0.2, -0.3);
    const c = Float32Array.of(0.5, -0.5, 0.25);
    const want = handCell(m, x, h, c);
    const wrong = layoutCell(convertLstmWeights(packPytorch(m), 'coreml', 'combined'), pytorchAt, x, h, c);
    expect(Math.max(...want.h.map((v, k) => Math.abs(v - wrong.h[k]!)))).toBeGreaterThan(1e-3);
  });

  it('BAD CALL - refuses to split a combined bias', () => {
    const m = randomLstm(1, 2, 2);
    expect(() => convertLstmWeights(packCoreml(m), 'onnx', 'split')).toThrow(RangeError);
    expect(() => convertLstmWeights(packCoreml(m), 'onnx', 'split')).toThrow(
      'convertLstmWeights: a combined bias cannot be split into input and recurrent parts',
    );
  });
});

describe(onnxBias, () => {
  it('concatenates split biases and round-trips through splitOnnxBias', () => {
    const input = Float32Array.of(1, 2, 3, 4);
    const recurrent = Float32Array.of(5, 6, 7, 8);
    const b = onnxBias({ kind: 'split', input, recurrent });
    expect(Array.from(b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(splitOnnxBias(b)).toEqual({ input, recurrent });
  });

  it('puts a combined sum in Wb and zeros in Rb', () => {
    expect(Array.from(onnxBias({ kind: 'combined', sum: Float32Array.of(1, 2, 3, 4) }))).toEqual([
      1, 2, 3, 4, 0, 0, 0, 0,
    ]);
  });

  it('BAD CALL - rejects biases whose lengths differ', () => {
    expect(() => combineLstmBiases(new Float32Array(4), new Float32Array(8))).toThrow(
      'combineLstmBiases: bias lengths differ (input 4, recurrent 8)',
    );
    expect(() => splitOnnxBias(new Float32Array(6))).toThrow(
      'splitOnnxBias: B length 6 is not a multiple of 8',
    );
  });
});
