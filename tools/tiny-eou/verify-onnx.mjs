// Numerical check of the exported tiny-eou model with onnxruntime-node (not run by CI).
//
//   node tools/tiny-eou/verify-onnx.mjs [modelDir] [setsDir]
//
// Loads decoder.onnx + joint_decision.onnx, greedy-decodes the cached encoder frames of the
// utterances listed in golden/decode-ref.json (written by `recipe.py testsets` from the Python
// numpy mirror of the same graphs) and checks that tokens and their frame indices match exactly.
// Decode semantics: max symbols per frame from model.json, blank advances the frame without a
// state update, a non-blank commits token + LSTM state, start state zero with last token = blank,
// EOU policy `reset` (record EOU, reset state, continue with the next frame).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const require = createRequire(join(repo, 'package.json'));
const ort = require('onnxruntime-node');

const modelDir = process.argv[2] ?? join(repo, 'packages/tiny-eou-model/model');
const setsDir = process.argv[3] ?? join(repo, 'packages/tiny-eou-model/sets');
const cfg = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));

function f16ToF32(h) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function readNpy(path) {
  const buf = readFileSync(path);
  const hlen = buf.readUInt8(6) === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hoff = buf.readUInt8(6) === 1 ? 10 : 12;
  const header = buf.toString('latin1', hoff, hoff + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').filter((s) => s.trim()).map(Number);
  if (/True/.test(/'fortran_order':\s*(\w+)/.exec(header)[1])) throw new Error('fortran order');
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const off = hoff + hlen;
  if (descr === '<f2') for (let i = 0; i < n; i++) data[i] = f16ToF32(buf.readUInt16LE(off + 2 * i));
  else if (descr === '<f4') for (let i = 0; i < n; i++) data[i] = buf.readFloatLE(off + 4 * i);
  else throw new Error(`dtype ${descr}`);
  return { data, shape };
}

const dec = await ort.InferenceSession.create(join(modelDir, 'decoder.onnx'));
const joint = await ort.InferenceSession.create(join(modelDir, 'joint_decision.onnx'));
const H = cfg.hiddenSize;
const E = cfg.encoderDim;

async function runDecoder(tok, h, c) {
  const out = await dec.run({
    targets: new ort.Tensor('int32', Int32Array.from([tok]), [1, 1]),
    target_length: new ort.Tensor('int32', Int32Array.from([1]), [1]),
    h_in: new ort.Tensor('float32', h, [1, 1, H]),
    c_in: new ort.Tensor('float32', c, [1, 1, H]),
  });
  return { d: out.decoder.data, h: out.h_out.data, c: out.c_out.data };
}

async function greedy(frames, N) {
  let h = new Float32Array(H);
  let c = new Float32Array(H);
  let st = await runDecoder(cfg.blankId, h, c);
  const tokens = [];
  const tokenFrames = [];
  for (let t = 0; t < N; t++) {
    const enc = new ort.Tensor('float32', frames.subarray(t * E, (t + 1) * E), [1, E, 1]);
    for (let s = 0; s < cfg.maxSymbolsPerFrame; s++) {
      const j = await joint.run({ encoder_step: enc, decoder_step: new ort.Tensor('float32', st.d, [1, H, 1]) });
      const k = j.token_id.data[0];
      if (k === cfg.blankId) break;
      tokens.push(k);
      tokenFrames.push(t);
      if (k === cfg.eouId) {
        h = new Float32Array(H);
        c = new Float32Array(H);
        st = await runDecoder(cfg.blankId, h, c);
        break;
      }
      h = st.h;
      c = st.c;
      st = await runDecoder(k, h, c);
    }
  }
  return { tokens, tokenFrames };
}

const refs = JSON.parse(readFileSync(join(here, 'golden', 'decode-ref.json'), 'utf8'));
let fails = 0;
for (const r of refs) {
  const { data, shape } = readNpy(join(setsDir, r.set, 'frames', `${r.id}.npy`));
  if (shape[1] !== E) throw new Error(`frame dim ${shape[1]} != ${E}`);
  const got = await greedy(data, shape[0]);
  const ok = JSON.stringify(got.tokens) === JSON.stringify(r.tokens) && JSON.stringify(got.tokenFrames) === JSON.stringify(r.token_frames);
  if (!ok) fails++;
  console.log(`${ok ? 'OK  ' : 'FAIL'} ${r.set}/${r.id}: ${got.tokens.length} tokens (python ${r.tokens.length})`);
}
// the joint's outputs must also be self-consistent: top_k_ids[0] == token_id, sorted logits
const j = await joint.run({
  encoder_step: new ort.Tensor('float32', new Float32Array(E).fill(0.1), [1, E, 1]),
  decoder_step: new ort.Tensor('float32', new Float32Array(H).fill(-0.1), [1, H, 1]),
});
const tk = j.top_k_logits.data;
const sorted = tk.every((v, i) => i === 0 || tk[i - 1] >= v);
if (j.top_k_ids.data[0] !== j.token_id.data[0] || !sorted || j.top_k_ids.dims.at(-1) !== cfg.topK) fails++;
console.log(`joint outputs: token_id ${j.token_id.data[0]} prob ${j.token_prob.data[0].toFixed(4)} top_k ${j.top_k_ids.dims} sorted=${sorted}`);
console.log(fails ? `${fails} mismatch(es)` : 'all decodes match the python reference');
process.exit(fails ? 1 : 0);
