import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesNote, haveFixtures, sileroMlmodelc } from '../test/coremlFixtures';
import { CoreMLFormatError } from './coremlFormatError';
import { writeOnnx } from '@eou/graph';
import type { CoreMLModel } from './coremlModel';
import { descriptionFromFunction } from './coremlModel';
import { parseMil } from './milParser';
import { milToOnnx } from './milToOnnx';
import { readMlmodelc } from './mlmodelc';

const tmp = mkdtempSync(join(tmpdir(), 'eou-mil2onnx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fromText(text: string): CoreMLModel {
  const program = parseMil(text, 'test.mil');
  return {
    format: 'mlmodelc',
    path: 'test.mlmodelc',
    specificationVersion: 8,
    description: descriptionFromFunction(program.functions[0]!, 'test.mil'),
    program,
    descriptionSource: 'model.mil',
  };
}

const lit = (xs: ArrayLike<number>) =>
  `[${Array.from(xs, (x) => (Number.isInteger(x) ? `${x}.0` : String(x))).join(', ')}]`;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

describe('milToOnnx', () => {
  it('runs a MIL lstm (gate order i,f,o,g, combined bias) exactly like a direct implementation', async () => {
    const H = 3;
    const I = 2;
    const r = rng(7);
    // values on a 1/64 grid so the text literal is exact in fp32
    const q = () => Math.round(r() * 128) / 64;
    const wih = Float32Array.from({ length: 4 * H * I }, q);
    const whh = Float32Array.from({ length: 4 * H * H }, q);
    const bias = Float32Array.from({ length: 4 * H }, q);
    const x = Float32Array.from({ length: I }, q);
    const h0 = Float32Array.from({ length: H }, q);
    const c0 = Float32Array.from({ length: H }, q);
    const text = `program(1.0)
{
    func main<ios17>(tensor<fp32, [1, ${H}]> c0, tensor<fp32, [1, ${H}]> h0, tensor<fp32, [1, 1, ${I}]> x) {
            tensor<fp32, [${4 * H}, ${I}]> wih = const()[name = tensor<string, []>("wih"), val = tensor<fp32, [${4 * H}, ${I}]>(${lit(wih)})];
            tensor<fp32, [${4 * H}, ${H}]> whh = const()[name = tensor<string, []>("whh"), val = tensor<fp32, [${4 * H}, ${H}]>(${lit(whh)})];
            tensor<fp32, [${4 * H}]> b = const()[name = tensor<string, []>("b"), val = tensor<fp32, [${4 * H}]>(${lit(bias)})];
            tensor<bool, []> seq = const()[name = tensor<string, []>("seq"), val = tensor<bool, []>(true)];
            tensor<fp32, [1, 1, ${H}]> y, tensor<fp32, [1, ${H}]> h, tensor<fp32, [1, ${H}]> c = lstm(bias = b, initial_c = c0, initial_h = h0, output_sequence = seq, weight_hh = whh, weight_ih = wih, x = x)[name = tensor<string, []>("lstm_0")];
        } -> (y, h, c);
}`;
    // tiny text model: wih literal is [12*2] flat while the type says [12, 2]; build the nested form
    const nested = text.replace(
      /tensor<fp32, \[(\d+), (\d+)\]>\(\[([^\]]*)\]\)/g,
      (_m, rows: string, cols: string, body: string) => {
        const vals = body.split(', ');
        const n = Number(cols);
        const out = Array.from(
          { length: Number(rows) },
          (_, i) => `[${vals.slice(i * n, (i + 1) * n).join(', ')}]`,
        );
        return `tensor<fp32, [${rows}, ${cols}]>([${out.join(', ')}])`;
      },
    );
    const session = await ort.InferenceSession.create(writeOnnx(milToOnnx(fromText(nested))));
    const res = await session.run({
      x: new ort.Tensor('float32', x, [1, 1, I]),
      h0: new ort.Tensor('float32', h0, [1, H]),
      c0: new ort.Tensor('float32', c0, [1, H]),
    });
    // reference: MIL gate rows are i, f, o, g
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const pre = (gate: number, j: number) => {
      const row = gate * H + j;
      let s = bias[row]!;
      for (let k = 0; k < I; k++) s += wih[row * I + k]! * x[k]!;
      for (let k = 0; k < H; k++) s += whh[row * H + k]! * h0[k]!;
      return s;
    };
    const cRef = Array.from(
      { length: H },
      (_, j) => sig(pre(1, j)) * c0[j]! + sig(pre(0, j)) * Math.tanh(pre(3, j)),
    );
    const hRef = cRef.map((cv, j) => sig(pre(2, j)) * Math.tanh(cv));
    Array.from(res.c!.data as Float32Array).forEach((v, j) => expect(v).toBeCloseTo(cRef[j]!, 5));
    Array.from(res.h!.data as Float32Array).forEach((v, j) => expect(v).toBeCloseTo(hRef[j]!, 5));
    expect(Array.from(res.y!.data as Float32Array)).toEqual(Array.from(res.h!.data as Float32Array));
  });

  it('rounds fp16-typed values through fp16 and keeps fp16 weights as fp16 initializers', async () => {
    const text = `program(1.0)
{
    func main<ios17>(tensor<fp32, [1, 2]> x) {
            tensor<string, []> d = const()[name = tensor<string, []>("d"), val = tensor<string, []>("fp16")];
            tensor<fp16, [1, 2]> x16 = cast(dtype = d, x = x)[name = tensor<string, []>("cast_0")];
            tensor<fp16, [2]> w = const()[name = tensor<string, []>("w"), val = tensor<fp16, [2]>([0x1p+0, 0x1p-1])];
            tensor<fp16, [1, 2]> y16 = mul(x = x16, y = w)[name = tensor<string, []>("mul_0")];
            tensor<string, []> d32 = const()[name = tensor<string, []>("d32"), val = tensor<string, []>("fp32")];
            tensor<fp32, [1, 2]> y = cast(dtype = d32, x = y16)[name = tensor<string, []>("cast_1")];
        } -> (y);
}`;
    const onnx = milToOnnx(fromText(text));
    expect([...onnx.graph.initializers.values()].some((t) => t.dtype === 'float16')).toBe(true);
    const session = await ort.InferenceSession.create(writeOnnx(onnx));
    const res = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1 + 2 ** -12, 3), [1, 2]) });
    // 1 + 2^-12 rounds to 1 in fp16; 3 * 0.5 = 1.5 exactly
    expect(Array.from(res.y!.data as Float32Array)).toEqual([1, 1.5]);
  });

  it('keeps fp16 outputs fp16 under their own names, whether the last op rounds or not', async () => {
    // relu only moves fp16 values (no rounding node); add rounds; a const output is a weight
    const text = `program(1.0)
{
    func main<ios17>(tensor<fp32, [1, 3]> x) {
            tensor<fp16, [3]> b = const()[name = tensor<string, []>("b"), val = tensor<fp16, [3]>([0x1p+0, 0x1p+1, 0x1p-11])];
            tensor<fp16, [1, 3]> x16 = cast(dtype = tensor<string, []>("fp16"), x = x)[name = tensor<string, []>("cast_0")];
            tensor<fp16, [1, 3]> s = add(x = x16, y = b)[name = tensor<string, []>("add_0")];
            tensor<fp16, [1, 3]> y = relu(x = s)[name = tensor<string, []>("relu_0")];
        } -> (y, s, b);
}`;
    const onnx = milToOnnx(fromText(text));
    expect(onnx.graph.outputs.map((o) => [o.name, o.dtype])).toEqual([
      ['y', 'float16'],
      ['s', 'float16'],
      ['b', 'float16'],
    ]);
    const session = await ort.InferenceSession.create(writeOnnx(onnx));
    const res = await session.run({ x: new ort.Tensor('float32', Float32Array.of(-3, 0.5, 1), [1, 3]) });
    // fp16 bits: -2 = 0xc000, 2.5 = 0x4100, 1 + 2^-11 rounds to 1 (ties to even) = 0x3c00
    expect(Array.from(res.s!.data as Uint16Array)).toEqual([0xc000, 0x4100, 0x3c00]);
    expect(Array.from(res.y!.data as Uint16Array)).toEqual([0, 0x4100, 0x3c00]);
    expect(Array.from(res.b!.data as Uint16Array)).toEqual([0x3c00, 0x4000, 0x1000]);
  });

  it('EXPECTED FAILURE - an unsupported op is refused by name with the file', () => {
    const text = `program(1.0)
{
    func main<ios17>(tensor<fp32, [4]> x) {
            tensor<fp32, [4]> y = erf(x = x)[name = tensor<string, []>("erf_0")];
        } -> (y);
}`;
    try {
      milToOnnx(fromText(text));
      throw new Error('expected a CoreMLFormatError');
    } catch (e) {
      expect(e).toBeInstanceOf(CoreMLFormatError);
      expect((e as CoreMLFormatError).code).toBe('E_UNSUPPORTED_OP');
      expect((e as Error).message).toMatch(
        /^test\.mlmodelc \(op erf_0\): MIL op 'erf' has no ONNX conversion/,
      );
    }
  });
});

