import { presets, processWords, seededRandom } from './src/index';
const random = seededRandom(5);
const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}`);
const word = () => VOCAB[Math.floor(random() * VOCAB.length)]!;
const refs: string[] = [], hyps: string[] = [];
for (let u = 0; u < 2620; u++) { const ref = Array.from({ length: 20 }, word); const hyp: string[] = [];
  for (const w of ref) { const r = random(); if (r < 0.08/3) hyp.push(word()); else if (r < 0.16/3) continue; else if (r < 0.08) hyp.push(w, word()); else hyp.push(w); }
  refs.push(ref.join(' ')); hyps.push(hyp.join(' ')); }
const ts: number[] = [];
for (let i = 0; i < 300; i++) { const s = process.hrtime.bigint(); processWords(refs, hyps, { normalizer: presets.harness }); ts.push(Number(process.hrtime.bigint() - s) / 1e6); }
ts.sort((a, b) => a - b); console.log('median', ts[150], 'min', ts[0]);
