// Native vs plain-JS fp16 conversion of 1e6 values, interleaved (@eou/bench). The JS arms are the
// usual bit-twiddling conversions a TypeScript package would otherwise ship, plus a lookup-table
// decoder (the fastest JS option for half -> float); all are checked for identical bits first.
import { interleave, quickMode, writeBenchResults } from '@eou/bench';
import { floatToHalf, halfToFloat } from '../src/index';

const N = 1_000_000;
const quick = quickMode();

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function jsHalfToFloat(src: Uint16Array, dst: Float32Array): Float32Array {
  for (let i = 0; i < src.length; i++) {
    const h = src[i]!;
    const sign = (h & 0x8000) << 16;
    const exponent = (h >> 10) & 0x1f;
    let mantissa = h & 0x3ff;
    if (exponent === 0x1f) u32[0] = sign | 0x7f800000 | (mantissa << 13);
    else if (exponent !== 0) u32[0] = sign | ((exponent + 112) << 23) | (mantissa << 13);
    else if (mantissa === 0) u32[0] = sign;
    else {
      let e = 113;
      while ((mantissa & 0x400) === 0) {
        mantissa <<= 1;
        e--;
      }
      u32[0] = sign | (e << 23) | ((mantissa & 0x3ff) << 13);
    }
    dst[i] = f32[0]!;
  }
  return dst;
}

// The fastest plain-JS decoder: a 65,536-entry table (256 KiB), built once.
const halfTable = jsHalfToFloat(
  Uint16Array.from({ length: 65536 }, (_, i) => i),
  new Float32Array(65536),
);
function jsTableHalfToFloat(src: Uint16Array, dst: Float32Array): Float32Array {
  for (let i = 0; i < src.length; i++) dst[i] = halfTable[src[i]!]!;
  return dst;
}

function jsFloatToHalf(src: Float32Array, dst: Uint16Array): Uint16Array {
  for (let i = 0; i < src.length; i++) {
    f32[0] = src[i]!;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    const abs = x & 0x7fffffff;
    let h: number;
    if (abs > 0x7f800000) h = 0x7e00 | ((abs >>> 13) & 0x3ff);
    else if (abs >= 0x477ff000) h = 0x7c00;
    else if (abs >= 0x38800000) {
      h = (abs - 0x38000000) >>> 13;
      const rest = abs & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
    } else if (abs >>> 23 < 102) h = 0;
    else {
      const m = (abs & 0x7fffff) | 0x800000;
      const shift = 126 - (abs >>> 23);
      h = m >>> shift;
      const rest = m & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rest > half || (rest === half && h & 1)) h++;
    }
    dst[i] = sign | h;
  }
  return dst;
}

// Inputs: decoder-state-like floats (normal range plus some tiny and huge values), and their halves.
let seed = 12345;
const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const floats = Float32Array.from({ length: N }, (_, i) =>
  i % 97 === 0 ? (next() - 0.5) * 1e-6 : (next() - 0.5) * 8,
);
const halves = floatToHalf(floats);
const outF = new Float32Array(N);
const outH = new Uint16Array(N);

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
const nativeBits = new Uint32Array(halfToFloat(halves).buffer);
const identicalHalfToFloat =
  sameBits(nativeBits, new Uint32Array(jsHalfToFloat(halves, new Float32Array(N)).buffer)) &&
  sameBits(nativeBits, new Uint32Array(jsTableHalfToFloat(halves, new Float32Array(N)).buffer));
const identicalFloatToHalf = sameBits(floatToHalf(floats), jsFloatToHalf(floats, new Uint16Array(N)));
if (!identicalHalfToFloat || !identicalFloatToHalf)
  throw new Error('bench: native and JS fp16 conversions disagree');

const warmup = quick ? 2 : 10;
const rounds = quick ? 10 : 100;
const suites = [
  await interleave({
    name: 'halfToFloat-1e6',
    arms: [
      { name: 'native', run: () => void halfToFloat(halves, outF) },
      { name: 'js', run: () => void jsHalfToFloat(halves, outF) },
      { name: 'js-table', run: () => void jsTableHalfToFloat(halves, outF) },
    ],
    warmup,
    rounds,
    unit: '1e6 values',
  }),
  await interleave({
    name: 'floatToHalf-1e6',
    arms: [
      { name: 'native', run: () => void floatToHalf(floats, outH) },
      { name: 'js', run: () => void jsFloatToHalf(floats, outH) },
    ],
    warmup,
    rounds,
    unit: '1e6 values',
  }),
];

await writeBenchResults({
  project: 'coreml-runtime',
  suites,
  extra: {
    values: N,
    identicalOutputs: { halfToFloat: identicalHalfToFloat, floatToHalf: identicalFloatToHalf },
  },
});