function haveAudioTools(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    execFileSync('sox', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const audioTools = haveAudioTools();

describe.skipIf(!haveFixtures || !audioTools)(
  `Silero VAD converted to ONNX on ONNX Runtime${fixturesNote}${audioTools ? '' : ' (SKIPPED: espeak-ng and sox are needed to synthesise speech)'}`,
  () => {
    async function vad(session: ort.InferenceSession, audio: Float32Array): Promise<number[]> {
      let h: Float32Array<ArrayBufferLike> = new Float32Array(128);
      let c: Float32Array<ArrayBufferLike> = new Float32Array(128);
      let context = new Float32Array(64);
      const probs: number[] = [];
      for (let i = 0; i + 512 <= audio.length; i += 512) {
        const input = new Float32Array(576);
        input.set(context, 0);
        input.set(audio.subarray(i, i + 512), 64);
        const r = await session.run({
          audio_input: new ort.Tensor('float32', input, [1, 576]),
          hidden_state: new ort.Tensor('float32', h, [1, 128]),
          cell_state: new ort.Tensor('float32', c, [1, 128]),
        });
        probs.push((r.vad_output!.data as Float32Array)[0]!);
        h = r.new_hidden_state!.data as Float32Array;
        c = r.new_cell_state!.data as Float32Array;
        context = audio.slice(i + 448, i + 512);
      }
      return probs;
    }

    it('scores synthesised 16 kHz speech high and silence low', async () => {
      const wav = join(tmp, 'speech.wav');
      const raw = join(tmp, 'speech16k.raw');
      execFileSync('espeak-ng', [
        '-w',
        wav,
        'The quick brown fox jumps over the lazy dog while we keep on talking.',
      ]);
      execFileSync('sox', [
        wav,
        '-r',
        '16000',
        '-c',
        '1',
        '-b',
        '16',
        '-e',
        'signed-integer',
        '-t',
        'raw',
        raw,
      ]);
      const buf = readFileSync(raw);
      const pcm = new Int16Array(buf.buffer, buf.byteOffset, buf.byteLength >> 1);
      const speech = Float32Array.from(pcm, (s) => s / 32768);
      const session = await ort.InferenceSession.create(writeOnnx(milToOnnx(readMlmodelc(sileroMlmodelc))));
      const speechProbs = await vad(session, speech);
      const silenceProbs = await vad(session, new Float32Array(16000));
      const sorted = [...speechProbs].sort((a, b) => a - b);
      const median = sorted[sorted.length >> 1]!;
      expect(median).toBeGreaterThan(0.8);
      expect(Math.max(...silenceProbs)).toBeLessThan(0.1);
    });
  },
);

describe('milToOnnx on the streaming-encoder and preprocessor ops', () => {
  it('accepts negative transpose perm entries, which ONNX does not', async () => {
    const text = `program(1.0)
{
    func main<ios17>(tensor<fp32, [1, 2, 3]> x) {
            tensor<int32, [3]> p = const()[name = tensor<string, []>("p"), val = tensor<int32, [3]>([0, -1, -2])];
            tensor<fp32, [1, 3, 2]> y = transpose(perm = p, x = x)[name = tensor<string, []>("t")];
        } -> (y);
}`;
    const session = await ort.InferenceSession.create(writeOnnx(milToOnnx(fromText(text))));
    const r = await session.run({
      x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6), [1, 2, 3]),
    });
    expect(r.y!.dims).toEqual([1, 3, 2]);
    expect(Array.from(r.y!.data as Float32Array)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('converts layer_norm, silu, split, stack, tile, select, comparisons, floor_div, shape and range_1d like a direct implementation', async () => {
    const text = `program(1.0)
{
    func main<ios17>(tensor<fp32, [2, 4]> x, tensor<int32, [3]> n) {
            tensor<int32, [1]> ax = const()[name = tensor<string, []>("ax"), val = tensor<int32, [1]>([-1])];
            tensor<fp32, [4]> g = const()[name = tensor<string, []>("g"), val = tensor<fp32, [4]>([0x1p+0, 0x1p+1, 0x1p-1, 0x1p+0])];
            tensor<fp32, [4]> b = const()[name = tensor<string, []>("b"), val = tensor<fp32, [4]>([0x0p+0, 0x1p-2, 0x0p+0, -0x1p+0])];
            tensor<fp32, []> eps = const()[name = tensor<string, []>("eps"), val = tensor<fp32, []>(0x1.4f8b58p-17)];
            tensor<fp32, [2, 4]> ln = layer_norm(axes = ax, beta = b, epsilon = eps, gamma = g, x = x)[name = tensor<string, []>("ln")];
            tensor<fp32, [2, 4]> si = silu(x = ln)[name = tensor<string, []>("si")];
            tensor<int32, []> one = const()[name = tensor<string, []>("one"), val = tensor<int32, []>(1)];
            tensor<int32, []> two = const()[name = tensor<string, []>("two"), val = tensor<int32, []>(2)];
            tensor<fp32, [2, 2]> s0, tensor<fp32, [2, 2]> s1 = split(axis = one, num_splits = two, x = si)[name = tensor<string, []>("sp")];
            tensor<int32, []> zero = const()[name = tensor<string, []>("zero"), val = tensor<int32, []>(0)];
            tensor<fp32, [2, 2, 2]> st = stack(axis = zero, values = (s0, s1))[name = tensor<string, []>("st")];
            tensor<bool, [2, 2]> lt = less(x = s0, y = s1)[name = tensor<string, []>("lt")];
            tensor<fp32, [2, 2]> sel = select(a = s0, b = s1, cond = lt)[name = tensor<string, []>("sel")];
            tensor<int32, [2]> reps = const()[name = tensor<string, []>("reps"), val = tensor<int32, [2]>([1, 2])];
            tensor<fp32, [2, 4]> ti = tile(reps = reps, x = sel)[name = tensor<string, []>("ti")];
            tensor<int32, [3]> three = const()[name = tensor<string, []>("three"), val = tensor<int32, [3]>([3, 3, 3])];
            tensor<int32, [3]> fd = floor_div(x = n, y = three)[name = tensor<string, []>("fd")];
            tensor<int32, [3]> sh = shape(x = st)[name = tensor<string, []>("sh")];
            tensor<int32, []> five = const()[name = tensor<string, []>("five"), val = tensor<int32, []>(5)];
            tensor<int32, [5]> rg = range_1d(end = five, start = zero, step = one)[name = tensor<string, []>("rg")];
        } -> (st, ti, fd, sh, rg);
}`;
    const session = await ort.InferenceSession.create(writeOnnx(milToOnnx(fromText(text))));
    const x = Float32Array.of(1, 2, 3, 4, -1, 0.5, 2, 8);
    const res = await session.run({
      x: new ort.Tensor('float32', x, [2, 4]),
      n: new ort.Tensor('int32', Int32Array.of(7, -7, 9), [3]),
    });
    // reference
    const g = [1, 2, 0.5, 1];
    const b = [0, 0.25, 0, -1];
    const eps = 0x14f8b58 * 2 ** -41;
    const ln = [0, 1].flatMap((r) => {
      const row = Array.from(x.subarray(r * 4, r * 4 + 4));
      const mean = row.reduce((a, v) => a + v, 0) / 4;
      const varc = row.reduce((a, v) => a + (v - mean) ** 2, 0) / 4;
      return row.map((v, j) => ((v - mean) / Math.sqrt(varc + eps)) * g[j]! + b[j]!);
    });
    const si = ln.map((v) => v / (1 + Math.exp(-v)));
    const s0 = [si[0]!, si[1]!, si[4]!, si[5]!];
    const s1 = [si[2]!, si[3]!, si[6]!, si[7]!];
    Array.from(res.st!.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo([...s0, ...s1][i]!, 5));
    const sel = s0.map((v, i) => (v < s1[i]! ? v : s1[i]!));
    const ti = [sel[0], sel[1], sel[0], sel[1], sel[2], sel[3], sel[2], sel[3]];
    Array.from(res.ti!.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(ti[i]!, 5));
    expect(Array.from(res.fd!.data as Int32Array)).toEqual([2, -3, 3]);
    expect(Array.from(res.sh!.data as Int32Array)).toEqual([2, 2, 2]);
    expect(Array.from(res.rg!.data as Int32Array)).toEqual([0, 1, 2, 3, 4]);
  });
});
